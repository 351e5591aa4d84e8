// sip/transaction/transaction_config.h: how a TransactionLayer is tuned: RFC 3261 timers, the
// automatic 100 Trying, and the seed of its branch and tag generator.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "sip/transaction/transaction_timers.h"

namespace sb::sip {

struct TransactionConfig {
  TransactionTimers timers;
  // RFC 3261 §17.2.1: an INVITE server transaction answers 100 Trying itself unless the TU
  // responds within 200 ms.
  Duration trying_delay = std::chrono::milliseconds(200);
  // Seeds the branch and tag generator; nullopt draws one from std::random_device. Tests set it.
  std::optional<uint64_t> token_seed;
};

}  // namespace sb::sip
