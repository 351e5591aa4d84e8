#include "sip/stack/sip_stack.h"

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>

#include "net/event_loop.h"
#include "sip/dialog/dialog_id.h"
#include "sip/message_builder.h"
#include "sip/parse/via.h"
#include "sip/transport/response_route.h"

namespace sb::sip {
namespace {

constexpr auto kHousekeepingEvery = std::chrono::seconds(30);

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out;
}

// A stateless To tag: the same for every retransmission of one request, different per request.
std::string stateless_tag(const Message& m) {
  size_t h = std::hash<std::string_view>{}(m.call_id()) ^ (std::hash<uint32_t>{}(m.cseq()) << 1);
  char text[24];
  snprintf(text, sizeof text, "sb%zx", h);
  return text;
}

bool is_wildcard(const SocketAddress& a) { return a.ip() == "0.0.0.0" || a.ip() == "::"; }

}  // namespace

std::string SipStack::contact_for(const Message&, const Peer& arrived_on) const {
  // Our own address, never the host the caller dialled (the Request-URI may name a proxy, a
  // DNS name or anything else): the listener's address, or for a wildcard listener the one the
  // kernel routes towards the caller from (RFC 3261 §8.1.1.8: the Contact is where *we* are).
  std::string host;
  if (!is_wildcard(arrived_on.local)) {
    host = arrived_on.local.host_for_uri();
  } else if (auto towards = local_address_towards(arrived_on.remote)) {
    host = towards->host_for_uri();
  } else {
    host = arrived_on.local.is_v6() ? "[::1]" : "127.0.0.1";
  }
  std::string contact = "<sip:sb@" + host + ":" + std::to_string(arrived_on.local.port());
  if (arrived_on.transport != Transport::Udp) {
    std::string t(transport_name(arrived_on.transport));
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    contact += ";transport=" + t;
  }
  return contact + ">";
}

void SessionHandler::on_dialog_request(SipStack& stack, ServerTransactionId tx, Dialog& dialog, const Message&) {
  stack.answer_in_dialog(tx, dialog, 200, "OK");
}

SipStack::SipStack(net::EventLoop& loop, SipStackConfig config, SessionHandler& sessions)
    : loop_(loop),
      config_(std::move(config)),
      sessions_(&sessions),
      allow_(allow_header(config_.capabilities)),
      supported_(join(config_.capabilities.supported)),
      transport_(loop, *this, config_.transport),
      guard_(loop.clock(), config_.guard,
             [](GuardEvent e, const std::string& source, const std::string& why) {
               switch (e) {
                 case GuardEvent::FloodBlocked: spdlog::warn("sip: blocking {} (flood: {})", source, why); break;
                 case GuardEvent::AuthBlocked: spdlog::warn("sip: blocking {} ({})", source, why); break;
                 case GuardEvent::Unblocked: spdlog::info("sip: {} unblocked", source); break;
               }
             }),
      locations_(loop.clock()),
      registrar_(loop.clock(), config_.registrar, locations_),
      dialogs_(IdGenerator::random_seed()) {
  TransportSender& sender = *this;
  TransactionUser& user = *this;
  transactions_ = std::make_unique<TransactionLayer>(loop.clock(), loop.timers(), sender, user, config_.transactions);
  if (config_.uac.user_agent.empty()) config_.uac.user_agent = config_.user_agent;
  uac_ = std::make_unique<client::Uac>(*transactions_, loop.clock(), loop.timers(), config_.uac);
}

SipStack::~SipStack() { stop(); }

const Clock& SipStack::clock() const { return loop_.clock(); }
TimerQueue& SipStack::timers() { return loop_.timers(); }

Dialog* SipStack::dialog(const DialogId& id) {
  Dialog* d = dialogs_.find(id.view());
  return d != nullptr && !d->is_terminated() ? d : nullptr;
}

Result<std::vector<Peer>> SipStack::start() {
  for (const ListenerConfig& l : config_.listeners) {
    auto opened = transport_.listen(l);
    if (!opened) return opened.error();
    spdlog::info("sip: listening on {} {}", transport_name(opened->transport), opened->local.to_string());
  }
  schedule_housekeeping();
  return transport_.local_endpoints();
}

