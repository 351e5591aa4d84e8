#include "media/dtmf/dtmf_receiver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "media/dtmf/dtmf_sender.h"
#include "media/dtmf/telephone_event.h"

namespace sb::media::dtmf {
namespace {

using namespace std::chrono_literals;
using Kind = DtmfNotice::Kind;

const TimePoint kT0 = TimePoint{} + 1000s;

// Collects what the receiver said, and renders the ended digits as a string.
struct Fed {
  std::vector<DtmfNotice> notices;
  std::string ended_digits() const {
    std::string s;
    for (const auto& n : notices) {
      if (n.kind == Kind::Ended) {
        s += n.digit;
      }
    }
    return s;
  }
  std::vector<DtmfNotice> ended() const {
    std::vector<DtmfNotice> out;
    std::copy_if(notices.begin(), notices.end(), std::back_inserter(out),
                 [](const DtmfNotice& n) { return n.kind == Kind::Ended; });
    return out;
  }
  int started() const {
    return static_cast<int>(std::count_if(notices.begin(), notices.end(), [](const auto& n) {
      return n.kind == Kind::Started;
    }));
  }
};

void feed(DtmfReceiver& rx, const std::vector<DtmfPacket>& packets, TimePoint start, Fed& fed) {
  for (const auto& p : packets) {
    auto got = rx.on_packet({p.timestamp, p.sequence, p.marker, p.payload, start + p.send_offset});
    fed.notices.insert(fed.notices.end(), got.begin(), got.end());
  }
}

std::vector<DtmfPacket> digit(DtmfSender& tx, char d, std::uint32_t ts, Duration len = 100ms) {
  return tx.packets_for_event(*digit_to_event(d), ts, len);
}

TEST(DtmfReceiver, SenderToReceiverRoundTripsAllSixteenEvents) {
  const std::string digits = "0123456789*#ABCD";
  DtmfSender tx({}, 100);
  DtmfReceiver rx;
  Fed fed;
  std::uint32_t ts = 8000;
  TimePoint at = kT0;
  for (char d : digits) {
    feed(rx, digit(tx, d, ts), at, fed);
    ts += 1600;  // 200 ms later
    at += 200ms;
  }
  EXPECT_EQ(fed.ended_digits(), digits);
  EXPECT_EQ(fed.started(), 16);
  for (const auto& n : fed.ended()) {
    EXPECT_TRUE(n.end_seen);
    EXPECT_EQ(n.duration, 800u);
    EXPECT_EQ(n.duration_time, 100ms);
  }
  EXPECT_EQ(rx.stats().events, 16u);
  EXPECT_EQ(rx.stats().ignored, 32u);  // two end retransmits per digit
  EXPECT_FALSE(rx.in_event());
}

TEST(DtmfReceiver, StartsOnFirstPacketAndEndsOnEndBit) {
  DtmfSender tx({}, 7);
  DtmfReceiver rx;
  const auto packets = digit(tx, '9', 1234);
  auto first = rx.on_packet({packets[0].timestamp, packets[0].sequence, true,
                             packets[0].payload, kT0});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, Kind::Started);
  EXPECT_EQ(first[0].digit, '9');
  EXPECT_EQ(first[0].timestamp, 1234u);
  EXPECT_TRUE(rx.in_event());
  EXPECT_EQ(rx.next_deadline(), kT0 + 60ms);
}

TEST(DtmfReceiver, AllEndPacketsLostEndsAfterTimeout) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto packets = digit(tx, '3', 500);
  packets.resize(packets.size() - 3);  // all three E packets lost
  Fed fed;
  feed(rx, packets, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "");
  const TimePoint last = kT0 + packets.back().send_offset;  // 80 ms
  EXPECT_TRUE(rx.on_tick(last + 59ms).empty());
  auto got = rx.on_tick(last + 60ms);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].digit, '3');
  EXPECT_FALSE(got[0].end_seen);
  EXPECT_EQ(got[0].duration, 640u);
  EXPECT_EQ(rx.stats().ended_by_timeout, 1u);
  EXPECT_TRUE(rx.on_tick(last + 1s).empty());
}

TEST(DtmfReceiver, ConfiguredTimeoutOverridesThreeIntervals) {
  DtmfReceiver rx({8000, 20ms, 200ms});
  DtmfSender tx({}, 0);
  auto packets = digit(tx, '1', 0);
  Fed fed;
  feed(rx, {packets[0]}, kT0, fed);
  EXPECT_TRUE(rx.on_tick(kT0 + 199ms).empty());
  EXPECT_EQ(rx.on_tick(kT0 + 200ms).size(), 1u);
}

