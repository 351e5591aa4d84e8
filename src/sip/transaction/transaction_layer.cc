// sip/transaction/transaction_layer.cc: the maps from keys to transactions, the entry points,
// and the deferred freeing that lets the TU call back into the layer from any callback.
#include "sip/transaction/transaction_layer.h"

#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sip/parse/via.h"
#include "sip/transaction/client_invite_transaction.h"
#include "sip/transaction/client_non_invite_transaction.h"
#include "sip/transaction/derived_requests.h"
#include "sip/transaction/local_responses.h"
#include "sip/transaction/server_invite_transaction.h"
#include "sip/transaction/server_non_invite_transaction.h"
#include "sip/transaction/token_generator.h"
#include "sip/transaction/transaction_env.h"
#include "sip/transaction/transaction_key.h"
#include "sip/transport/raw_error_response.h"
#include "sip/transport/response_route.h"

namespace sb::sip {
namespace {

// Where a transport failure reaches: the same transport to the same address and port. The
// connection id is left out: a failed connection takes its replacement attempts down with it.
bool same_destination(const Peer& a, const Peer& b) {
  return a.transport == b.transport && a.remote == b.remote;
}

}  // namespace

struct TransactionLayer::Impl final : TransactionHost {
  Impl(const Clock& clock, TimerQueue& timers, TransportSender& sender, TransactionUser& tu,
       TransactionConfig config)
      : config_(std::move(config)),
        tokens_(config_.token_seed.value_or(TokenGenerator::random_seed())),
        env_{clock, timers, sender, tu, config_, stats_, tokens_, *this} {}

  // Every public entry point holds one; the outermost one frees what ended on its way out.
  class Entry {
   public:
    explicit Entry(Impl& impl) : impl_(impl) { impl_.enter(); }
    ~Entry() { impl_.leave(); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    Impl& impl_;
  };

  // --- TransactionHost ---

  void ended(ServerTransactionId id) override { ended_servers_.push_back(id); }
  void ended(ClientTransactionId id) override { ended_clients_.push_back(id); }
  void send_cancel(const Message& invite, const Peer& to) override;
  void enter() override { ++depth_; }
  void leave() override;

  // --- entry points ---

  void receive_request(Message request, const Peer& source);
  void receive_ack(Message ack, const std::string& key, const Peer& source);
  void receive_cancel(Message cancel, const std::string& own_key, const std::string& invite_key,
                      const Peer& source, const Peer& response_to);
  void receive_response(const Message& response, const Peer& source);
  Result<ClientTransactionId> send_request(Message request, const Peer& destination,
                                           bool report_to_tu);
  void fail_destination(const Peer& peer);
  void free_ended();

  ServerTransaction* find_server(const std::string& key);
  ServerTransaction* find_server(ServerTransactionId id) const;
  ClientTransaction* find_client(const std::string& key);
  ClientTransaction* find_client(ClientTransactionId id) const;
  ServerTransaction* add_server(std::string key, Message request, const Peer& source,
                                const Peer& response_to);

