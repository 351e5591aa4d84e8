// media/sdp/offer_answer_test.cc: RFC 3264 answers to real offers, our offers, and what an
// exchange negotiated.
#include "media/sdp/offer_answer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::media::sdp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

LocalCapabilities call_center_caps() {
  LocalCapabilities caps;
  caps.codecs = {{"PCMU", 8000, 1, 0, ""},
                 {"PCMA", 8000, 1, 8, ""},
                 {"opus", 48000, 2, std::nullopt, "useinbandfec=1"},
                 {"G722", 8000, 1, 9, ""}};
  return caps;
}

LocalEndpoint our_endpoint() {
  LocalEndpoint local;
  local.address = Connection{"IN", "IP4", "192.0.2.10"};
  local.rtp_port = 40000;
  local.session_id = "777";
  local.srtp_inline_key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
  return local;
}

SessionDescription parsed(std::string_view text) {
  auto sdp = parse(text);
  EXPECT_TRUE(sdp) << sdp.error().to_string();
  return sdp ? *sdp : SessionDescription{};
}

SessionDescription answer_to(std::string_view offer_text,
                             const LocalCapabilities& caps = call_center_caps(),
                             const LocalEndpoint& local = our_endpoint()) {
  auto answer = build_answer(parsed(offer_text), caps, local);
  EXPECT_TRUE(answer) << answer.error().to_string();
  return answer ? *answer : SessionDescription{};
}

std::string audio_offer(std::string_view media_lines, std::string_view c = "192.0.2.99") {
  return "v=0\r\no=peer 100 200 IN IP4 192.0.2.99\r\ns=-\r\nc=IN IP4 " + std::string(c) +
         "\r\nt=0 0\r\n" + std::string(media_lines);
}

constexpr std::string_view kSippOffer =
    "v=0\r\n"
    "o=user1 53655765 2353687637 IN IP4 127.0.1.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.1.1\r\n"
    "t=0 0\r\n"
    "m=audio 6000 RTP/AVP 8 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-11,16\r\n";

TEST(OfferAnswer, AnswersSippOfferWithPcmaAndTelephoneEvent) {
  SessionDescription answer = answer_to(kSippOffer);
  EXPECT_EQ(serialize(answer),
            "v=0\r\n"
            "o=switchboard 777 1 IN IP4 192.0.2.10\r\n"
            "s=Switchboard\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 8 101\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-11,16\r\n"
            "a=sendrecv\r\n");
}

TEST(OfferAnswer, KeepsTheOfferersDynamicPayloadTypeAndOrder) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 5004 RTP/AVP 120 9 0 18 100\r\n"
                            "a=rtpmap:120 opus/48000/2\r\n"
                            "a=rtpmap:18 G729/8000\r\n"
                            "a=rtpmap:100 telephone-event/8000\r\n"));
  ASSERT_EQ(answer.media.size(), 1u);
  const Media& m = answer.media[0];
  EXPECT_EQ(m.port, 40000);
  // G729 is not ours; the rest stay in the offer's order under the offer's numbers.
  EXPECT_THAT(m.formats, ElementsAre("120", "9", "0", "100"));
  EXPECT_THAT(codecs(m),
              ElementsAre(RtpMap{120, "opus", 48000, 2}, RtpMap{9, "G722", 8000, 1},
                          RtpMap{0, "PCMU", 8000, 1}, RtpMap{100, "telephone-event", 8000, 1}));
  EXPECT_EQ(fmtp(m, 120)->parameters, "useinbandfec=1");
  // RFC 4733 §7.1.1: no fmtp in the offer means 0-15.
  EXPECT_EQ(fmtp(m, 100)->parameters, "0-15");
}

TEST(OfferAnswer, OpusWithoutItsChannelsDoesNotMatch) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 5004 RTP/AVP 96\r\na=rtpmap:96 opus/48000\r\n"));
  EXPECT_EQ(answer.media[0].port, 0);
}

