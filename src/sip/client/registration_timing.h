// sip/client/registration_timing.h: when a registration is refreshed and how long a failed
// one waits before the next attempt. Pure arithmetic on durations.
#pragma once

#include <chrono>

#include "common/clock.h"

namespace sb::sip::client {

// The delay from a 200 to its refresh: granted − max(5 s, granted/10), and never less than
// granted/2. At 10 % before expiry a long registration (3600 s → 3240 s) keeps a margin for a
// challenge round and retransmissions without refreshing twice as often as needed; the 5 s
// floor covers a round trip for short ones (60 s → 54 s, 30 s → 25 s); granted/2 keeps very
// short ones sane (8 s → 4 s, 1 s → 0.5 s).
Duration refresh_delay(std::chrono::seconds granted);

// initial, 2×initial, 4×initial, ... capped at max; reset() after a success.
class RetryBackoff {
 public:
  RetryBackoff(Duration initial, Duration max);
  Duration next();
  void reset() { next_ = initial_; }

 private:
  Duration initial_;
  Duration max_;
  Duration next_;
};

}  // namespace sb::sip::client
