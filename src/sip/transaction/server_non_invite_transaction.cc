// sip/transaction/server_non_invite_transaction.cc
#include "sip/transaction/server_non_invite_transaction.h"

#include <utility>

namespace sb::sip {

void ServerNonInviteTransaction::on_retransmission() {
  ++env_.stats.retransmissions_absorbed;
  if (state_ == TransactionState::Proceeding || state_ == TransactionState::Completed) {
    resend_last_response();
  }
}

Result<TransactionState> ServerNonInviteTransaction::respond(Message response) {
  if (std::optional<Error> error = check_response(response)) {
    return *error;
  }
  if (state_ == TransactionState::Completed) {
    return Error{"the request already has a final response", "respond"};
  }
  if (response.status() < 200) {
    state_ = TransactionState::Proceeding;
    send_response(std::move(response));
    return state_;
  }
  state_ = TransactionState::Completed;
  send_response(std::move(response));
  const Duration j = env_.rfc().timer_j(reliable());
  if (j == Duration::zero()) {
    end();
  } else {
    timer_j_.start(j, [this] { end(); });
  }
  return state_;
}

}  // namespace sb::sip
