// media/rtp/rtcp_packet_test.cc: RTCP compound packets, byte for byte.
#include "media/rtp/rtcp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace sb::media::rtp {
namespace {

using Bytes = std::vector<uint8_t>;

// SR with one report block, then SDES with one CNAME chunk (RFC 3550 §6.1's usual compound).
const Bytes kSrSdes = {
    // SR: V=2 P=0 RC=1, PT=200, length 12 (13 words).
    0x81, 0xC8, 0x00, 0x0C,
    0x11, 0x22, 0x33, 0x44,                          // SSRC of sender
    0xE5, 0xA1, 0xB2, 0xC3, 0x80, 0x00, 0x00, 0x00,  // NTP timestamp
    0x00, 0x00, 0x1F, 0x40,                          // RTP timestamp 8000
    0x00, 0x00, 0x00, 0x32,                          // packet count 50
    0x00, 0x00, 0x1F, 0x40,                          // octet count 8000
    0x55, 0x66, 0x77, 0x88,                          // report block: SSRC
    0x40, 0xFF, 0xFF, 0xFE,                          // fraction 64/256, cumulative lost -2
    0x00, 0x01, 0x00, 0x0A,                          // highest seq: 1 cycle, seq 10
    0x00, 0x00, 0x00, 0x20,                          // jitter 32
    0xB2, 0xC3, 0x80, 0x00,                          // LSR: the middle of the NTP time
    0x00, 0x01, 0x00, 0x00,                          // DLSR 1 s
    // SDES: V=2 P=0 SC=1, PT=202, length 5 (6 words).
    0x81, 0xCA, 0x00, 0x05,
    0x11, 0x22, 0x33, 0x44,                          // chunk SSRC
    0x01, 0x0B, 'a', 'l', 'i', 'c', 'e', '@', 'h', 'o', 's', 't', '1',  // CNAME, 11 bytes
    0x00, 0x00, 0x00,                                // end of items, pad to 32 bits
};

TEST(Rtcp, ParsesSenderReportAndSdesCompound) {
  const auto r = parse_rtcp(kSrSdes);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 2u);
  const auto* sr = std::get_if<SenderReport>(&(*r)[0]);
  ASSERT_NE(sr, nullptr);
  EXPECT_EQ(sr->ssrc, 0x11223344u);
  EXPECT_EQ(sr->ntp_timestamp, 0xE5A1B2C380000000u);
  EXPECT_EQ(sr->rtp_timestamp, 8000u);
  EXPECT_EQ(sr->packet_count, 50u);
  EXPECT_EQ(sr->octet_count, 8000u);
  ASSERT_EQ(sr->reports.size(), 1u);
  const ReportBlock& b = sr->reports[0];
  EXPECT_EQ(b.ssrc, 0x55667788u);
  EXPECT_EQ(b.fraction_lost, 64);
  EXPECT_EQ(b.cumulative_lost, -2);
  EXPECT_EQ(b.highest_sequence, 0x1000Au);
  EXPECT_EQ(b.jitter, 32u);
  EXPECT_EQ(b.lsr, 0xB2C38000u);
  EXPECT_EQ(b.lsr, ntp_middle32(sr->ntp_timestamp));
  EXPECT_EQ(b.dlsr, 65536u);
  const auto* sdes = std::get_if<SourceDescription>(&(*r)[1]);
  ASSERT_NE(sdes, nullptr);
  ASSERT_EQ(sdes->chunks.size(), 1u);
  EXPECT_EQ(sdes->chunks[0].ssrc, 0x11223344u);
  ASSERT_EQ(sdes->chunks[0].items.size(), 1u);
  EXPECT_EQ(sdes->chunks[0].items[0].type, SdesType::CNAME);
  EXPECT_EQ(sdes->chunks[0].items[0].text, "alice@host1");
}