  TransactionConfig config_;
  TransactionStats stats_;
  TokenGenerator tokens_;
  TransactionEnv env_;
  uint64_t next_id_ = 1;
  int depth_ = 0;
  // Declared after env_: destroyed first, while what their timers refer to still exists.
  std::unordered_map<uint64_t, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, uint64_t> server_keys_;
  std::unordered_map<uint64_t, std::unique_ptr<ClientTransaction>> clients_;
  std::unordered_map<std::string, uint64_t> client_keys_;
  std::vector<ServerTransactionId> ended_servers_;
  std::vector<ClientTransactionId> ended_clients_;
  std::vector<Peer> failed_destinations_;
};

// --- lookup ---

ServerTransaction* TransactionLayer::Impl::find_server(const std::string& key) {
  auto it = server_keys_.find(key);
  return it == server_keys_.end() ? nullptr : find_server(ServerTransactionId{it->second});
}

ServerTransaction* TransactionLayer::Impl::find_server(ServerTransactionId id) const {
  auto it = servers_.find(id.value);
  return it == servers_.end() ? nullptr : it->second.get();
}

ClientTransaction* TransactionLayer::Impl::find_client(const std::string& key) {
  auto it = client_keys_.find(key);
  return it == client_keys_.end() ? nullptr : find_client(ClientTransactionId{it->second});
}

ClientTransaction* TransactionLayer::Impl::find_client(ClientTransactionId id) const {
  auto it = clients_.find(id.value);
  return it == clients_.end() ? nullptr : it->second.get();
}

ServerTransaction* TransactionLayer::Impl::add_server(std::string key, Message request,
                                                      const Peer& source, const Peer& response_to) {
  const ServerTransactionId id{next_id_++};
  std::unique_ptr<ServerTransaction> tx;
  if (request.method() == Method::Invite) {
    tx = std::make_unique<ServerInviteTransaction>(env_, id, key, std::move(request), source,
                                                   response_to);
  } else {
    tx = std::make_unique<ServerNonInviteTransaction>(env_, id, key, std::move(request), source,
                                                      response_to);
  }
  ServerTransaction* raw = tx.get();
  server_keys_[std::move(key)] = id.value;
  servers_.emplace(id.value, std::move(tx));
  ++stats_.server_transactions;
  raw->start();
  return raw;
}

// --- freeing ---

void TransactionLayer::Impl::leave() {
  if (depth_ > 1) {
    --depth_;
    return;
  }
  // Outermost: failures reported from inside send() are handled now, at depth 1, so whatever
  // they make the TU do nests as usual; then everything that ended is freed.
  while (!failed_destinations_.empty()) {
    std::vector<Peer> failed = std::move(failed_destinations_);
    failed_destinations_.clear();
    for (const Peer& peer : failed) {
      fail_destination(peer);
    }
  }
  free_ended();
  --depth_;
}

void TransactionLayer::Impl::free_ended() {
  while (!ended_servers_.empty() || !ended_clients_.empty()) {
    for (ServerTransactionId id : std::exchange(ended_servers_, {})) {
      auto it = servers_.find(id.value);
      if (it == servers_.end()) {
        continue;
      }
      auto key = server_keys_.find(it->second->key());
      if (key != server_keys_.end() && key->second == id.value) {
        server_keys_.erase(key);
      }
      servers_.erase(it);
    }
    for (ClientTransactionId id : std::exchange(ended_clients_, {})) {
      auto it = clients_.find(id.value);
      if (it == clients_.end()) {
        continue;
      }
      auto key = client_keys_.find(it->second->key());
      if (key != client_keys_.end() && key->second == id.value) {
        client_keys_.erase(key);
      }
      clients_.erase(it);
    }
  }
}

void TransactionLayer::Impl::fail_destination(const Peer& peer) {
  // Ids first: the TU, told of one failure, may open or end other transactions.
  std::vector<ServerTransactionId> servers;
  for (const auto& [id, tx] : servers_) {
    if (tx->state() != TransactionState::Terminated &&
        same_destination(tx->response_destination(), peer)) {
      servers.push_back(tx->id());
    }
  }
  std::vector<ClientTransactionId> clients;
  for (const auto& [id, tx] : clients_) {
    if (tx->state() != TransactionState::Terminated && same_destination(tx->destination(), peer)) {
      clients.push_back(tx->id());
    }
  }
  for (ServerTransactionId id : servers) {
    if (ServerTransaction* tx = find_server(id)) {
      tx->on_transport_error();
    }
  }
  for (ClientTransactionId id : clients) {
    if (ClientTransaction* tx = find_client(id)) {
      tx->on_transport_error();
    }
  }
}

// --- server side ---

void TransactionLayer::Impl::receive_request(Message request, const Peer& source) {
  const std::string_view top_via_text = request.top_via_text();
  if (top_via_text.empty()) {
    ++stats_.dropped;  // nowhere to send a response to
    return;
  }
  const Result<Via>& via = request.top_via();
  if (!via) {
    // RFC 3261 §8.2 / §18.2.2: the Via cannot say where responses go, but the packet's source
    // can: a 400 naming the problem goes back there (the UDP source port, or the connection),
    // statelessly. Never for an ACK (§17.2.3).
    ++stats_.bad_via;
    if (request.method() == Method::Ack) return;
    const std::string reason = "Bad Request: bad Via (" + via.error().message + ")";
    if (auto response = raw_error_response(request.bytes(), 400, reason)) {
      ++stats_.messages_sent;
      env_.sender.send(source, *response);
    }
    return;
  }
  const Peer response_to = response_destination(*via, source);
  // Keys are computed before the request moves, which takes its parsed top Via along.
  switch (request.method()) {
    case Method::Ack: {
      // §17.2.3: an ACK matches the INVITE transaction it acknowledges.
      const std::string key = server_key(request, *via, top_via_text, "INVITE");
      receive_ack(std::move(request), key, source);
      return;
    }
    case Method::Cancel: {
      // §9.2: the CANCEL is a transaction of its own, and finds the INVITE by the same rules
      // with the method left aside.
      const std::string own_key = server_key(request, *via, top_via_text, "CANCEL");
      const std::string invite_key = server_key(request, *via, top_via_text, "INVITE");
      receive_cancel(std::move(request), own_key, invite_key, source, response_to);
      return;
    }
    default:
      break;
  }
  std::string key = server_key(request, *via, top_via_text, request.method_text());
  if (ServerTransaction* tx = find_server(key)) {
    tx->on_retransmission();
    return;
  }
  ServerTransaction* tx = add_server(std::move(key), std::move(request), source, response_to);
  env_.tu.on_request(tx->id(), tx->request(), source);
}

void TransactionLayer::Impl::receive_ack(Message ack, const std::string& key, const Peer& source) {
  if (ServerTransaction* tx = find_server(key)) {
    if (tx->on_ack()) {
      return;
    }
  }
  env_.tu.on_ack(ack, source);
}

void TransactionLayer::Impl::receive_cancel(Message cancel, const std::string& own_key,
                                            const std::string& invite_key, const Peer& source,
                                            const Peer& response_to) {
  if (ServerTransaction* tx = find_server(own_key)) {
    tx->on_retransmission();
    return;
  }
  // The CANCEL's own transaction absorbs its retransmissions and repeats our answer.
  ServerTransaction* cancel_tx = add_server(own_key, std::move(cancel), source, response_to);
  ServerTransaction* target = find_server(invite_key);
  ServerInviteTransaction* invite = target != nullptr ? target->as_invite() : nullptr;
  if (invite == nullptr || invite->state() == TransactionState::Terminated) {
    // §9.2: nothing to cancel. Only INVITE transactions are looked for: cancelling anything
    // else has no effect anyway, and RFC 3261 says not to try.
    ++stats_.cancels_unmatched;
    if (std::optional<Message> unknown = make_local_response(
            cancel_tx->request(), 481, "Call/Transaction Does Not Exist", tokens_.tag())) {
      (void)cancel_tx->respond(std::move(*unknown));
    }
    return;
  }
  // §9.2: the CANCEL's 200 carries the To tag of the INVITE's responses; it goes out before
  // the 487, which is what a UAC waits for once its CANCEL is acknowledged.
  if (std::optional<Message> ok =
          make_local_response(cancel_tx->request(), 200, "OK", invite->local_tag())) {
    (void)cancel_tx->respond(std::move(*ok));
  }
  if (invite->cancel()) {
    env_.tu.on_cancelled(invite->id(), cancel_tx->request());
  }
}

// --- client side ---

void TransactionLayer::Impl::receive_response(const Message& response, const Peer& source) {
  if (response.status() < 100 || response.status() > 699) {
    ++stats_.dropped;
    return;
  }
  const Result<Via>& via = response.top_via();
  if (!via) {  // none, or one that does not parse
    ++stats_.dropped;
    return;
  }
  if (ClientTransaction* tx = find_client(client_key(via->branch, response.cseq_method_text()))) {
    tx->on_response(response);
    return;
  }
  ++stats_.stray_responses;
  env_.tu.on_stray_response(response, source);
}

Result<ClientTransactionId> TransactionLayer::Impl::send_request(Message request,
                                                                 const Peer& destination,
                                                                 bool report_to_tu) {
  if (!request.is_request()) {
    return Error{"a response is not a request", "send_request"};
  }
  if (request.method() == Method::Ack) {
    return Error{"an ACK is no transaction: send the ACK for a 2xx with send_ack", "send_request"};
  }
  const Result<Via>& via = request.top_via();
  if (!via && via.error().code == ErrorCode::NotFound) {
    return Error{"the request has no Via", "Via"};
  }
  if (!via) {
    return Error{"the top Via does not parse: " + via.error().message, "Via"};
  }
  if (!via->has_magic_cookie()) {
    return Error{"the top Via branch lacks the z9hG4bK magic cookie", "Via"};
  }
  std::string key = client_key(via->branch, request.method_text());
  if (client_keys_.count(key) != 0) {
    return Error{"branch " + std::string(via->branch) + " is in use for " +
                     std::string(request.method_text()),
                 "Via"};
  }
  const ClientTransactionId id{next_id_++};
  std::unique_ptr<ClientTransaction> tx;
  if (request.method() == Method::Invite) {
    tx = std::make_unique<ClientInviteTransaction>(env_, id, key, std::move(request), destination,
                                                   report_to_tu);
  } else {
    tx = std::make_unique<ClientNonInviteTransaction>(env_, id, key, std::move(request),
                                                      destination, report_to_tu);
  }
  ClientTransaction* raw = tx.get();
  client_keys_[std::move(key)] = id.value;
  clients_.emplace(id.value, std::move(tx));
  ++stats_.client_transactions;
  raw->start();
  return id;
}

void TransactionLayer::Impl::send_cancel(const Message& invite, const Peer& to) {
  std::optional<Message> cancel = make_cancel(invite);
  if (!cancel) {
    return;
  }
  // The layer's own transaction: its answers and its timeout are not the TU's business.
  (void)send_request(std::move(*cancel), to, /*report_to_tu=*/false);
}

// --- TransactionLayer ---

TransactionLayer::TransactionLayer(const Clock& clock, TimerQueue& timers, TransportSender& sender,
                                   TransactionUser& tu, TransactionConfig config)
    : impl_(std::make_unique<Impl>(clock, timers, sender, tu, std::move(config))) {}

TransactionLayer::~TransactionLayer() = default;

void TransactionLayer::receive(Message message, const Peer& source) {
  Impl::Entry entry(*impl_);
  if (message.is_request()) {
    impl_->receive_request(std::move(message), source);
  } else {
    impl_->receive_response(message, source);
  }
}

Result<TransactionState> TransactionLayer::respond(ServerTransactionId tx, Message response) {
  Impl::Entry entry(*impl_);
  ServerTransaction* server = impl_->find_server(tx);
  if (server == nullptr) {
    return Error{"no such server transaction", "respond"};
  }
  return server->respond(std::move(response));
}

Result<ClientTransactionId> TransactionLayer::send_request(Message request,
                                                           const Peer& destination) {
  Impl::Entry entry(*impl_);
  return impl_->send_request(std::move(request), destination, /*report_to_tu=*/true);
}

Result<CancelState> TransactionLayer::cancel(ClientTransactionId invite_tx) {
  Impl::Entry entry(*impl_);
  ClientTransaction* client = impl_->find_client(invite_tx);
  if (client == nullptr || client->state() == TransactionState::Terminated) {
    return Error{"no such client transaction", "cancel"};
  }
  return client->cancel();
}

bool TransactionLayer::send_ack(const Message& ack, const Peer& destination) {
  if (!ack.is_request() || ack.method() != Method::Ack) {
    return false;
  }
  Impl::Entry entry(*impl_);
  impl_->env_.send(destination, ack);
  return true;
}

void TransactionLayer::transport_failed(const Peer& peer) {
  Impl::Entry entry(*impl_);
  impl_->failed_destinations_.push_back(peer);
}

std::string TransactionLayer::make_branch() { return impl_->tokens_.branch(); }
std::string TransactionLayer::make_tag() { return impl_->tokens_.tag(); }

std::optional<TransactionState> TransactionLayer::state(ServerTransactionId tx) const {
  const ServerTransaction* server = impl_->find_server(tx);
  return server == nullptr ? std::nullopt : std::optional(server->state());
}

std::optional<TransactionState> TransactionLayer::state(ClientTransactionId tx) const {
  const ClientTransaction* client = impl_->find_client(tx);
  return client == nullptr ? std::nullopt : std::optional(client->state());
}

const Message* TransactionLayer::request(ServerTransactionId tx) const {
  const ServerTransaction* server = impl_->find_server(tx);
  return server == nullptr ? nullptr : &server->request();
}

size_t TransactionLayer::active_server_transactions() const { return impl_->servers_.size(); }
size_t TransactionLayer::active_client_transactions() const { return impl_->clients_.size(); }
const TransactionStats& TransactionLayer::stats() const { return impl_->stats_; }

}  // namespace sb::sip
