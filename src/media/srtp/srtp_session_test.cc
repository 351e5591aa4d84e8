// media/srtp/srtp_session_test.cc: round trips per suite, the failure reasons, and libsrtp's own
// known-answer vector for AES_CM_128_HMAC_SHA1_80 (cisco/libsrtp test/srtp_driver.c,
// srtp_validate()).
#include "media/srtp/srtp_session.h"

#include <gtest/gtest.h>

namespace sb::media::srtp {
namespace {

std::vector<uint8_t> rtp_packet(uint16_t seq, std::size_t payload = 160) {
  std::vector<uint8_t> p = {0x80, 0x00, uint8_t(seq >> 8), uint8_t(seq), 0, 0, 0x03, 0x20,
                            0x12, 0x34, 0x56, 0x78};
  for (std::size_t i = 0; i < payload; ++i) {
    p.push_back(uint8_t(i * 7 + seq));
  }
  return p;
}

// An RR with one report block (32 bytes).
std::vector<uint8_t> rtcp_packet() {
  std::vector<uint8_t> p = {0x81, 0xc9, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78};
  for (uint8_t i = 0; i < 24; ++i) {
    p.push_back(i);
  }
  return p;
}

struct Pair {
  SrtpSession out;
  SrtpSession in;
};

Pair make_pair(CryptoSuite suite) {
  auto key = generate_key(suite);
  auto out = SrtpSession::create(SrtpDirection::Outbound, *key);
  auto in = SrtpSession::create(SrtpDirection::Inbound, *key);
  EXPECT_TRUE(out && in);
  return Pair{std::move(out).value(), std::move(in).value()};
}

class SrtpSuiteTest : public ::testing::TestWithParam<CryptoSuite> {};

TEST_P(SrtpSuiteTest, RtpRoundTripAndTagLength) {
  auto [out, in] = make_pair(GetParam());
  for (uint16_t seq = 1000; seq < 1010; ++seq) {
    const auto plain = rtp_packet(seq);
    auto packet = plain;
    auto n = out.protect_rtp(packet);
    ASSERT_TRUE(n) << n.error().to_string();
    EXPECT_EQ(*n, plain.size() + rtp_tag_length(GetParam()));
    EXPECT_EQ(packet.size(), *n);
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, packet.begin()));  // header clear
    EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), packet.begin() + 12));
    auto m = in.unprotect_rtp(packet);
    ASSERT_TRUE(m) << m.error().to_string();
    EXPECT_EQ(packet, plain);
  }
  EXPECT_EQ(rtp_tag_length(GetParam()),
            GetParam() == CryptoSuite::AesCm128HmacSha1_32 ? 4u : 10u);
}

TEST_P(SrtpSuiteTest, RtcpRoundTrip) {
  auto [out, in] = make_pair(GetParam());
  for (int i = 0; i < 3; ++i) {
    const auto plain = rtcp_packet();
    auto packet = plain;
    auto n = out.protect_rtcp(packet);
    ASSERT_TRUE(n) << n.error().to_string();
    EXPECT_EQ(*n, plain.size() + kSrtcpTrailerLength);  // E+index and an 80-bit tag, all suites
    ASSERT_TRUE(in.unprotect_rtcp(packet));
    EXPECT_EQ(packet, plain);
  }
}

TEST_P(SrtpSuiteTest, FlippedBitFailsAuthentication) {
  auto [out, in] = make_pair(GetParam());
  auto packet = rtp_packet(1);
  ASSERT_TRUE(out.protect_rtp(packet));
  packet[40] ^= 0x01;
  auto r = in.unprotect_rtp(packet);
  ASSERT_FALSE(r);
  EXPECT_EQ(srtp_failure_of(r.error()), SrtpFailure::Auth) << r.error().to_string();

  auto rtcp = rtcp_packet();
  ASSERT_TRUE(out.protect_rtcp(rtcp));
  rtcp[10] ^= 0x80;
  auto rc = in.unprotect_rtcp(rtcp);
  ASSERT_FALSE(rc);
  EXPECT_EQ(srtp_failure_of(rc.error()), SrtpFailure::Auth);
}

