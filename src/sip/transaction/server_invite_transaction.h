// sip/transaction/server_invite_transaction.h: the INVITE server transaction (RFC 3261 §17.2.1,
// Figure 7, with the Accepted state of RFC 6026 §7.1). Internal to sip/transaction/.
#pragma once

#include <string>

#include "sip/transaction/server_transaction.h"

namespace sb::sip {

// Proceeding: 100 Trying after trying_delay unless the TU was quicker; a repeated INVITE gets
//   the latest provisional again.
// 2xx -> Accepted: repeated INVITEs absorbed (they must not reach the TU as new calls), more
//   2xx from the TU passed on, an ACK passed up; timer L ends it. Retransmitting the 2xx until
//   its ACK is the UAS core's job (§13.3.1.4): the TU (sip/dialog/) calls respond() again.
// 3xx-6xx -> Completed: timer G repeats the response (unreliable transports), a repeated
//   INVITE gets it too; the ACK -> Confirmed (absorbed); timer H without ACK -> the TU is told.
// Confirmed: ACKs absorbed until timer I.
class ServerInviteTransaction final : public ServerTransaction {
 public:
  using ServerTransaction::ServerTransaction;

  ServerInviteTransaction* as_invite() override { return this; }
  void start() override;
  void on_retransmission() override;
  bool on_ack() override;
  Result<TransactionState> respond(Message response) override;

  // The To tag this side uses for the request (§9.2: the 200 to a CANCEL carries the same one
  // as the INVITE's response): the tag of a response sent already, else one made up now and kept.
  std::string local_tag();
  // A CANCEL matched (§9.2): 487 Request Terminated if no final response was sent. true if so.
  bool cancel();

 private:
  void send_trying();
  void on_timer_g();
  void on_timer_h();

  TxTimer trying_timer_{env_};
  TxTimer timer_g_{env_};
  TxTimer timer_h_{env_};
  TxTimer timer_i_{env_};
  TxTimer timer_l_{env_};
  Duration g_interval_{};
  std::string local_tag_;
};

}  // namespace sb::sip
