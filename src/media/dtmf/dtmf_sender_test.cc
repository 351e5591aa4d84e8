#include "media/dtmf/dtmf_sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace sb::media::dtmf {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

TelephoneEvent decoded(const DtmfPacket& p) { return *decode_telephone_event(p.payload); }

TEST(DtmfSender, HundredMillisecondDigitIsStartUpdatesAndThreeEnds) {
  DtmfSender sender({}, 1000);
  const auto packets = sender.packets_for_event(5, 48000, 100ms);
  ASSERT_EQ(packets.size(), 8u);  // start, 4 updates (160..640), 3 ends at 800
  const std::uint16_t durations[] = {0, 160, 320, 480, 640, 800, 800, 800};
  for (std::size_t i = 0; i < packets.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(packets[i].timestamp, 48000u);
    EXPECT_EQ(packets[i].sequence, 1000 + i);
    EXPECT_EQ(packets[i].marker, i == 0);
    EXPECT_EQ(decoded(packets[i]).duration, durations[i]);
    EXPECT_EQ(decoded(packets[i]).end, i >= 5);
    EXPECT_EQ(decoded(packets[i]).event, 5);
    EXPECT_EQ(decoded(packets[i]).volume, 10);
  }
  EXPECT_EQ(packets[0].send_offset, 0ms);
  EXPECT_EQ(packets[4].send_offset, 80ms);
  EXPECT_EQ(packets[5].send_offset, 100ms);
  EXPECT_EQ(packets[7].send_offset, 140ms);
  EXPECT_THAT(packets[5].payload, ElementsAre(0x05, 0x8A, 0x03, 0x20));
  EXPECT_EQ(sender.next_sequence(), 1008);
}

TEST(DtmfSender, SequenceNumbersWrapAndContinueAcrossDigits) {
  DtmfSender sender({}, 65534);
  const auto first = sender.packets_for_event(1, 0, 40ms);  // start, update 160, 3 ends
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first[1].sequence, 65535);
  EXPECT_EQ(first[2].sequence, 0);
  const auto second = sender.packets_for_event(2, 1000, 40ms);
  EXPECT_EQ(second[0].sequence, 3);
  EXPECT_TRUE(second[0].marker);
}

TEST(DtmfSender, LongEventIsSplitIntoSegmentsOf0xFFFF) {
  DtmfSender sender({}, 0);
  const auto packets = sender.packets_for_event(0, 4294960000u, 10s);  // 80000 units
  int segment_ends = 0;
  for (const auto& p : packets) {
    const auto e = decoded(p);
    if (e.duration == 0xFFFF && !e.end) {
      ++segment_ends;
      EXPECT_EQ(p.timestamp, 4294960000u);
    }
  }
  EXPECT_EQ(segment_ends, 1);
  const auto& last = packets.back();
  EXPECT_EQ(last.timestamp, static_cast<std::uint32_t>(4294960000u + 65535u));
  EXPECT_EQ(decoded(last).duration, 80000 - 65535);
  EXPECT_TRUE(decoded(last).end);
  for (std::size_t i = 1; i < packets.size(); ++i) {
    EXPECT_FALSE(packets[i].marker);
  }
}

}  // namespace
}  // namespace sb::media::dtmf
