// common/scheduler.h: time as a stateful module sees it: the clock, one-shot timers and "run
// this on the next turn". The server's event loop implements it (net/event_loop.h); tests use
// ManualScheduler on a virtual clock, so a call's 30 s of waiting runs in microseconds.
#pragma once

#include <algorithm>
#include <functional>

#include "common/clock.h"
#include "common/timer_queue.h"

namespace sb {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual const Clock& clock() const = 0;
  TimePoint now() const { return clock().now(); }
  virtual TimerId schedule_after(Duration delay, std::function<void()> callback) = 0;
  // Cancelling a timer that already fired, or 0, is a no-op.
  virtual void cancel(TimerId id) = 0;
  // Runs `fn` on the scheduler's thread after the current handler returns (never inside it).
  virtual void post(std::function<void()> fn) = 0;
};

// A scheduler on a virtual clock and a timer queue owned elsewhere (a fake SIP stack's, so
// both share one time). Nothing runs until advance().
class ManualScheduler final : public Scheduler {
 public:
  ManualScheduler(VirtualClock& clock, TimerQueue& timers) : clock_(clock), timers_(timers) {}
  const Clock& clock() const override { return clock_; }
  TimerId schedule_after(Duration delay, std::function<void()> callback) override {
    return timers_.schedule(clock_.now() + delay, std::move(callback));
  }
  void cancel(TimerId id) override {
    if (id != 0) timers_.cancel(id);
  }
  void post(std::function<void()> fn) override { timers_.schedule(clock_.now(), std::move(fn)); }
  // Moves time on by `d`, firing each timer at its own deadline (so a periodic timer fires
  // once per period, and what it schedules is measured from then).
  void advance(Duration d = Duration::zero()) {
    const TimePoint until = clock_.now() + d;
    timers_.run_due(clock_.now());
    for (auto next = timers_.next_deadline(); next && *next <= until; next = timers_.next_deadline()) {
      clock_.set(std::max(*next, clock_.now()));
      timers_.run_due(clock_.now());
    }
    clock_.set(until);
  }

 private:
  VirtualClock& clock_;
  TimerQueue& timers_;
};

}  // namespace sb
