// sip/transaction/client_invite_transaction.cc
#include "sip/transaction/client_invite_transaction.h"

#include "sip/transaction/derived_requests.h"

namespace sb::sip {

void ClientInviteTransaction::start() {
  state_ = TransactionState::Calling;
  send_request();
  // B before A: should both ever fall on the same instant, the timeout wins over one more send.
  timer_b_.start(env_.rfc().timer_b(), [this] {
    if (state_ == TransactionState::Calling) {
      time_out();
    }
  });
  if (!reliable()) {
    a_interval_ = env_.rfc().timer_a();
    timer_a_.start(a_interval_, [this] { on_timer_a(); });
  }
}

// RFC 3261 §17.1.1.2: timer A doubles on each retransmission, with no cap, until timer B.
void ClientInviteTransaction::on_timer_a() {
  if (state_ != TransactionState::Calling) {
    return;
  }
  retransmit_request();
  a_interval_ *= 2;
  timer_a_.start(a_interval_, [this] { on_timer_a(); });
}

void ClientInviteTransaction::on_response(const Message& response) {
  const int status = response.status();
  if (status < 200) {
    on_provisional(response);
  } else if (status < 300) {
    on_2xx(response);
  } else {
    on_failure(response);
  }
}

void ClientInviteTransaction::on_provisional(const Message& response) {
  if (state_ != TransactionState::Calling && state_ != TransactionState::Proceeding) {
    ++env_.stats.retransmissions_absorbed;  // late provisional after the final: meaningless
    return;
  }
  state_ = TransactionState::Proceeding;
  timer_a_.cancel();
  timer_b_.cancel();
  if (cancel_requested_ && !cancel_sent_) {
    send_cancel();
  }
  pass_up(response);
}

void ClientInviteTransaction::on_2xx(const Message& response) {
  if (state_ == TransactionState::Accepted) {
    pass_up(response);  // RFC 6026 §7.2: repeats and other forks' 2xx, for the TU to ACK
    return;
  }
  if (state_ != TransactionState::Calling && state_ != TransactionState::Proceeding) {
    ++env_.stats.retransmissions_absorbed;  // a 2xx after a 3xx-6xx: the call failed already
    return;
  }
  state_ = TransactionState::Accepted;
  timer_a_.cancel();
  timer_b_.cancel();
  cancel_guard_.cancel();
  timer_m_.start(env_.rfc().timer_m(), [this] { end(); });
  pass_up(response);
}

void ClientInviteTransaction::on_failure(const Message& response) {
  if (state_ == TransactionState::Completed) {
    // §17.1.1.2: a repeated final means our ACK was lost: ACK again, tell nobody.
    ++env_.stats.retransmissions_absorbed;
    if (ack_) {
      ++env_.stats.requests_retransmitted;
      env_.send(destination(), *ack_);
    }
    return;
  }
  if (state_ != TransactionState::Calling && state_ != TransactionState::Proceeding) {
    ++env_.stats.retransmissions_absorbed;
    return;
  }
  state_ = TransactionState::Completed;
  timer_a_.cancel();
  timer_b_.cancel();
  cancel_guard_.cancel();
  // §17.1.1.3: the ACK goes where the INVITE went.
  ack_ = make_non_2xx_ack(request(), response);
  if (ack_) {
    env_.send(destination(), *ack_);
  }
  const Duration d = env_.rfc().timer_d(reliable());
  if (d == Duration::zero()) {
    end();
  } else {
    timer_d_.start(d, [this] { end(); });
  }
  pass_up(response);
}

Result<CancelState> ClientInviteTransaction::cancel() {
  switch (state_) {
    case TransactionState::Calling:
      // §9.1: "the client MUST wait for the arrival of a provisional response".
      cancel_requested_ = true;
      return CancelState::WaitingForProvisional;
    case TransactionState::Proceeding:
      cancel_requested_ = true;
      if (!cancel_sent_) {
        send_cancel();
      }
      return CancelState::Sent;
    default:
      return Error{"the INVITE already has a final response", "cancel"};
  }
}

void ClientInviteTransaction::send_cancel() {
  cancel_sent_ = true;
  env_.host.send_cancel(request(), destination());
  // §9.1: without a final response within 64*T1 the INVITE is considered cancelled.
  cancel_guard_.start(env_.rfc().cancel_wait(), [this] {
    if (state_ == TransactionState::Proceeding) {
      time_out();
    }
  });
}

}  // namespace sb::sip
