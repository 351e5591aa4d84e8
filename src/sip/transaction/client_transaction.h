// sip/transaction/client_transaction.h: what the INVITE and non-INVITE client transactions
// (RFC 3261 §17.1) have in common, and the interface the layer drives them through.
// Internal to sip/transaction/.
#pragma once

#include <string>

#include "common/result.h"
#include "sip/message.h"
#include "sip/transaction/transaction_env.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transaction/transaction_state.h"
#include "sip/transport/peer.h"

namespace sb::sip {

class ClientTransaction {
 public:
  // `report_to_tu` false: a transaction of the layer's own (the CANCEL it sends for the TU),
  // whose responses and failures are counted but go nowhere.
  ClientTransaction(TransactionEnv& env, ClientTransactionId id, std::string key, Message request,
                    const Peer& destination, bool report_to_tu);
  virtual ~ClientTransaction() = default;
  ClientTransaction(const ClientTransaction&) = delete;
  ClientTransaction& operator=(const ClientTransaction&) = delete;

  ClientTransactionId id() const { return id_; }
  const std::string& key() const { return key_; }
  TransactionState state() const { return state_; }
  const Message& request() const { return request_; }
  const Peer& destination() const { return destination_; }

  // Sends the request and starts the timers.
  virtual void start() = 0;
  // A response matched by §17.1.3.
  virtual void on_response(const Message& response) = 0;
  // RFC 3261 §9.1; only INVITE transactions can be cancelled.
  virtual Result<CancelState> cancel();
  // The transport could not deliver the request (§17.1.4): ended, and the TU gets a 503
  // unless it already has a final response.
  void on_transport_error();

 protected:
  bool reliable() const { return is_reliable(destination_.transport); }
  void send_request();
  void retransmit_request();
  void pass_up(const Message& response);
  // Timer B/F (or the CANCEL guard): ended, the TU gets a 408.
  void time_out();
  void end();  // to Terminated; the layer frees it later

  TransactionEnv& env_;
  TransactionState state_ = TransactionState::Trying;

 private:
  ClientTransactionId id_;
  std::string key_;
  Message request_;
  Peer destination_;
  bool report_to_tu_;
};

}  // namespace sb::sip
