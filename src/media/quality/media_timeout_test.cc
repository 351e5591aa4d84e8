// media/quality/media_timeout_test.cc: once per episode, re-arming, hold, never-started calls.
#include "media/quality/media_timeout.h"

#include <gtest/gtest.h>

namespace sb::media::quality {
namespace {

using namespace std::chrono_literals;
using TimePoint = MediaTimeout::TimePoint;

const TimePoint t0 = TimePoint{} + 1000s;

TEST(MediaTimeout, FiresOncePerSilenceEpisode) {
  MediaTimeout m(5s);
  m.on_packet(t0);
  EXPECT_FALSE(m.check(t0 + 4999ms));
  EXPECT_TRUE(m.check(t0 + 5s));
  EXPECT_FALSE(m.check(t0 + 6s));
  EXPECT_FALSE(m.check(t0 + 60s));
  m.on_packet(t0 + 61s);  // re-armed
  EXPECT_FALSE(m.check(t0 + 65s));
  EXPECT_TRUE(m.check(t0 + 66s));
  EXPECT_FALSE(m.check(t0 + 67s));
}

TEST(MediaTimeout, TheNextDeadlineIsWhenItCouldFire) {
  MediaTimeout m(5s);
  EXPECT_EQ(m.next_deadline(), TimePoint{}) << "not started: check now";
  m.on_packet(t0);
  EXPECT_EQ(m.next_deadline(), t0 + 5s);
  EXPECT_TRUE(m.check(t0 + 5s));
  EXPECT_FALSE(m.next_deadline()) << "fired: nothing until the next packet";
  m.set_paused(true);
  EXPECT_FALSE(m.next_deadline());
  MediaTimeout off(0ms);
  EXPECT_FALSE(off.next_deadline()) << "no timeout configured: never due";
}

TEST(MediaTimeout, PacketsKeepItQuiet) {
  MediaTimeout m(2s);
  for (auto t = t0; t < t0 + 60s; t += 20ms) {
    m.on_packet(t);
    EXPECT_FALSE(m.check(t + 10ms));
  }
}

TEST(MediaTimeout, NeverStartedCallTimesOutFromFirstCheck) {
  MediaTimeout m(3s);
  EXPECT_FALSE(m.check(t0));
  EXPECT_FALSE(m.check(t0 + 2s));
  EXPECT_TRUE(m.check(t0 + 3s));
  EXPECT_FALSE(m.check(t0 + 4s));
}

TEST(MediaTimeout, HoldSuspendsAndResumeGivesAFullTimeout) {
  MediaTimeout m(5s);
  m.on_packet(t0);
  m.set_paused(true);
  EXPECT_TRUE(m.paused());
  EXPECT_FALSE(m.check(t0 + 10s));
  EXPECT_FALSE(m.check(t0 + 100s));
  m.set_paused(false);
  EXPECT_FALSE(m.check(t0 + 101s));  // silence clock restarts here
  EXPECT_FALSE(m.check(t0 + 105s));
  EXPECT_TRUE(m.check(t0 + 106s));
}

TEST(MediaTimeout, ResumeAfterAFiredEpisodeCanFireAgain) {
  MediaTimeout m(1s);
  m.on_packet(t0);
  EXPECT_TRUE(m.check(t0 + 1s));
  m.set_paused(true);
  m.set_paused(true);  // repeated holds change nothing
  m.set_paused(false);
  EXPECT_FALSE(m.check(t0 + 2s));
  EXPECT_TRUE(m.check(t0 + 3s));
  m.set_paused(false);  // not paused: no reset
  EXPECT_FALSE(m.check(t0 + 10s));
}

}  // namespace
}  // namespace sb::media::quality
