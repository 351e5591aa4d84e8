// media/dtmf/sip_info_dtmf_test.cc
#include "media/dtmf/sip_info_dtmf.h"

#include <gtest/gtest.h>

namespace sb::media::dtmf {
namespace {

TEST(SipInfoDtmf, DtmfRelayBody) {
  auto d = parse_info_dtmf("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '5');
  EXPECT_EQ(d->duration_ms, 160);
  EXPECT_EQ(parse_info_dtmf("Application/DTMF-Relay; charset=x", "signal= #\nDuration=x")->digit, '#');
  EXPECT_EQ(parse_info_dtmf("application/dtmf-relay", "Signal=11\r\n")->digit, '#');
}

TEST(SipInfoDtmf, PlainDtmfBody) {
  EXPECT_EQ(parse_info_dtmf("application/dtmf", "*\r\n")->digit, '*');
  EXPECT_EQ(parse_info_dtmf("application/dtmf", "b")->digit, 'B');
}

TEST(SipInfoDtmf, RefusesOtherBodies) {
  EXPECT_FALSE(parse_info_dtmf("application/sdp", "Signal=5"));
  EXPECT_FALSE(parse_info_dtmf("application/dtmf-relay", "Signal=55\r\n"));
  EXPECT_FALSE(parse_info_dtmf("application/dtmf-relay", "Duration=100"));
  EXPECT_FALSE(parse_info_dtmf("application/dtmf", "E"));
  EXPECT_FALSE(parse_info_dtmf("application/dtmf", ""));
}

}  // namespace
}  // namespace sb::media::dtmf