TEST(OfferAnswer, NoCommonCodecRejectsTheStream) {
  auto offer =
      parsed(audio_offer("m=audio 5004 RTP/AVP 18 101\r\na=rtpmap:18 G729/8000\r\n"
                         "a=rtpmap:101 telephone-event/8000\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->media.size(), 1u);
  Media expected;
  expected.media = "audio";
  expected.port = 0;
  expected.proto = "RTP/AVP";
  expected.formats = {"18", "101"};
  EXPECT_EQ(answer->media[0], expected);
  auto n = negotiated(offer, *answer);
  ASSERT_FALSE(n);
  EXPECT_THAT(n.error().message, HasSubstr("no audio stream was accepted"));
}

TEST(OfferAnswer, VideoIsRejectedAndAudioAcceptedInPlace) {
  auto offer =
      parsed(audio_offer("m=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                         "m=audio 5004 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->media.size(), 2u);
  EXPECT_EQ(answer->media[0].media, "video");
  EXPECT_EQ(answer->media[0].port, 0);
  EXPECT_THAT(answer->media[0].formats, ElementsAre("96"));
  EXPECT_EQ(answer->media[1].port, 40000);
  EXPECT_THAT(answer->media[1].formats, ElementsAre("0", "101"));
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(n->m_line, 1u);
  EXPECT_EQ(n->codec, (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(n->telephone_event_pt, 101);
}

TEST(OfferAnswer, OnlyTheFirstAudioStreamIsAccepted) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 5004 RTP/AVP 0\r\nm=audio 5008 RTP/AVP 8\r\n"));
  ASSERT_EQ(answer.media.size(), 2u);
  EXPECT_EQ(answer.media[0].port, 40000);
  EXPECT_EQ(answer.media[1].port, 0);
}

TEST(OfferAnswer, DisabledOfferedStreamStaysDisabled) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 0 RTP/AVP 0\r\nm=audio 5008 RTP/AVP 8\r\n"));
  EXPECT_EQ(answer.media[0].port, 0);
  EXPECT_EQ(answer.media[1].port, 40000);
}

struct DirectionCase {
  std::string offered;   // a= line or empty
  std::string address;   // c= address of the offer
  Direction local;       // what we want
  std::string answered;  // the a= line of our answer
};

class AnswerDirection : public ::testing::TestWithParam<DirectionCase> {};

TEST_P(AnswerDirection, FollowsRfc3264) {
  const auto& c = GetParam();
  LocalEndpoint local = our_endpoint();
  local.direction = c.local;
  SessionDescription answer = answer_to(
      audio_offer("m=audio 5004 RTP/AVP 0\r\n" + c.offered, c.address), call_center_caps(), local);
  ASSERT_EQ(answer.media.size(), 1u);
  EXPECT_EQ(answer.media[0].attributes.back(), (Attribute{c.answered, std::nullopt}));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AnswerDirection,
    ::testing::Values(
        DirectionCase{"", "192.0.2.99", Direction::SendRecv, "sendrecv"},
        DirectionCase{"a=sendrecv\r\n", "192.0.2.99", Direction::SendRecv, "sendrecv"},
        DirectionCase{"a=sendonly\r\n", "192.0.2.99", Direction::SendRecv, "recvonly"},
        DirectionCase{"a=recvonly\r\n", "192.0.2.99", Direction::SendRecv, "sendonly"},
        DirectionCase{"a=inactive\r\n", "192.0.2.99", Direction::SendRecv, "inactive"},
        // RFC 3264 §8.4 old-style hold: c=0.0.0.0 means the offerer receives nothing.
        DirectionCase{"", "0.0.0.0", Direction::SendRecv, "recvonly"},
        DirectionCase{"a=recvonly\r\n", "0.0.0.0", Direction::SendRecv, "inactive"},
        // We hold: the answer narrows to what we want.
        DirectionCase{"a=sendrecv\r\n", "192.0.2.99", Direction::SendOnly, "sendonly"},
        DirectionCase{"a=sendonly\r\n", "192.0.2.99", Direction::SendOnly, "inactive"},
        DirectionCase{"a=sendrecv\r\n", "192.0.2.99", Direction::Inactive, "inactive"}));

TEST(OfferAnswer, HoldThenResumeKeepsSessionAndBumpsVersion) {
  LocalCapabilities caps = call_center_caps();
  LocalEndpoint local = our_endpoint();
  auto first = build_answer(parsed(kSippOffer), caps, local);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->origin.session_version, 1u);

  // A re-offer identical in substance: same version (RFC 3264 §8).
  auto same = build_answer(parsed(kSippOffer), caps, local, &*first);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->origin.session_version, 1u);
  EXPECT_EQ(*same, *first);

  // The peer holds us (sendonly): our answer changes, so the version goes up by one.
  std::string hold(kSippOffer);
  hold += "a=sendonly\r\n";
  LocalEndpoint other = local;
  other.session_id = "999";  // ignored: the previous description's id wins
  auto held = build_answer(parsed(hold), caps, other, &*first);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->origin.session_id, "777");
  EXPECT_EQ(held->origin.session_version, 2u);
  EXPECT_EQ(held->media[0].attributes.back().name, "recvonly");

  auto resumed = build_answer(parsed(kSippOffer), caps, local, &*held);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->origin.session_version, 3u);
  EXPECT_EQ(resumed->media[0].attributes.back().name, "sendrecv");
}

