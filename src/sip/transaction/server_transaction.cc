// sip/transaction/server_transaction.cc
#include "sip/transaction/server_transaction.h"

#include <utility>

namespace sb::sip {

ServerTransaction::ServerTransaction(TransactionEnv& env, ServerTransactionId id, std::string key,
                                     Message request, const Peer& source, const Peer& response_to)
    : env_(env),
      id_(id),
      key_(std::move(key)),
      request_(std::move(request)),
      source_(source),
      response_to_(response_to) {}

std::optional<Error> ServerTransaction::check_response(const Message& response) const {
  if (response.is_request()) {
    return Error{"a request is not a response", "respond"};
  }
  if (response.status() < 100 || response.status() > 699) {
    return Error{"status " + std::to_string(response.status()) + " is outside 100-699", "respond"};
  }
  if (response.cseq() != request_.cseq() || response.cseq_method_text() != request_.method_text()) {
    return Error{"the response's CSeq is not the request's", "respond"};
  }
  if (state_ == TransactionState::Terminated) {
    return Error{"the transaction has ended", "respond"};
  }
  return std::nullopt;
}

void ServerTransaction::send_response(Message response) {
  env_.send(response_to_, response);
  last_response_ = std::move(response);
}

void ServerTransaction::resend_last_response() {
  if (last_response_) {
    ++env_.stats.responses_retransmitted;
    env_.send(response_to_, *last_response_);
  }
}

void ServerTransaction::end() {
  if (state_ != TransactionState::Terminated) {
    state_ = TransactionState::Terminated;
    env_.host.ended(id_);
  }
}

void ServerTransaction::on_transport_error() {
  if (state_ == TransactionState::Terminated) {
    return;
  }
  ++env_.stats.transport_errors;
  end();
  env_.tu.on_server_transport_error(id_);
}

}  // namespace sb::sip
