// common/clock.h: the time source that deterministic modules (acd/, ivr/, reporting/) read.
// A real clock for the server and a virtual one for tests and the simulator; never sleeps.
#pragma once

#include <chrono>

namespace sb {

using Duration = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Duration>;

// Seconds as a double, for statistics and reports (never for ordering decisions).
inline double to_seconds(Duration d) { return std::chrono::duration<double>(d).count(); }
inline Duration from_seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// Wall-clock time, for the live server.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
};

// Time that moves only when told to: unit tests and the discrete-event simulator.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(TimePoint start = TimePoint{}) : now_(start) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }
  void advance(Duration d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace sb
