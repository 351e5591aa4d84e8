// sip/transaction/transaction_id.h: the handles the TU holds for transactions. Plain numbers,
// never reused by a layer, so a stale handle finds nothing instead of someone else's transaction.
#pragma once

#include <cstdint>

namespace sb::sip {

struct ServerTransactionId {
  uint64_t value = 0;  // 0: none
  friend bool operator==(const ServerTransactionId&, const ServerTransactionId&) = default;
};

struct ClientTransactionId {
  uint64_t value = 0;  // 0: none
  friend bool operator==(const ClientTransactionId&, const ClientTransactionId&) = default;
};

}  // namespace sb::sip
