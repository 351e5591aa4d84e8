// media/sdp/attributes_test.cc: the typed attribute readers.
#include "media/sdp/attributes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::media::sdp {
namespace {

using ::testing::ElementsAre;

TEST(SdpAttributes, RtpMapWithAndWithoutChannels) {
  EXPECT_EQ(parse_rtpmap("111 opus/48000/2"), (RtpMap{111, "opus", 48000, 2}));
  EXPECT_EQ(parse_rtpmap("0 PCMU/8000"), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_FALSE(parse_rtpmap("128 PCMU/8000"));  // payload types are 7 bits
  EXPECT_FALSE(parse_rtpmap("0 PCMU"));
  EXPECT_FALSE(parse_rtpmap("0 PCMU/0"));
  EXPECT_FALSE(parse_rtpmap("x PCMU/8000"));
  EXPECT_EQ(format_rtpmap(RtpMap{111, "opus", 48000, 2}), "111 opus/48000/2");
  EXPECT_EQ(format_rtpmap(RtpMap{8, "PCMA", 8000, 1}), "8 PCMA/8000");
}

TEST(SdpAttributes, FmtpKeepsParametersVerbatim) {
  EXPECT_EQ(parse_fmtp("101 0-15"), (Fmtp{101, "0-15"}));
  EXPECT_EQ(parse_fmtp("111 minptime=10;useinbandfec=1"),
            (Fmtp{111, "minptime=10;useinbandfec=1"}));
  EXPECT_FALSE(parse_fmtp("opus minptime=10"));
}

TEST(SdpAttributes, DirectionMediaOverridesSession) {
  auto sdp = parse(
      "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=sendonly\r\n"
      "m=audio 1000 RTP/AVP 0\r\na=inactive\r\nm=audio 2000 RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_EQ(direction(*sdp, sdp->media[0]), Direction::Inactive);
  EXPECT_EQ(direction(*sdp, sdp->media[1]), Direction::SendOnly);
  EXPECT_EQ(direction_from_name("recvonly"), Direction::RecvOnly);
  EXPECT_FALSE(direction_from_name("sendrecv "));
}

TEST(SdpAttributes, RtcpPortAndAddress) {
  EXPECT_EQ(parse_rtcp("53020"), (Rtcp{53020, std::nullopt}));
  EXPECT_EQ(parse_rtcp("53020 IN IP6 2001:db8::1"),
            (Rtcp{53020, Connection{"IN", "IP6", "2001:db8::1"}}));
  EXPECT_FALSE(parse_rtcp("70000"));
  EXPECT_FALSE(parse_rtcp("53020 IN IP4"));
}

TEST(SdpAttributes, CryptoSdesLine) {
  auto c = parse_crypto(
      "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 "
      "UNENCRYPTED_SRTCP");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->tag, 1u);
  EXPECT_EQ(c->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_THAT(c->key_params,
              ElementsAre("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32"));
  EXPECT_THAT(c->session_params, ElementsAre("UNENCRYPTED_SRTCP"));
  EXPECT_EQ(format_crypto(*c),
            "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 "
            "UNENCRYPTED_SRTCP");
  auto two = parse_crypto("2 AES_CM_128_HMAC_SHA1_32 inline:a;inline:b");
  ASSERT_TRUE(two);
  EXPECT_THAT(two->key_params, ElementsAre("inline:a", "inline:b"));
  EXPECT_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80"));
  EXPECT_FALSE(parse_crypto("1234567890 AES_CM_128_HMAC_SHA1_80 inline:x"));
}

TEST(SdpAttributes, PtimeIgnoresAFractionAndZero) {
  Media m;
  m.attributes = {{"ptime", "20.0"}, {"maxptime", "0"}};
  EXPECT_EQ(ptime_ms(m), 20u);
  EXPECT_FALSE(maxptime_ms(m));
}

TEST(SdpAttributes, EventListsParseAndFormat) {
  auto e = parse_event_list("0-11,16");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->size(), 13u);
  EXPECT_EQ(format_event_list(*e), "0-11,16");
  EXPECT_EQ(format_event_list(*parse_event_list("16,0-3,2")), "0-3,16");
  EXPECT_FALSE(parse_event_list("5-1"));
  EXPECT_FALSE(parse_event_list("0-256"));
  EXPECT_FALSE(parse_event_list(""));
}

TEST(SdpAttributes, TelephoneEventRangeDefaultsTo0To15) {
  Media m;
  m.formats = {"101", "102"};
  m.attributes = {{"rtpmap", "101 telephone-event/8000"},
                  {"rtpmap", "102 telephone-event/16000"},
                  {"fmtp", "102 0-11,16"}};
  auto plain = telephone_event_range(m, 101);
  ASSERT_TRUE(plain);
  EXPECT_EQ(format_event_list(*plain), "0-15");
  EXPECT_EQ(format_event_list(*telephone_event_range(m, 102)), "0-11,16");
  m.attributes.push_back({"fmtp", "101 x-y"});
  EXPECT_FALSE(telephone_event_range(m, 101));
}

TEST(SdpAttributes, StaticPayloadTypes) {
  EXPECT_EQ(static_payload_type(0), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(static_payload_type(9), (RtpMap{9, "G722", 8000, 1}));
  EXPECT_FALSE(static_payload_type(96));
  EXPECT_TRUE(same_encoding("pcmu", "PCMU"));
  EXPECT_FALSE(same_encoding("PCMU", "PCMA"));
}

}  // namespace
}  // namespace sb::media::sdp
