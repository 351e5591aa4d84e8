// sip/dialog/id_generator_test.cc: tags and Call-IDs: the shape RFC 3261 wants, unique within
// a run, the same for the same seed.
#include "sip/dialog/id_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "sip/ascii.h"

namespace sb::sip {
namespace {

using ::testing::MatchesRegex;

TEST(IdGenerator, TagsAre16HexDigitsTokensAndDoNotRepeat) {
  IdGenerator ids(7);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string tag = ids.tag();
    ASSERT_THAT(tag, MatchesRegex("[0-9a-f]{16}"));
    ASSERT_TRUE(is_token(tag));  // RFC 3261 §25.1: tag-param = "tag" EQUAL token
    ASSERT_TRUE(seen.insert(tag).second) << tag;
  }
}

TEST(IdGenerator, CallIdsAre128BitsAtTheHost) {
  IdGenerator ids(7);
  EXPECT_THAT(ids.call_id("sb.example.com"), MatchesRegex("[0-9a-f]{32}@sb\\.example\\.com"));
  EXPECT_THAT(ids.call_id(), MatchesRegex("[0-9a-f]{32}"));
  EXPECT_NE(ids.call_id(), ids.call_id());
}

TEST(IdGenerator, TheSameSeedGivesTheSameIdentifiers) {
  IdGenerator a(12345);
  IdGenerator b(12345);
  IdGenerator c(12346);
  const std::string first = a.tag();
  EXPECT_EQ(first, b.tag());
  EXPECT_NE(first, c.tag());
  EXPECT_EQ(a.call_id("h"), b.call_id("h"));
}

TEST(IdGenerator, UniformStaysInRangeAndCoversIt) {
  IdGenerator ids(1);
  std::set<uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const uint32_t v = ids.uniform(0, 10);
    ASSERT_LE(v, 10u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 11u);
  EXPECT_EQ(ids.uniform(5, 5), 5u);
  EXPECT_EQ(ids.uniform(9, 3), 9u);
}

TEST(IdGenerator, RandomSeedsDiffer) {
  EXPECT_NE(IdGenerator::random_seed(), IdGenerator::random_seed());
}

}  // namespace
}  // namespace sb::sip
