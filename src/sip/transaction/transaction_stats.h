// sip/transaction/transaction_stats.h: counters for tests, logs and /metrics. Monotonic; the
// number of live transactions is asked of the layer instead.
#pragma once

#include <cstdint>

namespace sb::sip {

struct TransactionStats {
  // Created; the layer's own CANCELs count as client transactions.
  uint64_t server_transactions = 0;
  uint64_t client_transactions = 0;
  // Everything passed to the TransportSender, retransmissions included.
  uint64_t messages_sent = 0;
  // Timers A and E, and ACKs sent again for a repeated 3xx-6xx.
  uint64_t requests_retransmitted = 0;
  // Timer G, answers to repeated requests, 2xx the TU sends again.
  uint64_t responses_retransmitted = 0;
  // Repeated requests and responses kept from the TU.
  uint64_t retransmissions_absorbed = 0;
  // ACKs for 3xx-6xx, which end in their server transaction.
  uint64_t acks_absorbed = 0;
  // Automatic 100 Trying (RFC 3261 §17.2.1).
  uint64_t trying_sent = 0;
  // Timers B, F, H, and a cancelled INVITE without final response.
  uint64_t timeouts = 0;
  // CANCELs answered 481.
  uint64_t cancels_unmatched = 0;
  // Responses that matched no client transaction.
  uint64_t stray_responses = 0;
  // Transactions ended by TransactionLayer::transport_failed.
  uint64_t transport_errors = 0;
  // Unusable messages: no Via, a response's top Via that does not parse, a status outside
  // 100-699.
  uint64_t dropped = 0;
  // Requests whose top Via did not parse, answered 400 at their source (ACKs only counted).
  uint64_t bad_via = 0;
};

}  // namespace sb::sip