constexpr std::string_view kSrtpOffer =
    "v=0\r\no=- 1971447419 3262546151 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
    "m=audio 11230 RTP/SAVP 0 8 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:AAAA|2^20|1:32\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj\r\n";

TEST(OfferAnswer, SrtpOfferRejectedWithoutSrtpSupport) {
  SessionDescription answer = answer_to(kSrtpOffer);
  ASSERT_EQ(answer.media.size(), 1u);
  EXPECT_EQ(answer.media[0].port, 0);
  EXPECT_EQ(answer.media[0].proto, "RTP/SAVP");
  EXPECT_TRUE(answer.media[0].attributes.empty());
}

TEST(OfferAnswer, SrtpOfferAcceptedWithTheFirstSuiteWeRun) {
  LocalCapabilities caps = call_center_caps();
  caps.protos = {"RTP/AVP", "RTP/SAVP"};
  caps.accept_srtp = true;
  auto offer = parsed(kSrtpOffer);
  auto answer = build_answer(offer, caps, our_endpoint());
  ASSERT_TRUE(answer);
  const Media& m = answer->media[0];
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.proto, "RTP/SAVP");
  EXPECT_THAT(m.formats, ElementsAre("0", "8", "101"));
  EXPECT_THAT(
      cryptos(m),
      ElementsAre(Crypto{
          2, "AES_CM_128_HMAC_SHA1_80", {"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"}, {}}));
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n);
  ASSERT_TRUE(n->offerer_crypto);
  EXPECT_THAT(n->offerer_crypto->key_params,
              ElementsAre("inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj"));
  EXPECT_EQ(n->answerer_crypto->tag, 2u);
}

TEST(OfferAnswer, SrtpOfferWithOnlyUnknownSuitesIsRejected) {
  LocalCapabilities caps = call_center_caps();
  caps.protos = {"RTP/AVP", "RTP/SAVP"};
  caps.accept_srtp = true;
  caps.crypto_suites = {"AES_CM_128_HMAC_SHA1_32"};
  SessionDescription answer = answer_to(kSrtpOffer, caps);
  EXPECT_EQ(answer.media[0].port, 0);
}

TEST(OfferAnswer, WebRtcDtlsOfferIsRejectedUnlessItsProtoIsSupported) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\na=rtpmap:111 opus/48000/2\r\n"
                            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n"));
  ASSERT_EQ(answer.media.size(), 2u);
  EXPECT_EQ(answer.media[0].port, 0);
  EXPECT_EQ(answer.media[1].port, 0);
  EXPECT_EQ(answer.media[1].proto, "UDP/TLS/RTP/SAVPF");
}

