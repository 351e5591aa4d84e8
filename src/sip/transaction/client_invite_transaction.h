// sip/transaction/client_invite_transaction.h: the INVITE client transaction (RFC 3261
// §17.1.1, Figure 5, with the Accepted state of RFC 6026 §7.2). Internal to sip/transaction/.
#pragma once

#include <optional>

#include "sip/transaction/client_transaction.h"

namespace sb::sip {

// Calling: timer A repeats the INVITE (unreliable transports), timer B gives up (408 to TU).
// A provisional -> Proceeding: no more repeats, no timeout (the TU cancels if it waits too long).
// 2xx -> Accepted: passed up, and so is every later 2xx (repeats, other forks) until timer M;
//   the TU ACKs each one.
// 3xx-6xx -> Completed: ACKed here (§17.1.1.3), passed up once; repeats of it are ACKed again
//   and absorbed until timer D.
// cancel(): the CANCEL goes out as its own non-INVITE transaction once a provisional arrived
//   (§9.1); if no final response follows within 64*T1, the TU gets a 408.
class ClientInviteTransaction final : public ClientTransaction {
 public:
  using ClientTransaction::ClientTransaction;

  void start() override;
  void on_response(const Message& response) override;
  Result<CancelState> cancel() override;

 private:
  void on_timer_a();
  void on_provisional(const Message& response);
  void on_2xx(const Message& response);
  void on_failure(const Message& response);
  void send_cancel();

  TxTimer timer_a_{env_};
  TxTimer timer_b_{env_};
  TxTimer timer_d_{env_};
  TxTimer timer_m_{env_};
  TxTimer cancel_guard_{env_};  // §9.1: 64*T1 for a final response after the CANCEL
  Duration a_interval_{};
  bool cancel_requested_ = false;
  bool cancel_sent_ = false;
  std::optional<Message> ack_;  // for 3xx-6xx, kept to answer repeats of the final response
};

}  // namespace sb::sip