TEST_P(SrtpSuiteTest, ReplayIsRefused) {
  auto [out, in] = make_pair(GetParam());
  auto packet = rtp_packet(7);
  ASSERT_TRUE(out.protect_rtp(packet));
  auto copy = packet;
  ASSERT_TRUE(in.unprotect_rtp(packet));
  auto r = in.unprotect_rtp(copy);
  ASSERT_FALSE(r);
  EXPECT_EQ(srtp_failure_of(r.error()), SrtpFailure::Replay) << r.error().to_string();

  auto rtcp = rtcp_packet();
  ASSERT_TRUE(out.protect_rtcp(rtcp));
  auto rtcp_copy = rtcp;
  ASSERT_TRUE(in.unprotect_rtcp(rtcp));
  auto rc = in.unprotect_rtcp(rtcp_copy);
  ASSERT_FALSE(rc);
  EXPECT_EQ(srtp_failure_of(rc.error()), SrtpFailure::Replay);
}

TEST_P(SrtpSuiteTest, WrongKeyFails) {
  auto out = SrtpSession::create(SrtpDirection::Outbound, *generate_key(GetParam()));
  auto in = SrtpSession::create(SrtpDirection::Inbound, *generate_key(GetParam()));
  ASSERT_TRUE(out && in);
  auto packet = rtp_packet(1);
  ASSERT_TRUE(out->protect_rtp(packet));
  auto r = in->unprotect_rtp(packet);
  ASSERT_FALSE(r);
  EXPECT_EQ(srtp_failure_of(r.error()), SrtpFailure::Auth);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, SrtpSuiteTest, ::testing::ValuesIn(kAllSuites),
                         [](const auto& param_info) {
                           std::string name(suite_name(param_info.param));
                           std::erase(name, '_');
                           return name;
                         });

// libsrtp test/srtp_driver.c srtp_validate(): the default policy (AES_CM_128_HMAC_SHA1_80).
const std::vector<uint8_t> kKatKey = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
                                      0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
                                      0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
                                      0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
const std::vector<uint8_t> kKatRtpPlain = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad,
                                           0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab, 0xab, 0xab,
                                           0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
                                           0xab, 0xab, 0xab, 0xab};
const std::vector<uint8_t> kKatSrtp = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe,
                                       0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c, 0xe7, 0x99, 0x78, 0xd8,
                                       0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d,
                                       0x6a, 0xcc, 0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb};
const std::vector<uint8_t> kKatRtcpPlain = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe,
                                            0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
                                            0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};
const std::vector<uint8_t> kKatSrtcp = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe,
                                        0x71, 0x28, 0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd,
                                        0xbe, 0xf8, 0x90, 0x41, 0xf9, 0x77, 0xa5, 0xa8,
                                        0x80, 0x00, 0x00, 0x01, 0x99, 0x3e, 0x08, 0xcd,
                                        0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98};

TEST(SrtpSession, LibsrtpKnownAnswer) {
  auto out = SrtpSession::create(SrtpDirection::Outbound, CryptoSuite::AesCm128HmacSha1_80,
                                 kKatKey);
  ASSERT_TRUE(out) << out.error().to_string();
  auto rtp = kKatRtpPlain;
  ASSERT_TRUE(out->protect_rtp(rtp));
  EXPECT_EQ(rtp, kKatSrtp);
  auto rtcp = kKatRtcpPlain;
  ASSERT_TRUE(out->protect_rtcp(rtcp));  // first SRTCP packet: index 1, E bit set
  EXPECT_EQ(rtcp, kKatSrtcp);

  auto in = SrtpSession::create(SrtpDirection::Inbound, CryptoSuite::AesCm128HmacSha1_80,
                                kKatKey);
  ASSERT_TRUE(in);
  auto srtp = kKatSrtp;
  ASSERT_TRUE(in->unprotect_rtp(srtp));
  EXPECT_EQ(srtp, kKatRtpPlain);
  auto srtcp = kKatSrtcp;
  ASSERT_TRUE(in->unprotect_rtcp(srtcp));
  EXPECT_EQ(srtcp, kKatRtcpPlain);
}

