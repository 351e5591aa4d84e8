// sip/transaction/server_non_invite_transaction.h: the non-INVITE server transaction (RFC 3261
// §17.2.2, Figure 8). Internal to sip/transaction/.
#pragma once

#include "sip/transaction/server_transaction.h"

namespace sb::sip {

// Trying: a repeated request is absorbed silently. A provisional -> Proceeding, where a
// repeated request gets it again. A final -> Completed: a repeated request gets the final
// again, until timer J (zero on reliable transports).
class ServerNonInviteTransaction final : public ServerTransaction {
 public:
  using ServerTransaction::ServerTransaction;

  void start() override { state_ = TransactionState::Trying; }
  void on_retransmission() override;
  Result<TransactionState> respond(Message response) override;

 private:
  TxTimer timer_j_{env_};
};

}  // namespace sb::sip
