// sip/registrar/http_date_test.cc
#include "sip/registrar/http_date.h"

#include <gtest/gtest.h>

namespace sb::sip::registrar {
namespace {

using namespace std::chrono_literals;

TEST(HttpDate, FormatsRfc1123InGmt) {
  // RFC 3261 §20.17's example: Sat, 13 Nov 2010 23:29:00 GMT is 1289690940 s after the epoch.
  EXPECT_EQ(http_date(TimePoint{} + 1289690940s + 250ms), "Sat, 13 Nov 2010 23:29:00 GMT");
  EXPECT_EQ(http_date(TimePoint{}), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(TimePoint{} + 951782400s + 86399s), "Tue, 29 Feb 2000 23:59:59 GMT");
}

}  // namespace
}  // namespace sb::sip::registrar