TEST(SrtpSession, SpanApiNeedsRoomForTheTrailer) {
  auto [out, in] = make_pair(CryptoSuite::AesCm128HmacSha1_80);
  auto plain = rtp_packet(5, 20);
  std::vector<uint8_t> buffer = plain;
  buffer.resize(plain.size() + 9);  // one byte short of the 10-byte tag
  auto r = out.protect_rtp(buffer, plain.size());
  ASSERT_FALSE(r);
  EXPECT_EQ(srtp_failure_of(r.error()), SrtpFailure::BadPacket);
  buffer.resize(plain.size() + 10);
  auto n = out.protect_rtp(buffer, plain.size());
  ASSERT_TRUE(n);
  auto m = in.unprotect_rtp(std::span<uint8_t>(buffer.data(), *n));
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, plain.size());
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), buffer.begin()));
}

TEST(SrtpSession, BadPacketsAndMisuse) {
  auto [out, in] = make_pair(CryptoSuite::AesCm128HmacSha1_80);
  std::vector<uint8_t> tiny = {0x80, 0x00, 0x00};
  auto r = out.protect_rtp(tiny);
  ASSERT_FALSE(r);
  EXPECT_EQ(srtp_failure_of(r.error()), SrtpFailure::BadPacket);
  EXPECT_EQ(tiny.size(), 3u);  // left as it was
  auto v1 = rtp_packet(1);
  v1[0] = 0x40;
  EXPECT_EQ(srtp_failure_of(out.protect_rtp(v1).error()), SrtpFailure::BadPacket);
  auto cc = rtp_packet(1, 0);
  cc[0] = 0x8f;  // 15 CSRCs announced, none present
  EXPECT_EQ(srtp_failure_of(out.protect_rtp(cc).error()), SrtpFailure::BadPacket);
  auto short_srtp = rtp_packet(1, 0);  // a header and no tag
  EXPECT_EQ(srtp_failure_of(in.unprotect_rtp(short_srtp).error()), SrtpFailure::BadPacket);
  std::vector<uint8_t> short_rtcp = {0x81, 0xc9, 0x00, 0x01, 1, 2, 3, 4, 0, 0};
  EXPECT_EQ(srtp_failure_of(in.unprotect_rtcp(short_rtcp).error()), SrtpFailure::BadPacket);
  auto p = rtp_packet(2);
  EXPECT_EQ(srtp_failure_of(in.protect_rtp(p).error()), SrtpFailure::Other);
  EXPECT_EQ(srtp_failure_of(out.unprotect_rtp(p).error()), SrtpFailure::Other);
  EXPECT_EQ(srtp_failure_of(Error{"x", "sdp"}), std::nullopt);
}

TEST(SrtpSession, WrongKeyLengthAndMove) {
  std::vector<uint8_t> key(29);
  EXPECT_FALSE(SrtpSession::create(SrtpDirection::Outbound, CryptoSuite::AesCm128HmacSha1_80, key));
  key.resize(30);
  EXPECT_FALSE(SrtpSession::create(SrtpDirection::Outbound, CryptoSuite::AesCm256HmacSha1_80, key));
  auto [out, in] = make_pair(CryptoSuite::AesCm128HmacSha1_32);
  SrtpSession moved = std::move(out);
  auto packet = rtp_packet(3);
  ASSERT_TRUE(moved.protect_rtp(packet));
  SrtpSession in2 = std::move(in);
  ASSERT_TRUE(in2.unprotect_rtp(packet));
  EXPECT_EQ(packet, rtp_packet(3));
  static_assert(!std::is_copy_constructible_v<SrtpSession>);
}

}  // namespace
}  // namespace sb::media::srtp