void SipStack::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (housekeeping_ != 0) loop_.timers().cancel(housekeeping_);
  pending_2xx_.clear();
  outgoing_.clear();
  in_dialog_.clear();
  transport_.close();
}

void SipStack::schedule_housekeeping() {
  housekeeping_ = loop_.schedule_after(kHousekeepingEvery, [this] {
    housekeeping_ = 0;
    locations_.purge();
    guard_.purge();
    dialogs_.erase_terminated();
    if (!stopped_) schedule_housekeeping();
  });
}

// --- transport up ---

bool SipStack::admit(const Peer& from) { return guard_.admit(from.remote.ip()); }

void SipStack::on_refused(const ParseError& error, const Peer& from) {
  spdlog::debug("sip: {} from {} refused: {} {}", error.is_request ? "request" : "response",
                from.remote.to_string(), error.status, error.reason);
}

void SipStack::on_transport_error(const Peer& peer) {
  spdlog::info("sip: {} {} unreachable", transport_name(peer.transport), peer.remote.to_string());
  transactions_->transport_failed(peer);
}

void SipStack::on_message(Message&& message, const Peer& from) {
  if (message.is_request()) {
    stamp_received(message, from);
    if (message.method() == Method::Options && answer_options_statelessly(message, from)) return;
  }
  transactions_->receive(std::move(message), from);
}

std::vector<std::pair<std::string, std::string>> SipStack::capability_headers() const {
  return {{"Allow", allow_}, {"Supported", supported_}, {"Accept", "application/sdp"}, {"Server", config_.user_agent}};
}

// OPTIONS outside a dialog is answered without a transaction (like a stateless proxy's sl
// reply): a retransmission just gets the same answer again, and a sweep of them costs no state.
bool SipStack::answer_options_statelessly(const Message& request, const Peer& from) {
  if (!request.to_tag().empty()) return false;
  const Result<Via>& via = request.top_via();
  if (!via) return false;
  ResponseParts parts;
  parts.to_tag = stateless_tag(request);
  int status = 200;
  std::string reason = "OK";
  if (auto rejection = check_request(request, config_.capabilities)) {
    status = rejection->status;
    reason = rejection->reason;
    for (auto& [name, value] : rejection->headers) parts.headers.emplace_back(std::string(canonical_name(name)), value);
  } else {
    parts.headers = capability_headers();
  }
  auto response = build_response(request, status, reason, parts);
  if (!response) return false;
  ++stats_.options_answered;
  transport_.send(response_destination(*via, from), serialize(*response));
  return true;
}

// --- transaction user ---

void SipStack::respond(ServerTransactionId tx, Message response) {
  auto r = transactions_->respond(tx, std::move(response));
  if (!r) spdlog::debug("sip: response not sent: {}", r.error().to_string());
}

void SipStack::reply(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts) {
  const Message* request = transactions_->request(tx);
  if (request == nullptr) return;
  if (parts.to_tag.empty() && status > 100) parts.to_tag = transactions_->make_tag();
  auto response = build_response(*request, status, reason, parts);
  if (!response) {
    spdlog::error("sip: could not build {} {}: {}", status, reason, response.error().to_string());
    return;
  }
  respond(tx, std::move(*response));
}

void SipStack::on_request(ServerTransactionId tx, const Message& request, const Peer& source) {
  if (auto rejection = check_request(request, config_.capabilities)) {
    ResponseParts parts;
    for (auto& [name, value] : rejection->headers) parts.headers.emplace_back(std::string(canonical_name(name)), value);
    return reply(tx, rejection->status, rejection->reason, std::move(parts));
  }
  if (!request.to_tag().empty()) return handle_in_dialog(tx, request, source);
  switch (request.method()) {
    case Method::Register:
      return handle_register(tx, request, source);
    case Method::Options: {
      ResponseParts parts;
      parts.headers = capability_headers();
      ++stats_.options_answered;
      return reply(tx, 200, "OK", std::move(parts));
    }
    case Method::Invite:
      ++stats_.invites;
      return sessions_->on_invite(*this, tx, request, source);
    case Method::Bye:
    case Method::Info:
    case Method::Update:
    case Method::Refer:
    case Method::Notify:
      // Only meaningful inside a dialog, and this one names none (no To tag).
      ++stats_.no_dialog_481;
      return reply(tx, 481, "Call/Transaction Does Not Exist");
    default:
      return reply(tx, 480, "Temporarily Unavailable");
  }
}

