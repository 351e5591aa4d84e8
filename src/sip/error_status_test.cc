#include "sip/error_status.h"

#include <gtest/gtest.h>

namespace sb::sip {
namespace {

TEST(ErrorStatus, EachCodeHasItsResponse) {
  EXPECT_EQ(status_for(ErrorCode::Invalid).status, 400);
  EXPECT_EQ(status_for(ErrorCode::NotFound).status, 404);
  EXPECT_EQ(status_for(ErrorCode::Conflict).status, 491);
  EXPECT_EQ(status_for(ErrorCode::Unsupported).status, 488);
  EXPECT_EQ(status_for(ErrorCode::Unsupported).reason, "Not Acceptable Here");
  EXPECT_EQ(status_for(ErrorCode::Unavailable).status, 503);
  EXPECT_EQ(status_for(ErrorCode::Timeout).status, 408);
  EXPECT_EQ(status_for(ErrorCode::Io).status, 500);
  EXPECT_EQ(status_for(ErrorCode::Internal).reason, "Server Internal Error");
}

TEST(ErrorStatus, AnErrorIsAnsweredByItsCodeNotItsText) {
  EXPECT_EQ(status_for(Error{"no free RTP ports", "503"}).status, 400) << "the default code is invalid";
  EXPECT_EQ(status_for(Error{"no free RTP ports", "media", ErrorCode::Unavailable}).status, 503);
}

}  // namespace
}  // namespace sb::sip
