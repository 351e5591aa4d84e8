// call/feature_codes_test.cc
#include "call/feature_codes.h"

#include <gtest/gtest.h>

namespace sb::call {
namespace {

TEST(FeatureCodes, LoginWithAndWithoutAnAgentName) {
  auto plain = parse_feature_code("*1");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->kind, FeatureKind::Login);
  EXPECT_EQ(plain->argument, "");
  auto named = parse_feature_code("*1bill-11");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->kind, FeatureKind::Login);
  EXPECT_EQ(named->argument, "bill-11");
}

TEST(FeatureCodes, StateChangesTakeNoArgumentExceptTheReason) {
  EXPECT_EQ(parse_feature_code("*0")->kind, FeatureKind::Logout);
  EXPECT_EQ(parse_feature_code("*2")->kind, FeatureKind::Ready);
  auto reason = parse_feature_code("*32");
  ASSERT_TRUE(reason);
  EXPECT_EQ(reason->kind, FeatureKind::NotReady);
  EXPECT_EQ(reason->argument, "2");
  EXPECT_EQ(parse_feature_code("*3")->argument, "");
  EXPECT_FALSE(parse_feature_code("*0x"));
  EXPECT_FALSE(parse_feature_code("*2 "));
  EXPECT_FALSE(parse_feature_code("*3a"));
  EXPECT_FALSE(parse_feature_code("*31234"));
}

TEST(FeatureCodes, SupervisionNeedsTheAgent) {
  EXPECT_EQ(parse_feature_code("*5alice")->kind, FeatureKind::Monitor);
  EXPECT_EQ(parse_feature_code("*6alice")->kind, FeatureKind::Whisper);
  EXPECT_EQ(parse_feature_code("*7alice")->kind, FeatureKind::Barge);
  EXPECT_FALSE(parse_feature_code("*5"));
  EXPECT_FALSE(parse_feature_code("*6al ice"));
}

TEST(FeatureCodes, OtherNumbersAreNotCodes) {
  for (const char* text : {"", "*", "1234", "+15550100", "*9", "**1", "*8abc"}) {
    EXPECT_FALSE(parse_feature_code(text)) << text;
  }
}

}  // namespace
}  // namespace sb::call
