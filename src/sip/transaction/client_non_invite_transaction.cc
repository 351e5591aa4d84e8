// sip/transaction/client_non_invite_transaction.cc
#include "sip/transaction/client_non_invite_transaction.h"

namespace sb::sip {

void ClientNonInviteTransaction::start() {
  state_ = TransactionState::Trying;
  send_request();
  // F before E: should both ever fall on the same instant, the timeout wins over one more send.
  timer_f_.start(env_.rfc().timer_f(), [this] {
    if (state_ == TransactionState::Trying || state_ == TransactionState::Proceeding) {
      time_out();
    }
  });
  if (!reliable()) {
    e_interval_ = env_.rfc().timer_e();
    timer_e_.start(e_interval_, [this] { on_timer_e(); });
  }
}

// RFC 3261 §17.1.2.2: in Trying, E doubles up to T2; in Proceeding it is T2.
void ClientNonInviteTransaction::on_timer_e() {
  if (state_ != TransactionState::Trying && state_ != TransactionState::Proceeding) {
    return;
  }
  retransmit_request();
  e_interval_ =
      state_ == TransactionState::Trying ? env_.rfc().capped_backoff(e_interval_) : env_.rfc().t2;
  timer_e_.start(e_interval_, [this] { on_timer_e(); });
}

void ClientNonInviteTransaction::on_response(const Message& response) {
  if (state_ != TransactionState::Trying && state_ != TransactionState::Proceeding) {
    ++env_.stats.retransmissions_absorbed;  // Completed: a repeat of the final
    return;
  }
  if (response.status() < 200) {
    state_ = TransactionState::Proceeding;
    pass_up(response);
    return;
  }
  state_ = TransactionState::Completed;
  timer_e_.cancel();
  timer_f_.cancel();
  const Duration k = env_.rfc().timer_k(reliable());
  if (k == Duration::zero()) {
    end();
  } else {
    timer_k_.start(k, [this] { end(); });
  }
  pass_up(response);
}

}  // namespace sb::sip