void SipStack::handle_register(ServerTransactionId tx, const Message& request, const Peer& source) {
  ++stats_.registers;
  registrar::RegisterResult result = registrar_.handle(request, source);
  const std::string ip = source.remote.ip();
  switch (result.outcome) {
    case registrar::RegisterOutcome::AuthFailed:
      ++stats_.auth_failures;
      guard_.auth_failed(ip);
      spdlog::warn("sip: REGISTER {} from {}: authentication failed ({})", result.aor, source.remote.to_string(), result.reason);
      break;
    case registrar::RegisterOutcome::Registered:
    case registrar::RegisterOutcome::Removed:
      if (!result.user.empty()) guard_.auth_succeeded(ip);
      spdlog::info("sip: {} {} from {}", registrar::outcome_name(result.outcome), result.aor, source.remote.to_string());
      break;
    case registrar::RegisterOutcome::Refused:
      spdlog::info("sip: REGISTER {} from {} refused: {} {}", result.aor, source.remote.to_string(), result.status, result.reason);
      break;
    default:
      break;
  }
  if (result.response) respond(tx, std::move(*result.response));
}

void SipStack::handle_in_dialog(ServerTransactionId tx, const Message& request, const Peer&) {
  Incoming in = dialogs_.receive(request);
  if (auto* accepted = std::get_if<InDialog>(&in)) {
    return sessions_->on_dialog_request(*this, tx, *accepted->dialog, request);
  }
  if (auto* r = std::get_if<Reply>(&in)) {
    if (r->response.status() == 481) ++stats_.no_dialog_481;
    return respond(tx, std::move(r->response));
  }
  if (auto* ended = std::get_if<DialogEnded>(&in)) {
    Dialog& dialog = *ended->dialog;
    respond(tx, std::move(ended->response));
    if (ended->invite_unanswered) {
      if (auto it = invite_tx_.find(dialog.id()); it != invite_tx_.end()) {
        reply(it->second, 487, "Request Terminated", {dialog.id().local_tag, "", {}, "", ""});
      }
    }
    return end_dialog(dialog);
  }
  if (auto* discard = std::get_if<Discard>(&in)) {
    spdlog::debug("sip: in-dialog {} dropped: {}", request.method_text(), discard->why);
    return reply(tx, 500, "Server Internal Error");
  }
  // OutOfDialog with a To tag (should not happen) or an ACK here: no such dialog.
  ++stats_.no_dialog_481;
  reply(tx, 481, "Call/Transaction Does Not Exist");
}

void SipStack::end_dialog(Dialog& dialog) {
  const DialogId id = dialog.id();
  if (!ending_quietly_) sessions_->on_dialog_ended(*this, dialog);
  bye_after_ack_.erase(id);
  pending_2xx_.erase(id);
  invite_tx_.erase(id);
  dialogs_.erase(id.view());
}

void SipStack::on_ack(const Message& ack, const Peer&) {
  Incoming in = dialogs_.receive(ack);
  if (auto* acked = std::get_if<AckReceived>(&in)) {
    if (auto it = pending_2xx_.find(acked->dialog->id()); it != pending_2xx_.end()) {
      it->second->ack_received();
      pending_2xx_.erase(it);
    }
    sessions_->on_ack(*this, *acked->dialog, ack);
    if (bye_after_ack_.count(acked->dialog->id()) != 0) {
      // Hung up while our 2xx awaited this ACK: the BYE may go now (§15.1.1).
      ending_quietly_ = true;
      send_bye(*acked->dialog);
      ending_quietly_ = false;
    }
  }
}

void SipStack::on_cancelled(ServerTransactionId invite_tx, const Message&) {
  for (auto it = invite_tx_.begin(); it != invite_tx_.end(); ++it) {
    if (it->second == invite_tx) {
      const DialogId id = it->first;
      invite_tx_.erase(it);
      if (Dialog* d = dialogs_.find(id.view())) {
        d->terminate();
        end_dialog(*d);
      }
      break;
    }
  }
  sessions_->on_cancelled(*this, invite_tx);
}

void SipStack::on_ack_timeout(ServerTransactionId, const Message& final_response) {
  spdlog::debug("sip: no ACK for {} {} (Call-ID {})", final_response.status(), final_response.reason(),
                final_response.call_id());
}

