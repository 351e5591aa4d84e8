// call/e164_test.cc
#include "call/e164.h"

#include <gtest/gtest.h>

namespace sb::call {
namespace {

const DialPlan kUs{"1", "1", "011", 7};
const DialPlan kFrance{"33", "0", "00", 9};

TEST(E164, NumbersWithAPlusKeepTheirCountry) {
  EXPECT_EQ(normalize_e164("+44 20 7946 0958", kUs), "+442079460958");
  EXPECT_EQ(normalize_e164("+1 (555) 123-4567", kFrance), "+15551234567");
}

TEST(E164, TheInternationalPrefixIsReplacedByAPlus) {
  EXPECT_EQ(normalize_e164("011442079460958", kUs), "+442079460958");
  EXPECT_EQ(normalize_e164("00442079460958", kFrance), "+442079460958");
}

TEST(E164, NationalNumbersTakeTheCountryCode) {
  EXPECT_EQ(normalize_e164("(555) 123-4567", kUs), "+15551234567");
  EXPECT_EQ(normalize_e164("1-555-123-4567", kUs), "+15551234567");
  EXPECT_EQ(normalize_e164("06 12 34 56 78", kFrance), "+33612345678");
}

TEST(E164, ExtensionsCodesAndGarbageAreNotNumbers) {
  for (const char* text : {"1001", "*1alice", "555#", "abc", "", "+", "+0123456789", "+1234567890123456", "12+34"}) {
    EXPECT_FALSE(normalize_e164(text, kUs)) << text;
  }
}

}  // namespace
}  // namespace sb::call
