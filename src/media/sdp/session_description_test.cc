// media/sdp/session_description_test.cc: parsing real SDP bodies, errors, round trips.
#include "media/sdp/session_description.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "media/sdp/attributes.h"

namespace sb::media::sdp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// SIPp's uac scenario with -rtp_echo-style PCMA and RFC 4733 events.
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

constexpr std::string_view kBaresipOffer =
    "v=0\n"
    "o=- 1234567890 2880149012 IN IP4 192.168.1.20\n"
    "s=-\n"
    "c=IN IP4 192.168.1.20\n"
    "t=0 0\n"
    "a=tool:baresip 3.10.1\n"
    "m=audio 10390 RTP/AVP 96 9 0 8 101\n"
    "b=AS:128\n"
    "a=rtpmap:96 opus/48000/2\n"
    "a=fmtp:96 stereo=1;sprop-stereo=1;useinbandfec=1\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n"
    "a=sendrecv\n"
    "a=rtcp-mux\n"
    "a=ptime:20\n";

constexpr std::string_view kWebRtcOffer =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0\r\n"
    "a=msid-semantic: WMS stream\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 110 126\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:ZZy0\r\n"
    "a=ice-pwd:mf8PSqmbSOjgB2jmP6x4ZqNX\r\n"
    "a=fingerprint:sha-256 75:74:5A:A6:A4:E5:52:F4\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
    "a=sendrecv\r\n"
    "a=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=rtcp-fb:111 transport-cc\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:110 telephone-event/48000\r\n"
    "a=rtpmap:126 telephone-event/8000\r\n"
    "a=ssrc:3589213357 cname:QwH2/7ZfJ8Rz0f7w\r\n";

TEST(SdpParse, SippOfferWithTelephoneEvent) {
  auto sdp = parse(kSippOffer);
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_EQ(sdp->origin.username, "user1");
  EXPECT_EQ(sdp->origin.session_id, "53655765");
  EXPECT_EQ(sdp->origin.session_version, 2353687637u);
  EXPECT_EQ(sdp->origin.address, (Connection{"IN", "IP4", "127.0.1.1"}));
  EXPECT_EQ(sdp->session_name, "-");
  ASSERT_TRUE(sdp->connection);
  EXPECT_EQ(sdp->connection->address, "127.0.1.1");
  ASSERT_EQ(sdp->timings.size(), 1u);
  EXPECT_EQ(sdp->timings[0], (Timing{0, 0, {}}));
  ASSERT_EQ(sdp->media.size(), 1u);
  const Media& m = sdp->media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 6000);
  EXPECT_FALSE(m.port_count);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_THAT(m.formats, ElementsAre("8", "101"));
  EXPECT_THAT(codecs(m),
              ElementsAre(RtpMap{8, "PCMA", 8000, 1}, RtpMap{101, "telephone-event", 8000, 1}));
  auto te = fmtp(m, 101);
  ASSERT_TRUE(te);
  EXPECT_EQ(te->parameters, "0-11,16");
  auto events = parse_event_list(te->parameters);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 13u);
  EXPECT_EQ(events->back(), 16);
  EXPECT_EQ(direction(*sdp, m), Direction::SendRecv);
}

TEST(SdpParse, BaresipOfferWithLfLineEnds) {
  auto sdp = parse(kBaresipOffer);
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_THAT(sdp->attributes, ElementsAre(Attribute{"tool", "baresip 3.10.1"}));
  ASSERT_EQ(sdp->media.size(), 1u);
  const Media& m = sdp->media[0];
  EXPECT_THAT(m.bandwidths, ElementsAre(Bandwidth{"AS", 128}));
  EXPECT_EQ(codec(m, 96), (RtpMap{96, "opus", 48000, 2}));
  EXPECT_EQ(fmtp(m, 96)->parameters, "stereo=1;sprop-stereo=1;useinbandfec=1");
  EXPECT_EQ(ptime_ms(m), 20u);
  EXPECT_TRUE(has_rtcp_mux(m));
  EXPECT_EQ(m.attributes.size(), 10u);
  EXPECT_EQ(m.attributes[7], (Attribute{"sendrecv", std::nullopt}));
}

