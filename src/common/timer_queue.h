// common/timer_queue.h: one-shot timers keyed by absolute time, with O(log n) schedule and
// cancel. Pure: nothing fires until the owner calls run_due(now). The live server runs it from
// its event loop (one system timer armed at next_deadline()); tests drive it with a VirtualClock,
// so SIP timers and retransmissions are checked to the microsecond without sleeping.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace sb {

using TimerId = uint64_t;  // never 0, so 0 can mean "no timer"

class TimerQueue {
 public:
  TimerId schedule(TimePoint when, std::function<void()> callback);
  // Cancelling a timer that already fired or was cancelled is a no-op.
  void cancel(TimerId id);
  bool pending(TimerId id) const { return callbacks_.count(id) != 0; }
  size_t size() const { return callbacks_.size(); }
  // The earliest pending deadline, if any.
  std::optional<TimePoint> next_deadline();
  // Fires every timer due at or before `now`, earliest first (ties in scheduling order).
  // Callbacks may schedule and cancel timers; a timer scheduled at or before `now` from a
  // callback fires in the same call. Returns how many fired.
  size_t run_due(TimePoint now);

 private:
  struct Entry {
    TimePoint when;
    TimerId id;
    bool operator>(const Entry& o) const { return when != o.when ? when > o.when : id > o.id; }
  };
  void drop_cancelled_heads();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::unordered_map<TimerId, std::function<void()>> callbacks_;
  TimerId next_id_ = 1;
};

}  // namespace sb
