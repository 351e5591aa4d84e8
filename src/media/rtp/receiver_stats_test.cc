// media/rtp/receiver_stats_test.cc: RFC 3550 A.3 loss, A.8 jitter, LSR/DLSR and RTT.
#include "media/rtp/receiver_stats.h"

#include <gtest/gtest.h>

namespace sb::media::rtp {
namespace {

using namespace std::chrono_literals;

// 20 ms G.711 packets: 160 timestamp units each at 8 kHz.
constexpr uint32_t kStep = 160;

TEST(ReceiverStats, PerfectStreamHasNoLossAndNoJitter) {
  ReceiverStats s{8000};
  for (uint16_t i = 0; i < 50; ++i) {
    s.on_packet(i, 1000 + i * kStep, 5s + i * 20ms);
  }
  EXPECT_EQ(s.received(), 49u);  // the first packet only starts probation
  EXPECT_EQ(s.expected(), 49u);
  EXPECT_EQ(s.cumulative_lost(), 0);
  EXPECT_EQ(s.jitter(), 0u);
  const ReportBlock b = s.make_report_block(42, 6s);
  EXPECT_EQ(b.ssrc, 42u);
  EXPECT_EQ(b.fraction_lost, 0);
  EXPECT_EQ(b.cumulative_lost, 0);
  EXPECT_EQ(b.highest_sequence, 49u);
  EXPECT_EQ(b.lsr, 0u);
  EXPECT_EQ(b.dlsr, 0u);
}

TEST(ReceiverStats, FractionLostCoversOnlyTheLastInterval) {
  ReceiverStats s{8000};
  s.on_packet(0, 0, 0ms);
  // 1..100 minus every 4th (25 lost of 100).
  for (uint16_t i = 1; i <= 100; ++i) {
    if (i % 4 != 0) {
      s.on_packet(i, i * kStep, i * 20ms);
    }
  }
  // Extended max 99 (100 is a multiple of 4), base 1: 99 expected, 75 received.
  EXPECT_EQ(s.expected(), 99u);
  EXPECT_EQ(s.received(), 75u);
  ReportBlock b = s.make_report_block(1, 3s);
  EXPECT_EQ(b.cumulative_lost, 24);
  EXPECT_EQ(b.fraction_lost, 24 * 256 / 99);  // 62
  // Next interval: 101..200 all arrive, which shows 100 lost: 1 of 101 expected.
  for (uint16_t i = 101; i <= 200; ++i) {
    s.on_packet(i, i * kStep, i * 20ms);
  }
  b = s.make_report_block(1, 5s);
  EXPECT_EQ(b.fraction_lost, 256 / 101);  // 2
  EXPECT_EQ(b.cumulative_lost, 25);
  // A third interval with nothing new: nothing expected, nothing lost.
  b = s.make_report_block(1, 6s);
  EXPECT_EQ(b.fraction_lost, 0);
  EXPECT_EQ(b.cumulative_lost, 25);
  EXPECT_EQ(b.highest_sequence, 200u);
}

TEST(ReceiverStats, DuplicatesMakeLostNegativeButFractionZero) {
  ReceiverStats s{8000};
  s.on_packet(0, 0, 0ms);
  s.on_packet(1, kStep, 20ms);
  s.on_packet(1, kStep, 21ms);
  s.on_packet(1, kStep, 22ms);
  EXPECT_EQ(s.cumulative_lost(), -2);
  const ReportBlock b = s.make_report_block(1, 1s);
  EXPECT_EQ(b.cumulative_lost, -2);
  EXPECT_EQ(b.fraction_lost, 0);
}

TEST(ReceiverStats, HighestSequenceIsExtendedAcrossWrap) {
  ReceiverStats s{8000};
  uint16_t seq = 65530;
  for (int i = 0; i < 10; ++i, ++seq) {
    s.on_packet(seq, static_cast<uint32_t>(i) * kStep, i * 20ms);
  }
  EXPECT_EQ(s.make_report_block(1, 1s).highest_sequence, 65536u + 3);
  EXPECT_EQ(s.expected(), 9u);
}

TEST(ReceiverStats, JitterFollowsA8) {
  ReceiverStats s{8000};
  s.on_packet(0, 0, 0ms);
  s.on_packet(1, kStep, 20ms);  // first counted packet: transit only
  // Each later packet 2 ms (16 units) late relative to the one before, then back on time:
  // D alternates 16, -16. J(q4) += |D| - (J(q4)+8)/16 with J(q4) starting at 0.
  uint32_t q4 = 0;
  for (uint16_t i = 2; i < 40; ++i) {
    const auto late = (i % 2 == 0) ? 2ms : 0ms;
    s.on_packet(i, i * kStep, i * 20ms + late);
    q4 += 16u - ((q4 + 8) >> 4);
  }
  EXPECT_EQ(s.jitter(), q4 >> 4);
  // The estimate converges on |D| = 16 units.
  EXPECT_GE(s.jitter(), 14u);
  EXPECT_LE(s.jitter(), 16u);
}

TEST(ReceiverStats, JitterHandlesTimestampWrap) {
  ReceiverStats s{8000};
  uint32_t ts = 0xFFFFFF00u;
  for (uint16_t i = 0; i < 20; ++i, ts += kStep) {
    s.on_packet(i, ts, 100s + i * 20ms);
  }
  EXPECT_EQ(s.jitter(), 0u);
}

TEST(ReceiverStats, ReportCarriesLsrAndDelaySinceIt) {
  ReceiverStats s{8000};
  s.on_packet(0, 0, 0ms);
  s.on_packet(1, kStep, 20ms);
  s.on_sender_report(0xE5A1B2C380000000, 1s);
  const ReportBlock b = s.make_report_block(7, 1s + 1500ms);
  EXPECT_EQ(b.lsr, 0xB2C38000u);
  EXPECT_EQ(b.dlsr, 98304u);  // 1.5 s in 1/65536 s
}

TEST(ReceiverStats, FractionAndClampHelpers) {
  EXPECT_EQ(fraction_lost(0, 0), 0);
  EXPECT_EQ(fraction_lost(100, 100), 0);
  EXPECT_EQ(fraction_lost(100, 105), 0);
  EXPECT_EQ(fraction_lost(4, 3), 64);
  EXPECT_EQ(fraction_lost(10, 0), 255);  // 256/256 does not fit: saturates
  EXPECT_EQ(clamp_cumulative_lost(-10'000'000), -0x800000);
  EXPECT_EQ(clamp_cumulative_lost(10'000'000), 0x7FFFFF);
  EXPECT_EQ(clamp_cumulative_lost(-5), -5);
}

TEST(RoundTripTime, IsArrivalMinusLsrMinusDlsr) {
  // RFC 3550 §6.4.1's worked example: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000
  // (46853.125 s), DLSR = 0x0005:4000 (5.250 s): RTT 6.125 s.
  ReportBlock b;
  b.lsr = 0xB7052000;
  b.dlsr = 0x00054000;
  const auto rtt = round_trip_time(b, 0xB7108000);
  ASSERT_TRUE(rtt);
  EXPECT_EQ(*rtt, 6125ms);
}

TEST(RoundTripTime, IsAbsentWithoutLsrOrWhenNegative) {
  ReportBlock b;
  EXPECT_FALSE(round_trip_time(b, 0x10000));
  b.lsr = 0x10000;
  b.dlsr = 0x20000;
  EXPECT_FALSE(round_trip_time(b, 0x20000));
  EXPECT_EQ(to_ntp_short(250ms), 16384u);
  EXPECT_EQ(to_ntp_short(-1s), 0u);
}

}  // namespace
}  // namespace sb::media::rtp
