// media/rtp/rtp_packet_test.cc: RTP header parsing and building on hand-built byte sequences.
#include "media/rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace sb::media::rtp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes as_bytes(std::span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }

// V=2, no P/X, CC=0, M=1, PT=0 (PCMU), seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, payload 3 bytes.
const Bytes kPcmu = {0x80, 0x80, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF,
                     0x01, 0x02, 0x03, 0x04, 0xFF, 0x7F, 0x00};

TEST(RtpPacket, ParsesFixedHeaderAndPayload) {
  const auto p = parse_rtp(kPcmu);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_TRUE(p->marker);
  EXPECT_EQ(p->payload_type, 0);
  EXPECT_EQ(p->sequence_number, 0x1234);
  EXPECT_EQ(p->timestamp, 0xDEADBEEFu);
  EXPECT_EQ(p->ssrc, 0x01020304u);
  EXPECT_EQ(p->csrc_count(), 0u);
  EXPECT_FALSE(p->has_extension);
  EXPECT_EQ(p->padding_size, 0);
  EXPECT_EQ(as_bytes(p->payload), (Bytes{0xFF, 0x7F, 0x00}));
  EXPECT_EQ(p->payload.data(), kPcmu.data() + 12);  // a view, not a copy
}

TEST(RtpPacket, ParsesCsrcsPaddingAndPayloadType) {
  // P=1, CC=2, M=0, PT=8 (PCMA); payload AA BB, then 3 bytes of padding (count 3).
  const Bytes b = {0xA2, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0xCA, 0xFE, 0xBA, 0xBE,
                   0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, 0xAA, 0xBB, 0x00, 0x00, 0x03};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_FALSE(p->marker);
  EXPECT_EQ(p->payload_type, 8);
  ASSERT_EQ(p->csrc_count(), 2u);
  EXPECT_EQ(p->csrc(0), 0x11111111u);
  EXPECT_EQ(p->csrc(1), 0x22222222u);
  EXPECT_EQ(p->padding_size, 3);
  EXPECT_EQ(as_bytes(p->payload), (Bytes{0xAA, 0xBB}));
}

TEST(RtpPacket, SkipsOneByteHeaderExtension) {
  // X=1, profile 0xBEDE, 2 words: id 1 len 1 (0x10 0x42), padding 0, id 2 len 3 (0x22 a b c),
  // padding to 8 bytes.
  const Bytes b = {0x90, 0x60, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09,
                   0xBE, 0xDE, 0x00, 0x02, 0x10, 0x42, 0x00, 0x22, 0x0A, 0x0B, 0x0C, 0x00,
                   0x55, 0x66};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->payload_type, 96);
  EXPECT_TRUE(p->has_extension);
  EXPECT_EQ(p->extension_profile, 0xBEDE);
  EXPECT_EQ(p->extension_data.size(), 8u);
  EXPECT_EQ(as_bytes(p->payload), (Bytes{0x55, 0x66}));
  const auto e = parse_extension_elements(*p);
  ASSERT_TRUE(e) << e.error().to_string();
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[0].id, 1);
  EXPECT_EQ(as_bytes((*e)[0].data), (Bytes{0x42}));
  EXPECT_EQ((*e)[1].id, 2);
  EXPECT_EQ(as_bytes((*e)[1].data), (Bytes{0x0A, 0x0B, 0x0C}));
}

TEST(RtpPacket, OneByteExtensionStopsAtIdFifteen) {
  const Bytes b = {0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2,
                   0xBE, 0xDE, 0x00, 0x01, 0x10, 0x42, 0xF0, 0xFF};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p);
  const auto e = parse_extension_elements(*p);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->size(), 1u);
  EXPECT_TRUE(p->payload.empty());
}

TEST(RtpPacket, SkipsTwoByteHeaderExtension) {
  // Profile 0x1000 (appbits 0), 2 words: id 5 len 0, id 7 len 3 (1 2 3), one padding byte.
  const Bytes b = {0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2,
                   0x10, 0x00, 0x00, 0x02, 0x05, 0x00, 0x07, 0x03, 0x01, 0x02, 0x03, 0x00, 0xEE};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(as_bytes(p->payload), (Bytes{0xEE}));
  const auto e = parse_extension_elements(*p);
  ASSERT_TRUE(e) << e.error().to_string();
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[0].id, 5);
  EXPECT_TRUE((*e)[0].data.empty());
  EXPECT_EQ((*e)[1].id, 7);
  EXPECT_EQ(as_bytes((*e)[1].data), (Bytes{1, 2, 3}));
}

TEST(RtpPacket, PlainRfc3550ExtensionIsSkippedButHasNoElements) {
  const Bytes b = {0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xAB, 0xCD, 0x00, 0x01, 1, 2, 3, 4, 9};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->extension_profile, 0xABCD);
  EXPECT_EQ(as_bytes(p->payload), (Bytes{9}));
  EXPECT_FALSE(parse_extension_elements(*p));
}