TEST(Rtcp, BuildsTheSameCompoundByteForByte) {
  ReportBlock b{0x55667788, 64, -2, 0x1000A, 32, 0xB2C38000, 65536};
  SenderReport sr{0x11223344, 0xE5A1B2C380000000, 8000, 50, 8000, {b}};
  SourceDescription sdes{{SdesChunk{0x11223344, {SdesItem{SdesType::CNAME, "alice@host1"}}}}};
  Bytes out;
  ASSERT_EQ(append_rtcp(out, sr).value(), 52u);
  ASSERT_EQ(append_rtcp(out, sdes).value(), 24u);
  EXPECT_EQ(out, kSrSdes);
}

TEST(Rtcp, SdesChunkOnA32BitBoundaryStillGetsANullWord) {
  // CNAME of 2 bytes: 4 + 2 + 2 = 8 bytes of items, then a whole word of nulls (§6.5).
  SourceDescription sdes{{SdesChunk{1, {SdesItem{SdesType::CNAME, "ab"}}}}};
  Bytes out;
  ASSERT_TRUE(append_rtcp(out, sdes));
  EXPECT_EQ(out, (Bytes{0x81, 0xCA, 0x00, 0x03, 0, 0, 0, 1, 1, 2, 'a', 'b', 0, 0, 0, 0}));
  const auto r = parse_rtcp(out);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<SourceDescription>((*r)[0]), sdes);
}

TEST(Rtcp, ParsesReceiverReportAndByeWithReason) {
  const Bytes b = {
      0x80, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07,  // RR, RC=0, SSRC 7
      0x82, 0xCB, 0x00, 0x04,                          // BYE, SC=2, 5 words
      0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08,
      0x06, 'h', 'a', 'n', 'g', 'u', 'p', 0x00,        // reason "hangup", one byte of pad
  };
  Bytes fixed = b;
  const auto r = parse_rtcp(fixed);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(std::get<ReceiverReport>((*r)[0]), (ReceiverReport{7, {}}));
  const auto& bye = std::get<Goodbye>((*r)[1]);
  EXPECT_EQ(bye.ssrcs, (std::vector<uint32_t>{7, 8}));
  EXPECT_EQ(bye.reason, "hangup");
  // A reason length of 8 runs past the 8 bytes left in the packet body.
  fixed[20] = 8;
  EXPECT_FALSE(parse_rtcp(fixed));
}

TEST(Rtcp, ByeAndRrRoundTrip) {
  ReceiverReport rr{9, {ReportBlock{1, 255, 0x7FFFFF, 70000, 5, 0, 0},
                        ReportBlock{2, 0, -0x800000, 1, 0, 3, 4}}};
  Goodbye bye{{9}, "bye"};
  Bytes out;
  ASSERT_EQ(append_rtcp(out, rr).value(), 4u + 4 + 48);
  ASSERT_EQ(append_rtcp(out, bye).value(), 12u);
  const auto r = parse_rtcp(out);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(std::get<ReceiverReport>((*r)[0]), rr);
  EXPECT_EQ(std::get<Goodbye>((*r)[1]), bye);
}

TEST(Rtcp, CumulativeLostIsClampedTo24Bits) {
  ReceiverReport rr{9, {ReportBlock{1, 0, 20'000'000, 0, 0, 0, 0}}};
  Bytes out;
  ASSERT_TRUE(append_rtcp(out, rr));
  EXPECT_EQ(Bytes(out.begin() + 13, out.begin() + 16), (Bytes{0x7F, 0xFF, 0xFF}));
  EXPECT_EQ(std::get<ReceiverReport>(parse_rtcp(out)->at(0)).reports[0].cumulative_lost,
            0x7FFFFF);
}

TEST(Rtcp, KeepsUnknownPacketTypesAsBodies) {
  const Bytes b = {0x81, 0xCC, 0x00, 0x02, 0, 0, 0, 5, 'n', 'a', 'm', 'e'};  // APP, subtype 1
  const auto r = parse_rtcp(b);
  ASSERT_TRUE(r);
  const auto& app = std::get<RtcpUnknown>((*r)[0]);
  EXPECT_EQ(app.packet_type, 204);
  EXPECT_EQ(app.count, 1);
  EXPECT_EQ(app.body.size(), 8u);
  Bytes out;
  ASSERT_TRUE(append_rtcp(out, app));
  EXPECT_EQ(out, b);
}