TEST(OfferAnswer, RtcpMuxAndPtimeAreHonoured) {
  auto offer =
      parsed(audio_offer("m=audio 5004 RTP/AVP 8\r\na=ptime:30\r\na=rtcp-mux\r\na=rtcp:5005\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  EXPECT_THAT(
      answer->media[0].attributes,
      ElementsAre(Attribute{"rtpmap", "8 PCMA/8000"}, Attribute{"ptime", "30"},
                  Attribute{"rtcp-mux", std::nullopt}, Attribute{"sendrecv", std::nullopt}));
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->rtcp_mux);
  EXPECT_EQ(n->ptime_ms, 30u);
  EXPECT_EQ(n->offerer.rtcp_port, 5004);  // muxed: a=rtcp no longer applies
  EXPECT_EQ(n->answerer.rtcp_port, 40000);
}

TEST(OfferAnswer, RtcpMuxNotOfferedMeansSeparateRtcpPort) {
  auto offer = parsed(audio_offer("m=audio 5004 RTP/AVP 8\r\na=rtcp:5011\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  EXPECT_FALSE(has_rtcp_mux(answer->media[0]));
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->rtcp_mux);
  EXPECT_EQ(n->offerer.rtcp_port, 5011);
  EXPECT_EQ(n->answerer.rtcp_port, 40001);
  EXPECT_EQ(n->ptime_ms, 20u);
}

TEST(OfferAnswer, TelephoneEventAtTheCodecsClockRate) {
  SessionDescription answer = answer_to(
      audio_offer("m=audio 9 RTP/AVP 111 110 126\r\na=rtpmap:111 opus/48000/2\r\n"
                  "a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n"));
  EXPECT_THAT(answer.media[0].formats, ElementsAre("111", "110"));
}

TEST(OfferAnswer, TelephoneEventAloneIsNoCodec) {
  SessionDescription answer =
      answer_to(audio_offer("m=audio 5004 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n"));
  EXPECT_EQ(answer.media[0].port, 0);
}

// Found by sdp_fuzz: "08" in the offer is payload type 8; the answer writes "8" and the
// negotiation must still see it as the offer's.
TEST(OfferAnswer, PayloadTypeWithLeadingZeroIsTheSameNumber) {
  auto offer =
      parsed(audio_offer("m=audio 5004 RTP/AVP 08 101\r\n"
                         "a=rtpmap:101 telephone-event/8000\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  EXPECT_THAT(answer->media[0].formats, ElementsAre("8", "101"));
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(n->codec, (RtpMap{8, "PCMA", 8000, 1}));
}

// A hostile offer with thousands of formats and rtpmaps is answered in linear time, each
// payload type once.
TEST(OfferAnswer, HugeOfferIsAnsweredWithEachPayloadTypeOnce) {
  std::string media = "m=audio 5004 RTP/AVP";
  for (int i = 0; i < 20000; ++i) {
    media += i % 2 ? " 0" : " 96";
  }
  media += "\r\n";
  for (int i = 0; i < 5000; ++i) {
    media += "a=rtpmap:96 PCMA/8000\r\n";
  }
  SessionDescription answer = answer_to(audio_offer(media));
  EXPECT_THAT(answer.media[0].formats, ElementsAre("96", "0"));
}

TEST(OfferAnswer, OfferWithoutMediaIsAnError) {
  auto answer = build_answer(parsed(audio_offer("")), call_center_caps(), our_endpoint());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().message, "offer has no m= lines to answer");
}

TEST(MakeOffer, ListsOurCodecsWithStaticAndDynamicPayloadTypes) {
  LocalCapabilities caps = call_center_caps();
  caps.ptime_ms = 20;
  SessionDescription offer = make_offer(caps, our_endpoint());
  EXPECT_EQ(serialize(offer),
            "v=0\r\n"
            "o=switchboard 777 1 IN IP4 192.0.2.10\r\n"
            "s=Switchboard\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 8 96 9 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:96 opus/48000/2\r\n"
            "a=fmtp:96 useinbandfec=1\r\n"
            "a=rtpmap:9 G722/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=rtcp-mux\r\n"
            "a=sendrecv\r\n");
}

TEST(MakeOffer, ReOfferForHoldBumpsVersionOnlyWhenChanged) {
  LocalCapabilities caps = call_center_caps();
  LocalEndpoint local = our_endpoint();
  SessionDescription first = make_offer(caps, local);
  SessionDescription again = make_offer(caps, local, &first);
  EXPECT_EQ(again.origin.session_version, 1u);
  local.direction = Direction::SendOnly;
  SessionDescription hold = make_offer(caps, local, &again);
  EXPECT_EQ(hold.origin.session_id, "777");
  EXPECT_EQ(hold.origin.session_version, 2u);
  EXPECT_EQ(hold.media[0].attributes.back().name, "sendonly");
}

TEST(MakeOffer, SrtpOfferCarriesOneCryptoLinePerSuite) {
  LocalEndpoint local = our_endpoint();
  local.offer_srtp = true;
  SessionDescription offer = make_offer(call_center_caps(), local);
  EXPECT_EQ(offer.media[0].proto, "RTP/SAVP");
  auto c = cryptos(offer.media[0]);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].tag, 1u);
  EXPECT_EQ(c[1].suite, "AES_CM_128_HMAC_SHA1_32");
}

