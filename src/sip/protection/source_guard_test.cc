#include "sip/protection/source_guard.h"

#include <gtest/gtest.h>

#include <vector>

namespace sb::sip {
namespace {

using namespace std::chrono_literals;

struct Logged {
  GuardEvent event;
  std::string source;
};

class SourceGuardTest : public ::testing::Test {
 protected:
  SourceGuard make(GuardLimits limits) {
    return SourceGuard(clock, limits, [this](GuardEvent e, const std::string& s, const std::string&) {
      log.push_back({e, s});
    });
  }
  VirtualClock clock{TimePoint{} + 1000s};
  std::vector<Logged> log;
};

TEST_F(SourceGuardTest, ABurstIsServedThenTheSustainedRateThenAFloodIsBlocked) {
  GuardLimits limits;
  limits.requests_per_second = 10;
  limits.request_burst = 20;
  limits.flood_block = 30s;
  SourceGuard guard = make(limits);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(guard.admit("192.0.2.1")) << i;
  // 100 ms later one token has come back.
  clock.advance(100ms);
  EXPECT_TRUE(guard.admit("192.0.2.1"));
  EXPECT_FALSE(guard.admit("192.0.2.1"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].event, GuardEvent::FloodBlocked);
  // Blocked for 30 s even though tokens come back; other sources are unaffected.
  clock.advance(29s);
  EXPECT_FALSE(guard.admit("192.0.2.1"));
  EXPECT_TRUE(guard.admit("192.0.2.2"));
  EXPECT_EQ(log.size(), 1u);  // logged once per episode
  clock.advance(1s);
  EXPECT_TRUE(guard.admit("192.0.2.1"));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].event, GuardEvent::Unblocked);
  EXPECT_EQ(guard.dropped(), 2u);
}

TEST_F(SourceGuardTest, ACarrierNetworkIsNeverThrottledNorBlocked) {
  GuardLimits limits;
  limits.requests_per_second = 50;  // the demo's limit: a carrier at ~13 calls/s sends more
  limits.request_burst = 100;
  limits.auth_failures = 2;
  limits.trusted = *AddressFilter::parse({"203.0.113.0/24"});
  SourceGuard guard = make(limits);
  // 13 calls/s at ~5 requests per call (INVITE, ACK, BYE, re-INVITE, OPTIONS) for a minute.
  for (int i = 0; i < 60 * 65; ++i) {
    ASSERT_TRUE(guard.admit("203.0.113.9")) << i;
    clock.advance(15ms);
  }
  for (int i = 0; i < 5; ++i) guard.auth_failed("203.0.113.9");
  EXPECT_TRUE(guard.admit("203.0.113.9"));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(guard.tracked(), 0u);
  // The same rate from next door is a flood.
  bool blocked = false;
  for (int i = 0; i < 1000 && !blocked; ++i) {
    blocked = !guard.admit("203.0.114.9");
    clock.advance(15ms);
  }
  EXPECT_TRUE(blocked);
}

TEST_F(SourceGuardTest, ATrunkRegistrarTrustedAtRunTimeIsLetThroughEvenWhenBlocked) {
  GuardLimits limits;
  limits.requests_per_second = 1;
  limits.request_burst = 1;
  SourceGuard guard = make(limits);
  EXPECT_TRUE(guard.admit("198.51.100.5"));
  EXPECT_FALSE(guard.admit("198.51.100.5"));
  guard.trust("198.51.100.5");
  EXPECT_TRUE(guard.is_trusted("198.51.100.5"));
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(guard.admit("198.51.100.5"));
}

TEST_F(SourceGuardTest, RepeatedAuthFailuresWithinTheWindowBlockTheSource) {
  GuardLimits limits;
  limits.auth_failures = 3;
  limits.auth_failure_window = 60s;
  limits.auth_block = 300s;
  SourceGuard guard = make(limits);
  guard.auth_failed("198.51.100.9");
  clock.advance(61s);  // outside the window: the count starts over
  guard.auth_failed("198.51.100.9");
  guard.auth_failed("198.51.100.9");
  EXPECT_TRUE(guard.admit("198.51.100.9"));
  guard.auth_failed("198.51.100.9");
  EXPECT_FALSE(guard.admit("198.51.100.9"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].event, GuardEvent::AuthBlocked);
  clock.advance(300s);
  EXPECT_TRUE(guard.admit("198.51.100.9"));
}

TEST_F(SourceGuardTest, ASuccessResetsTheFailureCount) {
  GuardLimits limits;
  limits.auth_failures = 3;
  SourceGuard guard = make(limits);
  guard.auth_failed("a");
  guard.auth_failed("a");
  guard.auth_succeeded("a");
  guard.auth_failed("a");
  guard.auth_failed("a");
  EXPECT_FALSE(guard.blocked("a"));
  guard.auth_failed("a");
  EXPECT_TRUE(guard.blocked("a"));
}

TEST_F(SourceGuardTest, MemoryStaysBoundedUnderASpoofedSourceFlood) {
  GuardLimits limits;
  limits.max_tracked_sources = 1000;
  SourceGuard guard = make(limits);
  for (int i = 0; i < 10000; ++i) guard.admit("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
  EXPECT_LE(guard.tracked(), 1000u);
  guard.auth_failed("x");
  clock.advance(3600s);
  guard.purge();
  EXPECT_EQ(guard.tracked(), 0u);
}

}  // namespace
}  // namespace sb::sip
