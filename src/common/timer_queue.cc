#include "common/timer_queue.h"

namespace sb {

TimerId TimerQueue::schedule(TimePoint when, std::function<void()> callback) {
  TimerId id = next_id_++;
  heap_.push({when, id});
  callbacks_.emplace(id, std::move(callback));
  return id;
}

// Cancelled entries stay in the heap (lazy deletion) and are skipped when they reach the top.
void TimerQueue::cancel(TimerId id) { callbacks_.erase(id); }

void TimerQueue::drop_cancelled_heads() {
  while (!heap_.empty() && callbacks_.count(heap_.top().id) == 0) heap_.pop();
}

std::optional<TimePoint> TimerQueue::next_deadline() {
  drop_cancelled_heads();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().when;
}

size_t TimerQueue::run_due(TimePoint now) {
  size_t fired = 0;
  for (;;) {
    drop_cancelled_heads();
    if (heap_.empty() || heap_.top().when > now) break;
    TimerId id = heap_.top().id;
    heap_.pop();
    auto it = callbacks_.find(id);
    std::function<void()> callback = std::move(it->second);
    callbacks_.erase(it);
    callback();
    ++fired;
  }
  return fired;
}

}  // namespace sb