TEST(Negotiated, ReadsAFreeswitchAnswerToOurOffer) {
  SessionDescription offer = make_offer(call_center_caps(), our_endpoint());
  auto answer = parse(
      "v=0\r\no=FreeSWITCH 1700812345 1700812346 IN IP4 203.0.113.40\r\ns=FreeSWITCH\r\n"
      "c=IN IP4 203.0.113.40\r\nt=0 0\r\nm=audio 24578 RTP/AVP 8 101\r\n"
      "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
      "a=ptime:20\r\na=rtcp:24579 IN IP4 203.0.113.40\r\n");
  ASSERT_TRUE(answer);
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(n->codec, (RtpMap{8, "PCMA", 8000, 1}));
  EXPECT_EQ(n->telephone_event_pt, 101);
  EXPECT_EQ(n->offerer_direction, Direction::SendRecv);
  EXPECT_EQ(n->answerer_direction, Direction::SendRecv);
  EXPECT_EQ(n->answerer.address, "203.0.113.40");
  EXPECT_EQ(n->answerer.rtp_port, 24578);
  EXPECT_EQ(n->answerer.rtcp_port, 24579);
  EXPECT_EQ(n->offerer.address, "192.0.2.10");
  EXPECT_EQ(n->offerer.rtp_port, 40000);
  EXPECT_FALSE(n->rtcp_mux);  // we offered it, FreeSWITCH did not answer it
  EXPECT_EQ(n->ptime_ms, 20u);
}

TEST(Negotiated, HoldDirectionsForEachSide) {
  auto offer = parsed(audio_offer("m=audio 5004 RTP/AVP 0\r\na=sendonly\r\n"));
  auto answer = build_answer(offer, call_center_caps(), our_endpoint());
  ASSERT_TRUE(answer);
  auto n = negotiated(offer, *answer);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->offerer_direction, Direction::SendOnly);
  EXPECT_EQ(n->answerer_direction, Direction::RecvOnly);
}

TEST(Negotiated, MismatchedMLineCountIsAnError) {
  auto offer = parsed(audio_offer("m=audio 5004 RTP/AVP 0\r\nm=video 5006 RTP/AVP 96\r\n"));
  auto answer = parsed(audio_offer("m=audio 6000 RTP/AVP 0\r\n"));
  auto n = negotiated(offer, answer);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message, "answer has 1 m= lines, offer has 2");
}

}  // namespace
}  // namespace sb::media::sdp
