// sip/dialog/retransmit_2xx_test.cc: the UAS 2xx retransmission schedule of RFC 3261
// §13.3.1.4 (T1 doubling to T2, give up at 64*T1), pure and on a TimerQueue with virtual time.
#include "sip/dialog/retransmit_2xx.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace sb::sip {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

const TimePoint kStart = TimePoint{} + 1000s;

// Offsets from kStart, in milliseconds, so failures read like the RFC's timeline.
int64_t ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t - kStart).count();
}

TEST(Retransmit2xxInterval, DoublesFromT1AndStaysAtT2) {
  std::vector<int64_t> intervals;
  for (unsigned n = 0; n < 8; ++n) {
    intervals.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(retransmit_2xx_interval(n)).count());
  }
  EXPECT_THAT(intervals, ElementsAre(500, 1000, 2000, 4000, 4000, 4000, 4000, 4000));
  EXPECT_EQ(retransmit_2xx_interval(1000), 4s);  // no overflow however long it runs
  const Retransmit2xxTimers lan{100ms, 1s};
  EXPECT_EQ(retransmit_2xx_interval(2, lan), 400ms);
  EXPECT_EQ(retransmit_2xx_interval(4, lan), 1s);
}

TEST(Retransmit2xxSchedule, ResendsAt500ms1s2s4sThen4sUntilGivingUpAt32s) {
  Retransmit2xxSchedule schedule(kStart);
  std::vector<int64_t> resends;
  std::optional<TimePoint> at;
  while ((at = schedule.next_deadline())) {
    const Retransmit2xxStep step = schedule.on_timer(*at);
    if (step == Retransmit2xxStep::Retransmit) {
      resends.push_back(ms(*at));
    } else {
      ASSERT_EQ(step, Retransmit2xxStep::GiveUp);
      EXPECT_EQ(ms(*at), 32000);  // 64*T1
    }
  }
  EXPECT_THAT(resends,
              ElementsAre(500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500));
  EXPECT_EQ(schedule.retransmissions(), 10u);
  EXPECT_TRUE(schedule.finished());
  EXPECT_EQ(schedule.on_timer(kStart + 40s), Retransmit2xxStep::Finished);
}

TEST(Retransmit2xxSchedule, WaitsWhenWokenEarly) {
  Retransmit2xxSchedule schedule(kStart);
  EXPECT_EQ(schedule.on_timer(kStart + 499ms), Retransmit2xxStep::Wait);
  EXPECT_EQ(schedule.on_timer(kStart + 500ms), Retransmit2xxStep::Retransmit);
  EXPECT_EQ(schedule.on_timer(kStart + 500ms), Retransmit2xxStep::Wait);
  EXPECT_EQ(ms(*schedule.next_deadline()), 1500);
}

TEST(Retransmit2xxSchedule, TheAckStopsIt) {
  Retransmit2xxSchedule schedule(kStart);
  ASSERT_EQ(schedule.on_timer(kStart + 500ms), Retransmit2xxStep::Retransmit);
  schedule.ack_received();
  EXPECT_EQ(schedule.next_deadline(), std::nullopt);
  EXPECT_EQ(schedule.on_timer(kStart + 1500ms), Retransmit2xxStep::Finished);
  EXPECT_EQ(schedule.retransmissions(), 1u);
}

TEST(Retransmit2xxSchedule, AWakeUpLateResendsOnceAndKeepsTheSchedule) {
  Retransmit2xxSchedule schedule(kStart);
  // Woken at 4 s: the resends due at 0.5, 1.5 and 3.5 s collapse into one.
  EXPECT_EQ(schedule.on_timer(kStart + 4s), Retransmit2xxStep::Retransmit);
  EXPECT_EQ(schedule.retransmissions(), 1u);
  EXPECT_EQ(ms(*schedule.next_deadline()), 7500);
  // Woken after 64*T1: give up, no last resend.
  EXPECT_EQ(schedule.on_timer(kStart + 33s), Retransmit2xxStep::GiveUp);
}

TEST(Retransmit2xxSchedule, GivesUpRatherThanResendingAtTheSameInstant) {
  // T1 = T2 = 1 s: resends at 1, 2, ..., 63 s; 64 s is the give-up time only.
  Retransmit2xxSchedule schedule(kStart, Retransmit2xxTimers{1s, 1s});
  unsigned resends = 0;
  while (const std::optional<TimePoint> at = schedule.next_deadline()) {
    if (schedule.on_timer(*at) == Retransmit2xxStep::Retransmit) {
      ++resends;
    } else {
      EXPECT_EQ(ms(*at), 64000);
    }
  }
  EXPECT_EQ(resends, 63u);
}

TEST(Retransmit2xxTimer, RunsTheScheduleOnATimerQueue) {
  VirtualClock clock(kStart);
  TimerQueue queue;
  std::vector<int64_t> sent;
  int gave_up = 0;
  Retransmit2xxTimer timer(
      queue, clock, [&] { sent.push_back(ms(clock.now())); }, [&] { ++gave_up; });
  for (int i = 0; i < 400; ++i) {  // 40 s in steps of 100 ms
    clock.advance(100ms);
    queue.run_due(clock.now());
  }
  EXPECT_THAT(sent, ElementsAre(500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500));
  EXPECT_EQ(gave_up, 1);
  EXPECT_FALSE(timer.active());
  EXPECT_EQ(queue.size(), 0u);
}

TEST(Retransmit2xxTimer, TheAckCancelsItsTimer) {
  VirtualClock clock(kStart);
  TimerQueue queue;
  int sent = 0;
  int gave_up = 0;
  Retransmit2xxTimer timer(
      queue, clock, [&] { ++sent; }, [&] { ++gave_up; });
  clock.advance(2s);
  queue.run_due(clock.now());
  EXPECT_EQ(sent, 2);
  timer.ack_received();
  EXPECT_EQ(queue.size(), 0u);
  clock.advance(60s);
  queue.run_due(clock.now());
  EXPECT_EQ(sent, 2);
  EXPECT_EQ(gave_up, 0);
}

TEST(Retransmit2xxTimer, GiveUpMayDestroyTheTimerAndDestroyingCancels) {
  VirtualClock clock(kStart);
  TimerQueue queue;
  std::unique_ptr<Retransmit2xxTimer> timer;
  timer = std::make_unique<Retransmit2xxTimer>(
      queue, clock, [] {}, [&] { timer.reset(); });
  clock.advance(40s);
  queue.run_due(clock.now());
  EXPECT_EQ(timer, nullptr);

  auto other = std::make_unique<Retransmit2xxTimer>(
      queue, clock, [] {}, [] {});
  EXPECT_EQ(queue.size(), 1u);
  other.reset();
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace sb::sip