Dialog* SipStack::accept_invite(ServerTransactionId tx, const Peer& source, int status, std::string_view reason,
                                ResponseParts parts) {
  const Message* invite = transactions_->request(tx);
  if (invite == nullptr) return nullptr;
  std::string contact = parts.contact.empty() ? contact_for(*invite, source) : parts.contact;
  auto created = dialogs_.create_uas(*invite, source, contact);
  if (!created) {
    reply(tx, 400, created.error().message);
    return nullptr;
  }
  Dialog* dialog = *created;
  invite_tx_[dialog->id()] = tx;
  answer_in_dialog(tx, *dialog, status, reason, std::move(parts));
  return dialogs_.find(dialog->id().view());
}

void SipStack::answer_in_dialog(ServerTransactionId tx, Dialog& dialog, int status, std::string_view reason,
                                ResponseParts parts) {
  const Message* request = transactions_->request(tx);
  if (request == nullptr) return;
  const bool invite = request->method() == Method::Invite;
  auto response = dialog.respond(*request, status, reason, std::move(parts));
  if (!response) {
    spdlog::error("sip: could not answer in dialog: {}", response.error().to_string());
    return;
  }
  Message copy = *response;
  respond(tx, std::move(*response));
  if (invite && status >= 200) invite_tx_.erase(dialog.id());
  if (invite && status >= 200 && status < 300) start_2xx_retransmission(tx, dialog, copy);
  if (dialog.is_terminated()) end_dialog(dialog);
}

// RFC 3261 §13.3.1.4: the UAS core resends its 2xx (T1 doubling to T2) until the ACK, and
// gives up after 64*T1 with a BYE. The transaction layer's Accepted state carries the resends.
void SipStack::start_2xx_retransmission(ServerTransactionId tx, const Dialog& dialog, const Message& response) {
  const DialogId id = dialog.id();
  const std::string bytes = serialize(response);
  auto retransmit = [this, tx, response] {
    ++stats_.retransmitted_2xx;
    respond(tx, response);
  };
  auto give_up = [this, id] {
    Dialog* d = dialogs_.find(id.view());
    pending_2xx_.erase(id);  // destroys this timer: nothing may follow
    if (d == nullptr) return;
    spdlog::info("sip: no ACK for the 2xx of Call-ID {}: ending the call", id.call_id);
    d->on_ack_timeout();
    // A hang-up waiting for this ACK was asked for by the handler, which needs no notice.
    ending_quietly_ = bye_after_ack_.count(id) != 0;
    send_bye(*d);
    ending_quietly_ = false;
  };
  Retransmit2xxTimers timers{config_.transactions.timers.t1, config_.transactions.timers.t2};
  pending_2xx_[id] = std::make_unique<Retransmit2xxTimer>(loop_.timers(), loop_.clock(), retransmit, give_up, timers);
}

void SipStack::send_bye(Dialog& dialog) {
  Peer to = destination_of(dialog);
  RequestOptions options;
  options.via = via_for(dialog, to);
  auto bye = dialog.make_request(Method::Bye, options);
  if (!bye) {
    spdlog::debug("sip: no BYE: {}", bye.error().to_string());
  } else if (auto sent = transactions_->send_request(std::move(*bye), to); !sent) {
    spdlog::debug("sip: BYE not sent: {}", sent.error().to_string());
  }
  end_dialog(dialog);
}

// --- client side: the Uac's requests, ours inside dialogs; our BYEs' answers need nothing ---

void SipStack::on_response(ClientTransactionId tx, const Message& response) {
  if (uac_->on_response(tx, response)) return;
  on_in_dialog_response(tx, response);
}
void SipStack::on_client_timeout(ClientTransactionId tx, const Message& synthesized_408) {
  if (uac_->on_client_timeout(tx, synthesized_408)) return;
  on_in_dialog_response(tx, synthesized_408);
}
void SipStack::on_client_transport_error(ClientTransactionId tx, const Message& synthesized_503) {
  if (uac_->on_client_transport_error(tx, synthesized_503)) return;
  on_in_dialog_response(tx, synthesized_503);
}

void SipStack::send(const Peer& to, std::string_view bytes) { transport_.send(to, std::string(bytes)); }

}  // namespace sb::sip
