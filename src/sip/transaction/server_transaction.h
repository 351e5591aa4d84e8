// sip/transaction/server_transaction.h: what the INVITE and non-INVITE server transactions
// (RFC 3261 §17.2) have in common, and the interface the layer drives them through.
// Internal to sip/transaction/.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "sip/message.h"
#include "sip/transaction/transaction_env.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transaction/transaction_state.h"
#include "sip/transport/peer.h"

namespace sb::sip {

class ServerInviteTransaction;

class ServerTransaction {
 public:
  // `response_to` is where responses go: response_destination(top Via, source).
  ServerTransaction(TransactionEnv& env, ServerTransactionId id, std::string key, Message request,
                    const Peer& source, const Peer& response_to);
  virtual ~ServerTransaction() = default;
  ServerTransaction(const ServerTransaction&) = delete;
  ServerTransaction& operator=(const ServerTransaction&) = delete;

  ServerTransactionId id() const { return id_; }
  const std::string& key() const { return key_; }
  TransactionState state() const { return state_; }
  const Message& request() const { return request_; }
  const Peer& source() const { return source_; }
  const Peer& response_destination() const { return response_to_; }

  // This transaction as an INVITE one, for a CANCEL looking for what it cancels; else nullptr.
  virtual ServerInviteTransaction* as_invite() { return nullptr; }
  // Right after creation, before the TU hears of the request: sets the first state, timers.
  virtual void start() = 0;
  // The request arrived again: absorbed, answered with the latest response if there is one.
  virtual void on_retransmission() = 0;
  // An ACK matched this transaction. true: absorbed here; false: the TU gets it.
  virtual bool on_ack() { return true; }
  // The TU's response. Fails (nothing sent) for a request, a status outside 100-699, a CSeq
  // that is not the request's, or a state where that response is no longer allowed.
  virtual Result<TransactionState> respond(Message response) = 0;
  // The transport could not deliver a response (§17.2.4): ended, and the TU told.
  void on_transport_error();

 protected:
  std::optional<Error> check_response(const Message& response) const;
  bool reliable() const { return is_reliable(response_to_.transport); }
  // Sends and remembers it as the response to repeat for a retransmitted request.
  void send_response(Message response);
  void resend_last_response();
  void end();  // to Terminated; the layer frees it later

  TransactionEnv& env_;
  TransactionState state_ = TransactionState::Trying;
  std::optional<Message> last_response_;

 private:
  ServerTransactionId id_;
  std::string key_;
  Message request_;
  Peer source_;
  Peer response_to_;
};

}  // namespace sb::sip
