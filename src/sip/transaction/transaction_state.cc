// sip/transaction/transaction_state.cc
#include "sip/transaction/transaction_state.h"

namespace sb::sip {

std::string_view state_name(TransactionState state) {
  switch (state) {
    case TransactionState::Calling:
      return "Calling";
    case TransactionState::Trying:
      return "Trying";
    case TransactionState::Proceeding:
      return "Proceeding";
    case TransactionState::Completed:
      return "Completed";
    case TransactionState::Confirmed:
      return "Confirmed";
    case TransactionState::Accepted:
      return "Accepted";
    case TransactionState::Terminated:
      return "Terminated";
  }
  return "Unknown";
}

}  // namespace sb::sip
