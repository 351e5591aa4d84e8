// ivr/expand_test.cc: ${name} expansion and the built-in checksum hooks.
#include "ivr/expand.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ivr/validators.h"

namespace sb::ivr {
namespace {

TEST(Expand, ReplacesKnownAndEmptiesUnknownVariables) {
  const std::map<std::string, std::string> vars = {{"account", "42"}, {"tier", "gold"}};
  EXPECT_EQ(expand("/customers/${account}", vars), "/customers/42");
  EXPECT_EQ(expand("${tier}${account}-${nope}!", vars), "gold42-!");
  EXPECT_EQ(expand("no refs", vars), "no refs");
  EXPECT_EQ(expand("", vars), "");
}

TEST(Expand, KeepsTextThatIsNotAReference) {
  const std::map<std::string, std::string> vars = {{"a", "1"}};
  EXPECT_EQ(expand("$a {a} $${a}", vars), "$a {a} $1");
  EXPECT_EQ(expand("${a", vars), "${a");
  EXPECT_EQ(expand("x${a}${", vars), "x1${");
}

TEST(Expand, FindsReferences) {
  std::vector<std::string> names;
  for_each_reference("${a}-${b}-${c", [&names](std::string_view n) { names.emplace_back(n); });
  EXPECT_THAT(names, ::testing::ElementsAre("a", "b"));
  EXPECT_TRUE(has_reference("x${y}"));
  EXPECT_FALSE(has_reference("x${y"));
}

TEST(Validators, LuhnChecksTheMod10Sum) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_TRUE(luhn_valid("12345674"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("1234*674"));
  ASSERT_NE(builtin_validator("luhn"), nullptr);
  EXPECT_TRUE((*builtin_validator("luhn"))("12345674"));
  EXPECT_EQ(builtin_validator("crc"), nullptr);
  EXPECT_EQ(builtin_validator_choices(), "luhn");
}

}  // namespace
}  // namespace sb::ivr
