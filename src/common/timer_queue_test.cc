#include "common/timer_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace sb {
namespace {

using namespace std::chrono_literals;

TEST(TimerQueue, FiresInDeadlineOrderThenSchedulingOrder) {
  TimerQueue q;
  std::string fired;
  TimePoint t0{};
  q.schedule(t0 + 3s, [&] { fired += "c"; });
  q.schedule(t0 + 1s, [&] { fired += "a"; });
  q.schedule(t0 + 3s, [&] { fired += "d"; });
  q.schedule(t0 + 2s, [&] { fired += "b"; });
  EXPECT_EQ(q.next_deadline(), t0 + 1s);
  EXPECT_EQ(q.run_due(t0 + 2s), 2u);
  EXPECT_EQ(fired, "ab");
  EXPECT_EQ(q.run_due(t0 + 10s), 2u);
  EXPECT_EQ(fired, "abcd");
  EXPECT_FALSE(q.next_deadline().has_value());
}

TEST(TimerQueue, CancelledTimersNeverFireAndLeaveNoDeadline) {
  TimerQueue q;
  int fired = 0;
  TimerId a = q.schedule(TimePoint{} + 1s, [&] { ++fired; });
  q.schedule(TimePoint{} + 5s, [&] { ++fired; });
  q.cancel(a);
  q.cancel(a);   // twice is harmless
  q.cancel(999); // unknown too
  EXPECT_FALSE(q.pending(a));
  EXPECT_EQ(q.next_deadline(), TimePoint{} + 5s);
  EXPECT_EQ(q.run_due(TimePoint{} + 4s), 0u);
  EXPECT_EQ(q.run_due(TimePoint{} + 5s), 1u);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueue, CallbacksMayRescheduleAndDueOnesFireInTheSameRun) {
  TimerQueue q;
  int count = 0;
  TimePoint now{};
  std::function<void()> tick = [&] {
    if (++count < 3) q.schedule(now, tick);  // due immediately: same run
  };
  q.schedule(now, tick);
  EXPECT_EQ(q.run_due(now), 3u);
  EXPECT_EQ(count, 3);
}

TEST(TimerQueue, ACallbackCanCancelALaterTimer) {
  TimerQueue q;
  bool late_fired = false;
  TimerId late = q.schedule(TimePoint{} + 2s, [&] { late_fired = true; });
  q.schedule(TimePoint{} + 1s, [&] { q.cancel(late); });
  q.run_due(TimePoint{} + 3s);
  EXPECT_FALSE(late_fired);
}

}  // namespace
}  // namespace sb
