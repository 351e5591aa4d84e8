// media/quality/leg_quality_test.cc: counters to snapshot, delay budget, loss clamping.
#include "media/quality/leg_quality.h"

#include <gtest/gtest.h>

namespace sb::media::quality {
namespace {

TEST(LegQuality, CleanG711Leg) {
  LegQualityInput in;
  in.packets_expected = 1000;
  in.packets_sent = 990;
  in.jitter_ms = 3.5;
  in.rtt_ms = 40;
  const LegQuality q = leg_quality(in);
  EXPECT_EQ(q.packets_received, 1000u);
  EXPECT_EQ(q.packets_sent, 990u);
  EXPECT_EQ(q.packets_lost, 0u);
  EXPECT_EQ(q.loss_percent, 0);
  EXPECT_EQ(q.jitter_ms, 3.5);
  EXPECT_EQ(q.rtt_ms, 40);
  EXPECT_DOUBLE_EQ(q.one_way_delay_ms, 20 + 40 + 20);  // rtt/2 + jitter buffer + ptime
  EXPECT_NEAR(q.r, e_model({0, 25.1, 0, 1, 80}).r, 1e-9);
  EXPECT_GT(q.mos, 4.3);
}

TEST(LegQuality, LossAndLatePacketsLowerTheRating) {
  LegQualityInput in;
  in.packets_expected = 1000;
  in.packets_lost = 20;
  const LegQuality lossy = leg_quality(in);
  EXPECT_EQ(lossy.packets_received, 980u);
  EXPECT_EQ(lossy.packets_lost, 20u);
  EXPECT_DOUBLE_EQ(lossy.loss_percent, 2);
  in.packets_late = 30;
  const LegQuality late = leg_quality(in);
  EXPECT_DOUBLE_EQ(late.loss_percent, 5);
  EXPECT_EQ(late.packets_lost, 20u);
  EXPECT_LT(late.r, lossy.r);
  in.packets_lost = 0;
  in.packets_late = 0;
  EXPECT_GT(leg_quality(in).r, lossy.r);
}

TEST(LegQuality, DuplicatesAndEmptyLegs) {
  LegQualityInput in;
  in.packets_expected = 100;
  in.packets_lost = -3;  // three duplicates, nothing lost
  const LegQuality dup = leg_quality(in);
  EXPECT_EQ(dup.packets_lost, 0u);
  EXPECT_EQ(dup.packets_received, 103u);
  EXPECT_EQ(dup.loss_percent, 0);
  const LegQuality empty = leg_quality(LegQualityInput{});
  EXPECT_EQ(empty.packets_received, 0u);
  EXPECT_EQ(empty.loss_percent, 0);
  EXPECT_FALSE(empty.rtt_ms);
}

TEST(LegQuality, DelayBudgetPerCodec) {
  LegQualityInput in;
  in.packets_expected = 10;
  in.jitter_buffer_ms = 60;
  in.codec = CodecKind::Opus;
  EXPECT_DOUBLE_EQ(leg_quality(in).one_way_delay_ms, 60 + 20 + 6.5);  // no RTT yet
  in.rtt_ms = 300;
  EXPECT_DOUBLE_EQ(leg_quality(in).one_way_delay_ms, 150 + 60 + 20 + 6.5);
  in.codec = CodecKind::G722;
  EXPECT_DOUBLE_EQ(leg_quality(in).one_way_delay_ms, 150 + 60 + 20 + 1.5);
  // Long delay costs rating.
  const double far = leg_quality(in).r;
  in.rtt_ms = 20;
  EXPECT_GT(leg_quality(in).r, far);
}

TEST(LegQuality, JitterUnits) {
  EXPECT_DOUBLE_EQ(jitter_ms(80, 8000), 10);
  EXPECT_DOUBLE_EQ(jitter_ms(480, 48000), 10);
  EXPECT_DOUBLE_EQ(jitter_ms(0, 16000), 0);
}

}  // namespace
}  // namespace sb::media::quality
