// sip/client/registration_timing.cc
#include "sip/client/registration_timing.h"

#include <algorithm>

namespace sb::sip::client {

Duration refresh_delay(std::chrono::seconds granted) {
  const Duration whole = granted;
  const Duration margin = std::max<Duration>(std::chrono::seconds(5), whole / 10);
  return std::max<Duration>(whole - margin, whole / 2);
}

RetryBackoff::RetryBackoff(Duration initial, Duration max)
    : initial_(initial), max_(std::max(initial, max)), next_(initial) {}

Duration RetryBackoff::next() {
  const Duration now = next_;
  next_ = std::min<Duration>(2 * next_, max_);
  return now;
}

}  // namespace sb::sip::client
