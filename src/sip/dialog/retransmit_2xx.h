// sip/dialog/retransmit_2xx.h: the UAS core's 2xx retransmission of RFC 3261 §13.3.1.4: a 2xx
// to INVITE is sent again at T1, doubling up to T2, until its ACK arrives, and given up after
// 64*T1 (the dialog is then ended with a BYE). On every transport: the 2xx is end to end and a
// later hop may be UDP. A pure schedule, plus a driver on sb::TimerQueue for owners without
// their own timers. Not the transaction layer's retransmission of INVITE responses (§17.2.1).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "common/clock.h"
#include "common/timer_queue.h"

namespace sb::sip {

struct Retransmit2xxTimers {
  Duration t1 = std::chrono::milliseconds(500);  // RFC 3261 §17.1.1.1, Table 4
  Duration t2 = std::chrono::seconds(4);
  Duration give_up() const { return 64 * t1; }
};

// The wait before retransmission `n` (0: the first resend): T1 * 2^n, capped at T2.
Duration retransmit_2xx_interval(unsigned n, const Retransmit2xxTimers& timers = {});

enum class Retransmit2xxStep : uint8_t {
  Wait,        // nothing due yet
  Retransmit,  // send the same 2xx again
  GiveUp,      // 64*T1 without ACK: Dialog::on_ack_timeout(), then BYE (§13.3.1.4)
  Finished,    // the ACK came, or it gave up before
};

// Times relative to the first sending of the 2xx. With the default timers: resends at 0.5 s,
// 1.5 s, 3.5 s, 7.5 s, then every 4 s up to 31.5 s; gives up at 32 s.
class Retransmit2xxSchedule {
 public:
  explicit Retransmit2xxSchedule(TimePoint first_sent, Retransmit2xxTimers timers = {});

  // When on_timer() next has something to do: the next resend, or giving up when that comes
  // first (a resend due at the give-up time is not made); nullopt once finished.
  std::optional<TimePoint> next_deadline() const;
  // What is due at `now`. One resend per call: a caller woken late gets one, and the schedule
  // skips the resends whose time has passed.
  Retransmit2xxStep on_timer(TimePoint now);
  void ack_received() { finished_ = true; }
  bool finished() const { return finished_; }
  unsigned retransmissions() const { return sent_; }

 private:
  Retransmit2xxTimers timers_;
  TimePoint give_up_at_;
  TimePoint next_resend_;
  unsigned sent_ = 0;       // resends made
  unsigned scheduled_ = 0;  // index of the resend due at next_resend_
  bool finished_ = false;
};

// The schedule run on a TimerQueue: `retransmit` at each resend, `give_up` once at 64*T1 unless
// ack_received() came first. `give_up` may destroy this object; `retransmit` must not.
// Destroying it cancels its timer. Single-threaded, like the queue.
class Retransmit2xxTimer {
 public:
  Retransmit2xxTimer(TimerQueue& queue, const Clock& clock, std::function<void()> retransmit,
                     std::function<void()> give_up, Retransmit2xxTimers timers = {});
  ~Retransmit2xxTimer();
  Retransmit2xxTimer(const Retransmit2xxTimer&) = delete;
  Retransmit2xxTimer& operator=(const Retransmit2xxTimer&) = delete;

  void ack_received();
  bool active() const { return !schedule_.finished(); }
  const Retransmit2xxSchedule& schedule() const { return schedule_; }

 private:
  void arm();
  void fire(TimePoint at);

  TimerQueue& queue_;
  Retransmit2xxSchedule schedule_;
  std::function<void()> retransmit_;
  std::function<void()> give_up_;
  TimerId timer_ = 0;
};

}  // namespace sb::sip
