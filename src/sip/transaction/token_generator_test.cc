// sip/transaction/token_generator_test.cc: branches and tags that never repeat.
#include "sip/transaction/token_generator.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sb::sip {
namespace {

TEST(TokenGenerator, BranchesCarryTheMagicCookieAndNeverRepeat) {
  TokenGenerator tokens(7);
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    const std::string b = tokens.branch();
    ASSERT_EQ(b.rfind("z9hG4bK", 0), 0u) << b;
    ASSERT_EQ(b.size(), 7u + 16u);
    ASSERT_TRUE(seen.insert(b.substr(7)).second) << b;
    ASSERT_TRUE(seen.insert(tokens.tag()).second);  // tags share the sequence
  }
}

TEST(TokenGenerator, SameSeedSameSequenceOtherSeedOtherSequence) {
  TokenGenerator a(1);
  TokenGenerator b(1);
  TokenGenerator c(2);
  const std::string first = a.branch();
  EXPECT_EQ(first, b.branch());
  EXPECT_NE(first, c.branch());
  EXPECT_NE(a.tag(), c.tag());
}

}  // namespace
}  // namespace sb::sip
