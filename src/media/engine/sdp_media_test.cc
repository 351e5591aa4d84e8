// media/engine/sdp_media_test.cc: offers from real phones → our answer → endpoint settings.
#include "media/engine/sdp_media.h"

#include <gtest/gtest.h>

#include "media/sdp/session_description.h"
#include "media/srtp/srtp_keys.h"

namespace sb::media::engine {
namespace {

sdp::LocalEndpoint ours(std::string key = "") {
  sdp::LocalEndpoint l;
  l.address = {"IN", "IP4", "192.0.2.10"};
  l.rtp_port = 20000;
  l.srtp_inline_key = std::move(key);
  return l;
}

Result<EndpointMedia> answer_and_settings(const std::string& offer_text, const sdp::LocalEndpoint& local) {
  auto offer = sdp::parse(offer_text);
  if (!offer) return offer.error();
  auto answer = sdp::build_answer(*offer, engine_capabilities(), local);
  if (!answer) return answer.error();
  auto n = sdp::negotiated(*offer, *answer);
  if (!n) return n.error();
  return endpoint_media(*n, false);
}

TEST(SdpMedia, PlainG711OfferFromAPhone) {
  auto m = answer_and_settings(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:30\r\n",
      ours());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->codec, AudioCodec::Pcma);  // the offerer's order among codecs we both have
  EXPECT_EQ(m->payload_type, 8);
  EXPECT_EQ(m->telephone_event_pt, 101);
  EXPECT_EQ(m->ptime_ms, 30);
  EXPECT_EQ(m->remote_ip, "10.0.0.5");
  EXPECT_EQ(m->remote_rtp_port, 4000);
  EXPECT_FALSE(m->srtp_send_key);
}

TEST(SdpMedia, OpusWithDynamicPayloadTypeAndHold) {
  auto m = answer_and_settings(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 111 0\r\na=rtpmap:111 opus/48000/2\r\na=sendonly\r\na=rtcp-mux\r\n",
      ours());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->codec, AudioCodec::Opus);
  EXPECT_EQ(m->payload_type, 111);
  EXPECT_EQ(m->direction, MediaDirection::RecvOnly);  // they hold us: we only listen
  EXPECT_TRUE(m->rtcp_mux);
}

TEST(SdpMedia, SdesSrtpOfferGivesBothKeys) {
  auto theirs = srtp::generate_key(srtp::CryptoSuite::AesCm128HmacSha1_80);
  auto mine = srtp::generate_key(srtp::CryptoSuite::AesCm128HmacSha1_80);
  ASSERT_TRUE(theirs && mine);
  auto m = answer_and_settings(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
      "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" +
          srtp::base64_encode(theirs->key_salt) + "\r\n",
      ours(srtp::base64_encode(mine->key_salt)));
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_TRUE(m->srtp_receive_key && m->srtp_send_key);
  EXPECT_EQ(m->srtp_receive_key->key_salt, theirs->key_salt);
  EXPECT_EQ(m->srtp_send_key->key_salt, mine->key_salt);
}

TEST(SdpMedia, NoCommonCodecIsRefused) {
  auto m = answer_and_settings(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n",
      ours());
  EXPECT_FALSE(m);
}

}  // namespace
}  // namespace sb::media::engine