TEST(DtmfReceiver, LateEndPacketsAfterTimeoutDoNotRepeatTheDigit) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto packets = digit(tx, '4', 0);
  Fed fed;
  feed(rx, {packets.begin(), packets.begin() + 2}, kT0, fed);
  auto timed_out = rx.on_tick(kT0 + 1s);
  ASSERT_EQ(timed_out.size(), 1u);
  fed.notices.insert(fed.notices.end(), timed_out.begin(), timed_out.end());
  feed(rx, {packets.begin() + 2, packets.end()}, kT0 + 1s, fed);
  EXPECT_EQ(fed.ended_digits(), "4");
  EXPECT_EQ(fed.started(), 1);
}

TEST(DtmfReceiver, AllEndPacketsLostEndsWhenNextEventStarts) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto first = digit(tx, '7', 0);
  first.resize(first.size() - 3);
  Fed fed;
  feed(rx, first, kT0, fed);
  feed(rx, digit(tx, '8', 800), kT0 + 100ms, fed);
  ASSERT_EQ(fed.ended().size(), 2u);
  EXPECT_EQ(fed.ended_digits(), "78");
  EXPECT_FALSE(fed.ended()[0].end_seen);
  EXPECT_EQ(fed.ended()[0].duration, 640u);
  EXPECT_TRUE(fed.ended()[1].end_seen);
  EXPECT_EQ(rx.stats().ended_by_new_event, 1u);
}

TEST(DtmfReceiver, LostStartPacketStillGivesOneDigit) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto packets = digit(tx, '#', 160);
  packets.erase(packets.begin());
  Fed fed;
  feed(rx, packets, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "#");
  EXPECT_EQ(fed.started(), 1);
  EXPECT_TRUE(fed.ended()[0].end_seen);
  EXPECT_EQ(fed.ended()[0].duration, 800u);
}

TEST(DtmfReceiver, OnlyEndPacketsArrivingGivesOneDigit) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto packets = digit(tx, 'A', 160);
  packets.erase(packets.begin(), packets.end() - 3);
  Fed fed;
  feed(rx, packets, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "A");
  EXPECT_EQ(fed.started(), 1);
  EXPECT_TRUE(fed.ended()[0].end_seen);
}

TEST(DtmfReceiver, DuplicatedPacketsGiveOneDigit) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  std::vector<DtmfPacket> doubled;
  for (const auto& p : digit(tx, '2', 0)) {
    doubled.push_back(p);
    doubled.push_back(p);
  }
  Fed fed;
  feed(rx, doubled, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "2");
  EXPECT_EQ(fed.started(), 1);
  EXPECT_EQ(fed.ended()[0].duration, 800u);
}

TEST(DtmfReceiver, ReorderedPacketsGiveOneDigitWithFullDuration) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto p = digit(tx, '6', 0);
  // start, 320, 160, 480, E, 640, E, E: updates swapped, an end overtakes an update.
  const std::vector<DtmfPacket> order{p[0], p[2], p[1], p[3], p[5], p[4], p[6], p[7]};
  Fed fed;
  feed(rx, order, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "6");
  EXPECT_EQ(fed.started(), 1);
  EXPECT_EQ(fed.ended()[0].duration, 800u);
}

TEST(DtmfReceiver, LatePacketOfPreviousEventIsIgnored) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto one = digit(tx, '1', 0);
  auto two = digit(tx, '2', 1600);
  Fed fed;
  feed(rx, {one.begin(), one.end() - 1}, kT0, fed);
  feed(rx, {two[0], one.back(), two[1]}, kT0 + 200ms, fed);
  feed(rx, {two.begin() + 2, two.end()}, kT0 + 200ms, fed);
  EXPECT_EQ(fed.ended_digits(), "12");
  EXPECT_EQ(fed.started(), 2);
}

TEST(DtmfReceiver, TwoQuickIdenticalDigitsCountTwice) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  Fed fed;
  feed(rx, digit(tx, '5', 0, 60ms), kT0, fed);
  feed(rx, digit(tx, '5', 640, 60ms), kT0 + 80ms, fed);  // back to back, new timestamp
  EXPECT_EQ(fed.ended_digits(), "55");
  EXPECT_EQ(fed.started(), 2);
}