TEST(Rtcp, StripsPaddingOnTheLastPacket) {
  // RR with P=1: 1 word SSRC + 1 word padding (count 4).
  const Bytes b = {0xA0, 0xC9, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 4};
  const auto r = parse_rtcp(b);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(std::get<ReceiverReport>((*r)[0]).ssrc, 7u);
  Bytes zero = b;
  zero.back() = 0;
  EXPECT_FALSE(parse_rtcp(zero));
  Bytes huge = b;
  huge.back() = 9;
  EXPECT_FALSE(parse_rtcp(huge));
}

TEST(Rtcp, RejectsPaddingOnAnInnerPacket) {
  Bytes b = kSrSdes;
  b[0] |= 0x20;
  const auto r = parse_rtcp(b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where, "rtcp.padding");
}

TEST(Rtcp, RejectsWrongVersionAndEmptyDatagram) {
  Bytes b = kSrSdes;
  b[52] = 0x41;  // SDES with version 1
  EXPECT_FALSE(parse_rtcp(b));
  EXPECT_FALSE(parse_rtcp(Bytes{}));
}

TEST(Rtcp, RejectsCountsTheBodyCannotHold) {
  Bytes b = kSrSdes;
  b[0] = 0x82;  // SR claims 2 report blocks, has room for 1
  EXPECT_FALSE(parse_rtcp(b));
  Bytes s = kSrSdes;
  s[52] = 0x82;  // SDES claims 2 chunks
  EXPECT_FALSE(parse_rtcp(s));
  // SDES item whose length runs past the packet.
  Bytes t = kSrSdes;
  t[61] = 0x0F;
  EXPECT_FALSE(parse_rtcp(t));
}

TEST(Rtcp, RejectsEveryTruncation) {
  // Every proper prefix is cut inside a packet (the two packets end at 52 and 76 bytes).
  for (std::size_t n = 1; n < kSrSdes.size(); ++n) {
    if (n == 52) {
      continue;  // the SR alone is a complete compound
    }
    EXPECT_FALSE(parse_rtcp(std::span(kSrSdes).first(n))) << n;
  }
  EXPECT_TRUE(parse_rtcp(std::span(kSrSdes).first(52)));
}

TEST(Rtcp, DemultiplexesFromRtpOnASharedPort) {
  EXPECT_TRUE(is_rtcp(kSrSdes));
  const Bytes rtp_marker_pt0 = {0x80, 0x80, 0, 1};     // 128: RTP PT 0 with marker
  const Bytes rtp_pt127_marker = {0x80, 0xFF, 0, 1};   // 255: RTP PT 127 with marker
  const Bytes rtcp_rtpfb = {0x81, 0xCD, 0, 1};         // 205: RTPFB
  const Bytes rtcp_version1 = {0x41, 0xC8, 0, 1};
  EXPECT_FALSE(is_rtcp(rtp_marker_pt0));
  EXPECT_FALSE(is_rtcp(rtp_pt127_marker));
  EXPECT_TRUE(is_rtcp(rtcp_rtpfb));
  EXPECT_FALSE(is_rtcp(rtcp_version1));
  EXPECT_FALSE(is_rtcp(Bytes{0x80}));
}

TEST(Rtcp, BuilderRefusesOverlongFields) {
  Bytes out;
  ReceiverReport rr{1, std::vector<ReportBlock>(32)};
  EXPECT_FALSE(append_rtcp(out, rr));
  const std::string long_text(256, 'x');
  EXPECT_FALSE(append_rtcp(out, Goodbye{{1}, long_text}));
  EXPECT_FALSE(append_rtcp(out, SourceDescription{{SdesChunk{1, {{SdesType::CNAME, long_text}}}}}));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace sb::media::rtp
