// sip/transaction/server_invite_transaction.cc
#include "sip/transaction/server_invite_transaction.h"

#include <utility>

#include "sip/transaction/local_responses.h"

namespace sb::sip {

void ServerInviteTransaction::start() {
  state_ = TransactionState::Proceeding;
  trying_timer_.start(env_.config.trying_delay, [this] { send_trying(); });
}

// RFC 3261 §17.2.1: "MUST generate a 100 (Trying) response unless it knows that the TU will
// generate a provisional or final response within 200 ms".
void ServerInviteTransaction::send_trying() {
  if (state_ != TransactionState::Proceeding || last_response_) {
    return;
  }
  std::optional<Message> trying = make_trying(request());
  if (!trying) {
    return;
  }
  ++env_.stats.trying_sent;
  send_response(std::move(*trying));
}

void ServerInviteTransaction::on_retransmission() {
  ++env_.stats.retransmissions_absorbed;
  switch (state_) {
    case TransactionState::Proceeding:  // the latest provisional, if any
    case TransactionState::Completed:   // the final response
      resend_last_response();
      break;
    default:  // Confirmed; Accepted (RFC 6026 §7.1: absorbed, not passed up, nothing sent)
      break;
  }
}

bool ServerInviteTransaction::on_ack() {
  switch (state_) {
    case TransactionState::Completed: {
      // §17.2.1: the ACK for our 3xx-6xx; timer I absorbs its retransmissions.
      ++env_.stats.acks_absorbed;
      state_ = TransactionState::Confirmed;
      timer_g_.cancel();
      timer_h_.cancel();
      const Duration i = env_.rfc().timer_i(reliable());
      if (i == Duration::zero()) {
        end();
      } else {
        timer_i_.start(i, [this] { end(); });
      }
      return true;
    }
    case TransactionState::Confirmed:
      ++env_.stats.acks_absorbed;
      return true;
    case TransactionState::Accepted:
      return false;  // RFC 6026 §7.1: an ACK in Accepted goes to the TU
    default:
      // No final response yet, or ended: an ACK has nothing to acknowledge here.
      ++env_.stats.retransmissions_absorbed;
      return true;
  }
}

Result<TransactionState> ServerInviteTransaction::respond(Message response) {
  if (std::optional<Error> error = check_response(response)) {
    return *error;
  }
  const int status = response.status();
  if (state_ == TransactionState::Accepted) {
    // RFC 6026 §7.1: 2xx retransmissions from the TU go out; nothing else is allowed now.
    if (status < 200 || status >= 300) {
      return Error{"the INVITE was already answered with a 2xx", "respond"};
    }
    ++env_.stats.responses_retransmitted;
    env_.send(response_destination(), response);
    return state_;
  }
  if (state_ != TransactionState::Proceeding) {
    return Error{"the INVITE already has a final response", "respond"};
  }
  trying_timer_.cancel();
  if (status < 200) {
    send_response(std::move(response));
    return state_;
  }
  if (status < 300) {
    state_ = TransactionState::Accepted;
    send_response(std::move(response));
    timer_l_.start(env_.rfc().timer_l(), [this] { end(); });
    return state_;
  }
  state_ = TransactionState::Completed;
  send_response(std::move(response));
  if (!reliable()) {
    g_interval_ = env_.rfc().timer_g();
    timer_g_.start(g_interval_, [this] { on_timer_g(); });
  }
  timer_h_.start(env_.rfc().timer_h(), [this] { on_timer_h(); });
  return state_;
}

void ServerInviteTransaction::on_timer_g() {
  if (state_ != TransactionState::Completed) {
    return;
  }
  resend_last_response();
  g_interval_ = env_.rfc().capped_backoff(g_interval_);
  timer_g_.start(g_interval_, [this] { on_timer_g(); });
}

void ServerInviteTransaction::on_timer_h() {
  if (state_ != TransactionState::Completed) {
    return;
  }
  ++env_.stats.timeouts;
  timer_g_.cancel();
  end();
  env_.tu.on_ack_timeout(id(), *last_response_);
}

std::string ServerInviteTransaction::local_tag() {
  if (last_response_) {
    const std::string_view sent = last_response_->to_tag();
    if (!sent.empty()) {
      return std::string(sent);
    }
  }
  if (local_tag_.empty()) {
    local_tag_ = env_.tokens.tag();
  }
  return local_tag_;
}

bool ServerInviteTransaction::cancel() {
  if (state_ != TransactionState::Proceeding) {
    return false;
  }
  std::optional<Message> terminated =
      make_local_response(request(), 487, "Request Terminated", local_tag());
  if (!terminated) {
    return false;
  }
  return respond(std::move(*terminated)).has_value();
}

}  // namespace sb::sip
