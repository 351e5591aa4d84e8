// sip/transaction/client_non_invite_transaction.h: the non-INVITE client transaction (RFC 3261
// §17.1.2, Figure 6). Internal to sip/transaction/.
#pragma once

#include "sip/transaction/client_transaction.h"

namespace sb::sip {

// Trying: timer E repeats the request (unreliable transports) at T1 doubling to T2; timer F
//   gives up (408 to TU).
// A provisional -> Proceeding: passed up; E keeps repeating, now every T2.
// A final -> Completed: passed up once; repeats absorbed until timer K (zero when reliable).
class ClientNonInviteTransaction final : public ClientTransaction {
 public:
  using ClientTransaction::ClientTransaction;

  void start() override;
  void on_response(const Message& response) override;

 private:
  void on_timer_e();

  TxTimer timer_e_{env_};
  TxTimer timer_f_{env_};
  TxTimer timer_k_{env_};
  Duration e_interval_{};
};

}  // namespace sb::sip
