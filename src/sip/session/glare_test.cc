#include "sip/session/glare.h"

#include <gtest/gtest.h>

namespace sb::sip::session {
namespace {

using std::chrono::milliseconds;

TEST(Glare, TheOwnerOfTheCallIdWaitsBetween2100And4000Ms) {
  EXPECT_EQ(glare_retry_delay(true, 0), milliseconds(2100));
  EXPECT_EQ(glare_retry_delay(true, 190), milliseconds(4000));
  EXPECT_EQ(glare_retry_delay(true, 191), milliseconds(2100));
  for (uint64_t r = 0; r < 1000; r += 7) {
    const Duration d = glare_retry_delay(true, r * 2654435761u);
    EXPECT_GE(d, milliseconds(2100));
    EXPECT_LE(d, milliseconds(4000));
    EXPECT_EQ(d.count() % 10000, 0) << "in units of 10 ms";
  }
}

TEST(Glare, TheOtherSideWaitsUpTo2000Ms) {
  EXPECT_EQ(glare_retry_delay(false, 0), milliseconds(0));
  EXPECT_EQ(glare_retry_delay(false, 200), milliseconds(2000));
  for (uint64_t r = 0; r < 1000; r += 7) {
    EXPECT_LE(glare_retry_delay(false, r * 40503u), milliseconds(2000));
  }
}

}  // namespace
}  // namespace sb::sip::session
