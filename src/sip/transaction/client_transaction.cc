// sip/transaction/client_transaction.cc
#include "sip/transaction/client_transaction.h"

#include <utility>

#include "sip/transaction/local_responses.h"

namespace sb::sip {

ClientTransaction::ClientTransaction(TransactionEnv& env, ClientTransactionId id, std::string key,
                                     Message request, const Peer& destination, bool report_to_tu)
    : env_(env),
      id_(id),
      key_(std::move(key)),
      request_(std::move(request)),
      destination_(destination),
      report_to_tu_(report_to_tu) {}

Result<CancelState> ClientTransaction::cancel() {
  return Error{"only an INVITE transaction can be cancelled", "cancel"};
}

void ClientTransaction::send_request() { env_.send(destination_, request_); }

void ClientTransaction::retransmit_request() {
  ++env_.stats.requests_retransmitted;
  env_.send(destination_, request_);
}

void ClientTransaction::pass_up(const Message& response) {
  if (report_to_tu_) {
    env_.tu.on_response(id_, response);
  }
}

void ClientTransaction::end() {
  if (state_ != TransactionState::Terminated) {
    state_ = TransactionState::Terminated;
    env_.host.ended(id_);
  }
}

// RFC 3261 §8.1.3.1: a timeout is handled as a 408 and a transport failure as a 503.
void ClientTransaction::time_out() {
  if (state_ == TransactionState::Terminated) {
    return;
  }
  ++env_.stats.timeouts;
  end();
  if (!report_to_tu_) {
    return;
  }
  if (std::optional<Message> timeout = make_local_response(request_, 408, "Request Timeout")) {
    env_.tu.on_client_timeout(id_, *timeout);
  }
}

void ClientTransaction::on_transport_error() {
  if (state_ == TransactionState::Terminated) {
    return;
  }
  ++env_.stats.transport_errors;
  // After the final response the TU has its answer: a failed ACK or a late retransmission
  // only ends the transaction early.
  const bool answered =
      state_ == TransactionState::Completed || state_ == TransactionState::Accepted;
  end();
  if (!report_to_tu_ || answered) {
    return;
  }
  if (std::optional<Message> unavailable =
          make_local_response(request_, 503, "Service Unavailable")) {
    env_.tu.on_client_transport_error(id_, *unavailable);
  }
}

}  // namespace sb::sip
