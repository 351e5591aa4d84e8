#include "sip/session/sdp_direction.h"

#include <gtest/gtest.h>

#include <string>

namespace sb::sip::session {
namespace {

std::string sdp(std::string_view session_attr, std::string_view media_attr, std::string_view c = "c=IN IP4 10.0.0.1") {
  std::string s = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n" + std::string(c) + "\r\nt=0 0\r\n";
  if (!session_attr.empty()) {
    s += std::string(session_attr) + "\r\n";
  }
  s += "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  if (!media_attr.empty()) {
    s += std::string(media_attr) + "\r\n";
  }
  return s;
}

TEST(SdpDirection, NoAttributeMeansSendRecv) { EXPECT_EQ(media_direction(sdp("", "")), MediaDirection::SendRecv); }

TEST(SdpDirection, SendOnlyAndInactiveAreHold) {
  EXPECT_TRUE(is_hold(media_direction(sdp("", "a=sendonly"))));
  EXPECT_TRUE(is_hold(media_direction(sdp("", "a=inactive"))));
  EXPECT_FALSE(is_hold(media_direction(sdp("", "a=recvonly"))));
}

TEST(SdpDirection, TheMediaLevelAttributeOverridesTheSessionLevel) {
  EXPECT_EQ(media_direction(sdp("a=sendonly", "a=sendrecv")), MediaDirection::SendRecv);
  EXPECT_EQ(media_direction(sdp("a=inactive", "")), MediaDirection::Inactive);
}

TEST(SdpDirection, AnOldPhonesNullConnectionAddressIsHold) {
  EXPECT_EQ(media_direction(sdp("", "", "c=IN IP4 0.0.0.0")), MediaDirection::SendOnly);
  EXPECT_EQ(media_direction(sdp("", "a=inactive", "c=IN IP4 0.0.0.0")), MediaDirection::Inactive);
}

TEST(SdpDirection, OnlyTheFirstAudioStreamCounts) {
  std::string s = "v=0\r\ns=-\r\nm=video 5000 RTP/AVP 96\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"
                  "m=audio 4002 RTP/AVP 0\r\na=sendonly\r\n";
  EXPECT_EQ(media_direction(s), MediaDirection::SendRecv);
}

TEST(SdpDirection, BareLineFeedsAndGarbageAreRead) {
  EXPECT_EQ(media_direction("m=audio 1 RTP/AVP 0\na=sendonly\n"), MediaDirection::SendOnly);
  EXPECT_EQ(media_direction("\x01\x02 not sdp"), MediaDirection::SendRecv);
  EXPECT_EQ(media_direction(""), MediaDirection::SendRecv);
}

}  // namespace
}  // namespace sb::sip::session
