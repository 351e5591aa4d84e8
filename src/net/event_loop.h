// net/event_loop.h: the control-plane thread (DESIGN.md: SIP transactions, calls, IVR and ACD
// run on one event loop with no locks). An Asio io_context plus the TimerQueue that pure
// modules schedule on; one system timer is kept armed at the queue's earliest deadline.
// Asio stays out of this header: code that needs sockets includes <boost/asio> in its .cc.
#pragma once

#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/scheduler.h"
#include "common/timer_queue.h"

namespace boost::asio {
class io_context;
}

namespace sb::net {

class EventLoop final : public Scheduler {
 public:
  EventLoop();
  ~EventLoop() override;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  boost::asio::io_context& io();
  const Clock& clock() const override { return clock_; }

  // Timers on the loop thread. Pure modules take the TimerQueue itself; after scheduling from
  // outside a loop handler, call rearm() (handlers run by the loop rearm on their own).
  TimerQueue& timers() { return timers_; }
  TimerId schedule_after(Duration delay, std::function<void()> callback) override;
  void cancel(TimerId id) override { timers_.cancel(id); }
  void rearm();

  // Thread-safe: runs `fn` on the loop thread.
  void post(std::function<void()> fn) override;
  // Runs until stop(); returns after the current handler. Thread-safe.
  void run();
  void stop();

 private:
  struct Impl;
  SystemClock clock_;
  TimerQueue timers_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::net