TEST(DtmfReceiver, SegmentedLongEventIsOneDigit) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  Fed fed;
  feed(rx, digit(tx, '0', 4294960000u, 10s), kT0, fed);  // timestamp wraps, 2 segments
  EXPECT_EQ(fed.ended_digits(), "0");
  EXPECT_EQ(fed.started(), 1);
  EXPECT_EQ(fed.ended()[0].duration, 80000u);
  EXPECT_EQ(fed.ended()[0].duration_time, 10s);
  EXPECT_EQ(fed.ended()[0].timestamp, 4294960000u);
}

TEST(DtmfReceiver, SegmentedLongEventSurvivesLossOfTheSegmentEndPacket) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  auto packets = digit(tx, '*', 100, 10s);
  std::erase_if(packets, [](const DtmfPacket& p) {
    const auto e = *decode_telephone_event(p.payload);
    return e.duration == 0xFFFF && !e.end;
  });
  Fed fed;
  feed(rx, packets, kT0, fed);
  EXPECT_EQ(fed.ended_digits(), "*");
  EXPECT_EQ(fed.ended()[0].duration, 80000u);
}

TEST(DtmfReceiver, WrappingDurationOnOneTimestampIsOneDigit) {
  // A sender that lets the duration wrap instead of segmenting.
  DtmfReceiver rx;
  Fed fed;
  std::uint16_t seq = 10;
  auto send = [&](std::uint16_t duration, bool end, bool marker) {
    const auto bytes = encode_telephone_event({4, end, false, 10, duration});
    auto got = rx.on_packet({9000, seq++, marker, bytes, kT0 + Duration{seq * 20'000}});
    fed.notices.insert(fed.notices.end(), got.begin(), got.end());
  };
  send(0, false, true);
  send(0xFF00, false, false);
  send(0xFFA0, false, false);
  send(0x0040, false, false);  // wrapped
  send(0x00E0, true, false);
  send(0x00E0, true, false);
  EXPECT_EQ(fed.ended_digits(), "4");
  EXPECT_EQ(fed.ended()[0].duration, 0x100E0u);
}

TEST(DtmfReceiver, MalformedPayloadIsCountedAndIgnored) {
  DtmfReceiver rx;
  const std::vector<std::uint8_t> bad{1, 2, 3};
  EXPECT_TRUE(rx.on_packet({0, 0, true, bad, kT0}).empty());
  EXPECT_EQ(rx.stats().malformed, 1u);
  EXPECT_FALSE(rx.in_event());
}

TEST(DtmfReceiver, SeveralBlocksAreJudgedByTheLast) {
  DtmfReceiver rx;
  const std::vector<TelephoneEvent> blocks{{1, true, false, 10, 800}, {2, false, false, 10, 160}};
  const auto bytes = encode_telephone_events(blocks);
  auto got = rx.on_packet({1600, 5, true, bytes, kT0});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].digit, '2');
}

TEST(DtmfReceiver, ResetEndsTheEventAndAcceptsAnyTimestamp) {
  DtmfSender tx({}, 0);
  DtmfReceiver rx;
  Fed fed;
  auto packets = digit(tx, '1', 100000);
  feed(rx, {packets[0]}, kT0, fed);
  auto ended = rx.reset();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_FALSE(ended[0].end_seen);
  feed(rx, digit(tx, '2', 5), kT0 + 1s, fed);  // new SSRC, timestamp far behind
  EXPECT_EQ(fed.ended_digits(), "2");
}

TEST(DtmfReceiver, AnySinglePacketLossGivesExactlyOneDigitPerEvent) {
  const std::string digits = "0123456789*#ABCD";
  for (std::size_t lost = 0; lost < 8; ++lost) {
    SCOPED_TRACE(lost);
    DtmfSender tx({}, 65530);
    DtmfReceiver rx;
    Fed fed;
    std::uint32_t ts = 0xFFFFF000u;  // the timestamps wrap on the way
    TimePoint at = kT0;
    for (char d : digits) {
      auto packets = digit(tx, d, ts);
      packets.erase(packets.begin() + static_cast<std::ptrdiff_t>(lost));
      feed(rx, packets, at, fed);
      ts += 1600;
      at += 200ms;
    }
    auto last = rx.on_tick(at + 1s);
    fed.notices.insert(fed.notices.end(), last.begin(), last.end());
    EXPECT_EQ(fed.ended_digits(), digits);
    EXPECT_EQ(fed.started(), 16);
  }
}

}  // namespace
}  // namespace sb::media::dtmf