TEST(RtpPacket, RejectsExtensionElementPastItsBody) {
  // One-byte element id 1 claims 4 bytes, only 3 follow in the 1-word body.
  const Bytes b = {0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xBE, 0xDE, 0x00, 0x01, 0x13, 1, 2, 3};
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p);
  EXPECT_FALSE(parse_extension_elements(*p));
  // Two-byte element header cut by the end of the body.
  const Bytes c = {0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0x10, 0x00, 0x00, 0x01, 0, 0, 0, 7};
  const auto q = parse_rtp(c);
  ASSERT_TRUE(q);
  EXPECT_FALSE(parse_extension_elements(*q));
}

TEST(RtpPacket, RejectsWrongVersion) {
  Bytes b = kPcmu;
  b[0] = 0x40;  // version 1
  const auto p = parse_rtp(b);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().where, "rtp.version");
}

TEST(RtpPacket, RejectsEveryTruncation) {
  const Bytes b = {0xB1, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0x11, 0x11, 0x11, 0x11,
                   0xBE, 0xDE, 0x00, 0x01, 0x10, 0x42, 0x00, 0x00, 0x01};
  ASSERT_TRUE(parse_rtp(b));
  // Every proper prefix fails: the CSRC, the extension, or the padding count (0) is cut.
  for (std::size_t n = 0; n < b.size(); ++n) {
    const auto p = parse_rtp(std::span(b).first(n));
    EXPECT_FALSE(p) << "prefix of " << n << " bytes";
  }
}

TEST(RtpPacket, RejectsBadPadding) {
  Bytes b = kPcmu;
  b[0] |= 0x20;
  b.back() = 0;  // count 0
  EXPECT_FALSE(parse_rtp(b));
  b.back() = 4;  // longer than the 3-byte payload
  EXPECT_FALSE(parse_rtp(b));
  b.back() = 3;  // all of the payload is padding
  const auto p = parse_rtp(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->payload.empty());
}

TEST(RtpPacket, BuildsWhatItParses) {
  RtpHeaderFields h;
  h.marker = true;
  h.payload_type = 0;
  h.sequence_number = 0x1234;
  h.timestamp = 0xDEADBEEF;
  h.ssrc = 0x01020304;
  const Bytes payload = {0xFF, 0x7F, 0x00};
  const auto b = build_rtp(h, payload);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, kPcmu);
}

TEST(RtpPacket, BuildsCsrcsExtensionAndPaddingThatRoundTrip) {
  RtpHeaderFields h;
  h.payload_type = 111;
  h.sequence_number = 65535;
  h.timestamp = 160;
  h.ssrc = 7;
  h.csrcs = {1, 2, 3};
  h.padding_size = 4;
  const Bytes level = {0x80 | 30};
  const Bytes mid = {'a', 'u', 'd', 'i', 'o'};
  const RtpExtensionElement elements[] = {{1, level}, {3, mid}};
  ASSERT_TRUE(set_extension_elements(h, elements).value());  // one-byte form
  const Bytes payload = {9, 8, 7};
  const auto b = build_rtp(h, payload);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size() % 4, (12 + 12 + 4 + 8 + 3 + 4) % 4);
  EXPECT_EQ((*b)[0], 0xB3);  // V=2 P=1 X=1 CC=3
  const auto p = parse_rtp(*b);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->payload_type, 111);
  EXPECT_EQ(p->sequence_number, 65535);
  ASSERT_EQ(p->csrc_count(), 3u);
  EXPECT_EQ(p->csrc(2), 3u);
  EXPECT_EQ(p->padding_size, 4);
  EXPECT_EQ(as_bytes(p->payload), payload);
  const auto e = parse_extension_elements(*p);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[1].id, 3);
  EXPECT_EQ(as_bytes((*e)[1].data), mid);
}

TEST(RtpPacket, ExtensionFallsBackToTwoByteForm) {
  RtpHeaderFields h;
  const Bytes empty;
  const RtpExtensionElement elements[] = {{20, empty}};
  ASSERT_FALSE(set_extension_elements(h, elements).value());
  EXPECT_EQ(h.extension_profile, kTwoByteExtensionProfile);
  EXPECT_EQ(h.extension_data, (Bytes{20, 0}));
  const RtpExtensionElement bad[] = {{0, empty}};
  EXPECT_FALSE(set_extension_elements(h, bad));
}

TEST(RtpPacket, BuilderRefusesImpossibleHeaders) {
  RtpHeaderFields h;
  h.payload_type = 128;
  EXPECT_FALSE(build_rtp(h, {}));
  h.payload_type = 0;
  h.csrcs.assign(16, 1);
  EXPECT_FALSE(build_rtp(h, {}));
}

}  // namespace
}  // namespace sb::media::rtp