TEST(SdpParse, WebRtcOfferKeepsEveryAttributeInOrder) {
  auto sdp = parse(kWebRtcOffer);
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_FALSE(sdp->connection);
  EXPECT_THAT(sdp->attributes, ElementsAre(Attribute{"group", "BUNDLE 0"},
                                           Attribute{"msid-semantic", " WMS stream"}));
  const Media& m = sdp->media[0];
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_TRUE(m.is_srtp());
  ASSERT_EQ(m.connections.size(), 1u);
  EXPECT_TRUE(m.connections[0].is_hold_address());
  EXPECT_EQ(m.attributes.size(), 18u);
  EXPECT_EQ(m.attributes[0], (Attribute{"rtcp", "9 IN IP4 0.0.0.0"}));
  EXPECT_EQ(m.attributes[6].name, "extmap");
  EXPECT_EQ(m.attributes[6].value, "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  auto r = rtcp(m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->port, 9);
  EXPECT_EQ(r->address, (Connection{"IN", "IP4", "0.0.0.0"}));
  EXPECT_THAT(telephone_events(m), ElementsAre(RtpMap{110, "telephone-event", 48000, 1},
                                               RtpMap{126, "telephone-event", 8000, 1}));
}

TEST(SdpParse, ToleratesTrailingBlanksBlankLinesAndUnknownLines) {
  auto sdp = parse(
      "v=0  \n"
      "o=- 1 1 IN IP4 10.0.0.1 \n"
      "s= \n"
      "\n"
      "c=IN  IP4   10.0.0.1\n"
      "t=0 0\n"
      "x=custom whatever\n"
      "m=audio  7078 RTP/AVP 0 8\t\n"
      "a=rtpmap:0 PCMU/8000   \n"
      "y=unknown line\n"
      "\n");
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_EQ(sdp->session_name, "");
  EXPECT_EQ(sdp->connection->address, "10.0.0.1");
  EXPECT_THAT(sdp->other_lines, ElementsAre(OtherLine{'x', "custom whatever"}));
  EXPECT_THAT(sdp->media[0].formats, ElementsAre("0", "8"));
  EXPECT_THAT(sdp->media[0].attributes, ElementsAre(Attribute{"rtpmap", "0 PCMU/8000"}));
  EXPECT_THAT(sdp->media[0].other_lines, ElementsAre(OtherLine{'y', "unknown line"}));
  // PCMA has no rtpmap: the RFC 3551 static table names it.
  EXPECT_EQ(codec(sdp->media[0], 8), (RtpMap{8, "PCMA", 8000, 1}));
}

TEST(SdpParse, Ipv6AndMulticastAndPortCount) {
  auto sdp = parse(
      "v=0\r\no=alice 1 2 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP4 224.2.17.12/127\r\n"
      "t=2873397496 2873404696\r\nr=7d 1h 0 25h\r\nz=2882844526 -1h\r\n"
      "m=video 51372/2 RTP/AVP 99\r\nc=IN IP6 2001:db8::2\r\n");
  ASSERT_TRUE(sdp) << sdp.error().to_string();
  EXPECT_TRUE(sdp->origin.address.is_ipv6());
  EXPECT_EQ(sdp->connection->address, "224.2.17.12/127");
  EXPECT_EQ(sdp->timings[0].start, 2873397496u);
  EXPECT_THAT(sdp->timings[0].repeats, ElementsAre("7d 1h 0 25h"));
  EXPECT_EQ(sdp->zone, "2882844526 -1h");
  EXPECT_EQ(sdp->media[0].port, 51372);
  EXPECT_EQ(sdp->media[0].port_count, 2u);
  EXPECT_EQ(connection(*sdp, sdp->media[0])->address, "2001:db8::2");
  EXPECT_TRUE(connection(*sdp, sdp->media[0])->is_ipv6());
}

struct BadSdp {
  std::string text;
  std::string where;
  std::string message;
};

class SdpParseErrors : public ::testing::TestWithParam<BadSdp> {};

TEST_P(SdpParseErrors, NameTheLineAndTheProblem) {
  auto sdp = parse(GetParam().text);
  ASSERT_FALSE(sdp);
  EXPECT_EQ(sdp.error().where, GetParam().where);
  EXPECT_THAT(sdp.error().message, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SdpParseErrors,
    ::testing::Values(
        BadSdp{"", "line 1", "v=0 missing"},
        BadSdp{"o=- 1 1 IN IP4 1.2.3.4\r\nv=0\r\n", "line 1", "must start with v=0"},
        BadSdp{"v=1\r\n", "line 1", "unsupported SDP version '1'"},
        BadSdp{"v=0\r\ns=-\r\nt=0 0\r\n", "line 4", "missing o= line"},
        BadSdp{"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nt=0 0\r\n", "line 4", "missing s= line"},
        BadSdp{"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n", "line 5",
               "missing t= line"},
        BadSdp{"v=0\r\no=- 1 1 IN IP4\r\n", "line 2", "o= line needs 6 fields, got 5"},
        BadSdp{"v=0\r\no=- abc 1 IN IP4 1.2.3.4\r\n", "line 2", "session id 'abc'"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 70000 RTP/AVP 0\n", "line 5",
               "port '70000'"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 5000\n", "line 5",
               "m= line needs"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 5000 RTP/AVP 0\nc=IN IP4\n",
               "line 6", "c= line needs <nettype> <addrtype> <address>"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0\n", "line 4", "t= line needs"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nb=AS:lots\nt=0 0\n", "line 4",
               "bandwidth 'lots'"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\ns=again\nt=0 0\n", "line 4", "duplicate s= line"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\nt=0 0\n", "line 6",
               "t= line is session-level"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nhello\n", "line 5",
               "expected <type>=<value>"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\na=:x\n", "line 5", "empty attribute name"},
        BadSdp{"v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nr=1d 1h 0\nt=0 0\n", "line 4",
               "r= line without a preceding t="}));

TEST(SdpSerialize, WritesRfcOrderWithCrlf) {
  auto sdp = parse(kSippOffer);
  ASSERT_TRUE(sdp);
  EXPECT_EQ(serialize(*sdp), kSippOffer);
}

TEST(SdpSerialize, EmptySessionNameIsASingleSpace) {
  SessionDescription s;
  s.session_name = "";
  s.timings.push_back(Timing{});
  EXPECT_EQ(serialize(s), "v=0\r\no=- 0 0 IN IP4 \r\ns= \r\nt=0 0\r\n");
}

TEST(SdpSerialize, RoundTripsRealOffers) {
  for (std::string_view text : {kSippOffer, kBaresipOffer, kWebRtcOffer}) {
    auto sdp = parse(text);
    ASSERT_TRUE(sdp) << sdp.error().to_string();
    auto again = parse(serialize(*sdp));
    ASSERT_TRUE(again) << again.error().to_string();
    EXPECT_EQ(*again, *sdp);
  }
}

TEST(SdpSerialize, RoundTripsTheSeedCorpus) {
  std::filesystem::path dir = std::filesystem::path(SB_SOURCE_DIR) / "src/media/corpus/sdp";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto sdp = parse(buffer.str());
    ASSERT_TRUE(sdp) << entry.path() << ": " << sdp.error().to_string();
    auto again = parse(serialize(*sdp));
    ASSERT_TRUE(again) << entry.path();
    EXPECT_EQ(*again, *sdp) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 20);
}

}  // namespace
}  // namespace sb::media::sdp
