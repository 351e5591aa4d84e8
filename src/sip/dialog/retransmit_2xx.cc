// sip/dialog/retransmit_2xx.cc
#include "sip/dialog/retransmit_2xx.h"

#include <algorithm>

namespace sb::sip {

Duration retransmit_2xx_interval(unsigned n, const Retransmit2xxTimers& timers) {
  // §13.3.1.4: "starts at T1 seconds and doubles for each retransmission until it reaches T2".
  Duration interval = timers.t1;
  for (unsigned i = 0; i < n && interval < timers.t2; ++i) {
    interval *= 2;
  }
  return std::min(interval, timers.t2);
}

Retransmit2xxSchedule::Retransmit2xxSchedule(TimePoint first_sent, Retransmit2xxTimers timers)
    : timers_(timers),
      give_up_at_(first_sent + timers.give_up()),
      next_resend_(first_sent + retransmit_2xx_interval(0, timers)) {}

std::optional<TimePoint> Retransmit2xxSchedule::next_deadline() const {
  if (finished_) {
    return std::nullopt;
  }
  return std::min(next_resend_, give_up_at_);
}

Retransmit2xxStep Retransmit2xxSchedule::on_timer(TimePoint now) {
  if (finished_) {
    return Retransmit2xxStep::Finished;
  }
  if (now >= give_up_at_) {
    finished_ = true;
    return Retransmit2xxStep::GiveUp;
  }
  if (now < next_resend_) {
    return Retransmit2xxStep::Wait;
  }
  ++sent_;
  // The next resend keeps to the schedule (times from the first sending, not from `now`),
  // skipping those already past.
  while (next_resend_ <= now) {
    ++scheduled_;
    next_resend_ += retransmit_2xx_interval(scheduled_, timers_);
  }
  return Retransmit2xxStep::Retransmit;
}

Retransmit2xxTimer::Retransmit2xxTimer(TimerQueue& queue, const Clock& clock,
                                       std::function<void()> retransmit,
                                       std::function<void()> give_up, Retransmit2xxTimers timers)
    : queue_(queue),
      schedule_(clock.now(), timers),
      retransmit_(std::move(retransmit)),
      give_up_(std::move(give_up)) {
  arm();
}

Retransmit2xxTimer::~Retransmit2xxTimer() { queue_.cancel(timer_); }

void Retransmit2xxTimer::ack_received() {
  schedule_.ack_received();
  queue_.cancel(timer_);
  timer_ = 0;
}

void Retransmit2xxTimer::arm() {
  const std::optional<TimePoint> at = schedule_.next_deadline();
  timer_ = at ? queue_.schedule(*at, [this, when = *at] { fire(when); }) : 0;
}

void Retransmit2xxTimer::fire(TimePoint at) {
  timer_ = 0;
  // The deadline, not the queue's `now`: the schedule stays exact when the loop runs late.
  switch (schedule_.on_timer(at)) {
    case Retransmit2xxStep::Retransmit:
      arm();
      retransmit_();
      return;
    case Retransmit2xxStep::GiveUp: {
      // Moved out first: the callback may destroy this object, and with it give_up_.
      std::function<void()> give_up = std::move(give_up_);
      give_up();
      return;
    }
    case Retransmit2xxStep::Wait:
      arm();
      return;
    case Retransmit2xxStep::Finished:
      return;
  }
}

}  // namespace sb::sip
