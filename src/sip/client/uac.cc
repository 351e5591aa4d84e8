// sip/client/uac.cc: building requests, the id maps, and the digest challenge rounds.
#include "sip/client/uac.h"

#include <string_view>
#include <utility>
#include <variant>

#include "sip/ascii.h"
#include "sip/auth/challenge.h"
#include "sip/header_name.h"
#include "sip/message_builder.h"
#include "sip/method.h"

namespace sb::sip::client {
namespace {

// What the Uac writes itself; a caller's copy would contradict it.
bool is_managed(HeaderName name) {
  switch (name) {
    case HeaderName::Via:
    case HeaderName::From:
    case HeaderName::To:
    case HeaderName::CallId:
    case HeaderName::CSeq:
    case HeaderName::MaxForwards:
    case HeaderName::ContentLength:
    case HeaderName::ContentType:
    case HeaderName::Authorization:
    case HeaderName::ProxyAuthorization:
      return true;
    default:
      return false;
  }
}

bool is_unspecified(const SocketAddress& address) {
  const std::string ip = address.ip();
  return ip == "0.0.0.0" || ip == "::";
}

std::optional<std::string> sent_by_for(const UacConfig& config, const Peer& destination) {
  if (auto it = config.sent_by.find(destination.transport); it != config.sent_by.end()) {
    return it->second;
  }
  if (destination.local.valid() && !is_unspecified(destination.local) &&
      destination.local.port() != 0) {
    return destination.local.host_for_uri() + ":" + std::to_string(destination.local.port());
  }
  return std::nullopt;
}

}  // namespace

Uac::Uac(TransactionLayer& layer, const Clock& clock, TimerQueue& timers, UacConfig config)
    : layer_(layer),
      clock_(clock),
      timers_(timers),
      config_(std::move(config)),
      ids_(config_.id_seed.value_or(IdGenerator::random_seed())) {}

Uac::~Uac() {
  for (auto& [id, r] : requests_) {
    if (r.timer != 0) {
      timers_.cancel(r.timer);
    }
  }
}

std::string Uac::make_call_id() { return ids_.call_id(config_.call_id_host); }
std::string Uac::make_tag() { return ids_.tag(); }

Uac::Outstanding* Uac::find(UacRequestId id) {
  auto it = requests_.find(id.value);
  return it == requests_.end() ? nullptr : &it->second;
}

const Uac::Outstanding* Uac::find(UacRequestId id) const {
  auto it = requests_.find(id.value);
  return it == requests_.end() ? nullptr : &it->second;
}

std::optional<ClientTransactionId> Uac::transaction_of(UacRequestId request) const {
  const Outstanding* r = find(request);
  return r == nullptr ? std::nullopt : std::optional(r->tx);
}

std::optional<UacRequestId> Uac::request_of(ClientTransactionId tx) const {
  auto it = by_tx_.find(tx.value);
  return it == by_tx_.end() ? std::nullopt : std::optional(UacRequestId{it->second});
}

const Message* Uac::last_request(UacRequestId request) const {
  const Outstanding* r = find(request);
  return r == nullptr || !r->request ? nullptr : &*r->request;
}

// --- sending ---

Result<Message> Uac::build(Outstanding& r, const std::string& branch) {
  const std::optional<std::string> sent_by = sent_by_for(config_, r.destination);
  if (!sent_by) {
    return Error{
        "no Via sent-by for transport " + std::string(transport_name(r.destination.transport)),
        "sent_by"};
  }
  const RequestSpec& s = r.spec;
  std::string via = "SIP/2.0/";
  via.append(transport_name(r.destination.transport)).append(" ").append(*sent_by);
  via.append(";branch=").append(branch);
  if (config_.rport) {
    via.append(";rport");
  }
  MessageBuilder b = MessageBuilder::request(s.method, s.request_uri);
  b.add(HeaderName::Via, via)
      .add(HeaderName::MaxForwards, std::to_string(config_.max_forwards))
      .add(HeaderName::From, s.from + ";tag=" + s.from_tag)
      .add(HeaderName::To, s.to)
      .add(HeaderName::CallId, s.call_id)
      .add(HeaderName::CSeq, std::to_string(s.cseq.value_or(1)) + " " + s.method);
  if (!s.contact.empty()) {
    b.add(HeaderName::Contact, s.contact);
  }
  // RFC 3261 §22.3: a proxy's credentials go on every later request through it, so the
  // Proxy-Authorization stays when the registrar challenges next.
  for (std::optional<auth::DigestClient>* client : {&r.proxy, &r.www}) {
    if (*client && (*client)->challenge()) {
      if (std::optional<auth::AuthorizationValue> value =
              (*client)->authorize(s.method, s.request_uri)) {
        b.add(value->header, value->value);
      }
    }
  }
  if (!config_.user_agent.empty()) {
    b.add(HeaderName::UserAgent, config_.user_agent);
  }
  for (const auto& [name, value] : s.headers) {
    b.add(std::string_view(name), value);
  }
  if (!s.body.empty() || !s.content_type.empty()) {
    b.body(s.content_type, s.body);
  }
  ParseResult built = b.build();
  if (const ParseError* error = std::get_if<ParseError>(&built)) {
    return Error{"the request does not build: " + error->reason, "request"};
  }
  return std::get<Message>(std::move(built));
}

Result<ClientTransactionId> Uac::transmit(Outstanding& r) {
  Result<Message> request = build(r, layer_.make_branch());
  if (!request) {
    return request.error();
  }
  Message copy = *request;
  ++sending_;
  Result<ClientTransactionId> tx = layer_.send_request(std::move(*request), r.destination);
  --sending_;
  if (tx) {
    r.tx = *tx;
    r.request = std::move(copy);
    // A failure the transport reported from inside send(): the layer told us before it
    // returned the id, so it was kept aside (report()).
    for (EarlyReport& early : early_) {
      if (early.tx == *tx) {
        r.early_final = std::move(early.response);
      }
    }
  }
  if (sending_ == 0) {
    early_.clear();  // the others were someone else's
  }
  return tx;
}

Result<UacRequestId> Uac::send(RequestSpec spec, const Peer& destination,
                               std::optional<Credentials> credentials, ResponseCallback callback) {
  if (!is_token(spec.method)) {
    return Error{"the method is not a token", "method"};
  }
  const Method method = parse_method(spec.method);
  if (method == Method::Ack || method == Method::Cancel) {
    return Error{"ACK and CANCEL belong to their INVITE: use cancel() or the dialog layer",
                 "method"};
  }
  if (spec.request_uri.empty()) {
    return Error{"no Request-URI", "request_uri"};
  }
  if (spec.from.empty()) {
    return Error{"no From", "from"};
  }
  for (const auto& header : spec.headers) {
    if (is_managed(classify_header(header.first))) {
      return Error{"the Uac writes " + header.first + " itself", "headers"};
    }
  }
  if (spec.to.empty()) {
    spec.to = "<" + spec.request_uri + ">";
  }
  if (spec.call_id.empty()) {
    spec.call_id = make_call_id();
  }
  if (spec.from_tag.empty()) {
    spec.from_tag = make_tag();
  }
  if (!spec.cseq) {
    spec.cseq = 1;
  }
  Outstanding r;
  r.id = UacRequestId{next_id_};
  r.spec = std::move(spec);
  r.destination = destination;
  r.credentials = std::move(credentials);
  r.callback = std::move(callback);
  const Result<ClientTransactionId> tx = transmit(r);
  if (!tx) {
    return tx.error();
  }
  ++next_id_;
  const uint64_t id = r.id.value;
  const bool failed_early = r.early_final.has_value();
  by_tx_[tx->value] = id;
  Outstanding& stored = requests_.emplace(id, std::move(r)).first->second;
  if (failed_early) {
    // The promise of send(): the callback never runs inside it.
    stored.timer = timers_.schedule(clock_.now(), [this, id] { deliver_early(id); });
  }
  return UacRequestId{id};
}

Result<CancelState> Uac::cancel(UacRequestId request) {
  const Outstanding* r = find(request);
  if (r == nullptr) {
    return Error{"no such request", "cancel"};
  }
  if (parse_method(r->spec.method) != Method::Invite) {
    return Error{"only an INVITE can be cancelled", "cancel"};
  }
  if (r->accepted || r->early_final) {
    return Error{"the INVITE has a final response", "cancel"};
  }
  return layer_.cancel(r->tx);
}

void Uac::abandon(UacRequestId request) {
  if (Outstanding* r = find(request)) {
    r->callback = nullptr;
  }
}

// --- responses ---

bool Uac::on_response(ClientTransactionId tx, const Message& response) {
  auto it = by_tx_.find(tx.value);
  if (it == by_tx_.end()) {
    return false;
  }
  const UacRequestId id{it->second};
  Outstanding& r = requests_.at(id.value);
  const int status = response.status();
  if (status < 200) {
    deliver(id, response, /*final=*/false);
    return true;
  }
  if (status < 300 && parse_method(r.spec.method) == Method::Invite) {
    // RFC 6026 §8.4: each 2xx (a retransmission, another fork) comes up until timer M, and
    // each needs its ACK from the caller.
    if (!r.accepted) {
      r.accepted = true;
      r.timer = timers_.schedule(clock_.now() + config_.invite_linger,
                                 [this, id] { linger_expired(id.value); });
    }
    deliver(id, response, /*final=*/false);
    return true;
  }
  if ((status == 401 || status == 407) && answer_challenge(r, response)) {
    return true;
  }
  deliver(id, response, /*final=*/true);
  return true;
}

bool Uac::on_client_timeout(ClientTransactionId tx, const Message& synthesized_408) {
  return report(tx, synthesized_408);
}

bool Uac::on_client_transport_error(ClientTransactionId tx, const Message& synthesized_503) {
  return report(tx, synthesized_503);
}

bool Uac::report(ClientTransactionId tx, const Message& response) {
  auto it = by_tx_.find(tx.value);
  if (it == by_tx_.end()) {
    if (sending_ > 0) {
      // Reported from inside TransactionLayer::send_request, before it returned the new id:
      // maybe ours (transmit() looks), maybe another sender's transaction to the same peer.
      early_.push_back({tx, response});
    }
    return false;
  }
  deliver(UacRequestId{it->second}, response, /*final=*/true);
  return true;
}

// RFC 3261 §22.2: send the request again with credentials, once per challenge round.
bool Uac::answer_challenge(Outstanding& r, const Message& response) {
  if (!r.credentials || r.auth_rounds >= config_.max_auth_rounds) {
    return false;
  }
  const std::optional<auth::DigestChallenge> challenge = auth::choose_challenge(response);
  if (!challenge) {
    return false;
  }
  if (!r.credentials->realm.empty() && challenge->realm != r.credentials->realm) {
    return false;
  }
  std::optional<auth::DigestClient>& client = response.status() == 407 ? r.proxy : r.www;
  if (client && client->challenge() && client->challenge()->realm == challenge->realm) {
    // We answered this realm already: a new challenge means the credentials were refused,
    // whatever nonce it carries (servers pick a fresh one each time). Only stale=TRUE with a
    // new nonce says they were right (RFC 7616 §3.3); the same nonce again, stale or not,
    // would only loop.
    if (!challenge->stale || challenge->nonce == client->challenge()->nonce) {
      return false;
    }
  }
  if (!client) {
    client.emplace(auth::ClientCredentials{r.credentials->user, r.credentials->password},
                   config_.cnonce);
  }
  if (!client->on_challenge(response)) {
    return false;
  }
  // §8.1.3.5: same Call-ID, From, To; CSeq up by one; a new transaction (new branch).
  const ClientTransactionId previous = r.tx;
  const uint32_t cseq = r.spec.cseq.value_or(1);
  r.spec.cseq = cseq + 1;
  const Result<ClientTransactionId> tx = transmit(r);
  if (!tx) {
    r.spec.cseq = cseq;
    return false;  // the challenge goes to the callback as the final response
  }
  ++r.auth_rounds;
  by_tx_.erase(previous.value);
  by_tx_[tx->value] = r.id.value;
  if (r.early_final) {
    const uint64_t id = r.id.value;
    r.timer = timers_.schedule(clock_.now(), [this, id] { deliver_early(id); });
  }
  return true;
}

void Uac::deliver(UacRequestId id, const Message& response, bool final) {
  auto it = requests_.find(id.value);
  if (it == requests_.end()) {
    return;
  }
  // A copy or the moved-out callback: it may send, cancel or abandon, which changes the maps.
  ResponseCallback callback;
  if (final) {
    callback = std::move(it->second.callback);
    forget(id.value);
  } else {
    callback = it->second.callback;
  }
  if (callback) {
    callback(response);
  }
}

void Uac::forget(uint64_t id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) {
    return;
  }
  if (it->second.timer != 0) {
    timers_.cancel(it->second.timer);
  }
  auto tx = by_tx_.find(it->second.tx.value);
  if (tx != by_tx_.end() && tx->second == id) {
    by_tx_.erase(tx);
  }
  requests_.erase(it);
}

void Uac::deliver_early(uint64_t id) {
  Outstanding* r = find(UacRequestId{id});
  if (r == nullptr || !r->early_final) {
    return;
  }
  r->timer = 0;
  const Message response = std::move(*r->early_final);
  deliver(UacRequestId{id}, response, /*final=*/true);
}

void Uac::linger_expired(uint64_t id) {
  Outstanding* r = find(UacRequestId{id});
  if (r == nullptr) {
    return;
  }
  r->timer = 0;
  if (layer_.state(r->tx)) {
    // The layer runs a longer timer M (a larger T1): stay until it is done.
    r->timer =
        timers_.schedule(clock_.now() + config_.invite_linger, [this, id] { linger_expired(id); });
    return;
  }
  forget(id);
}

}  // namespace sb::sip::client
