// sip/registrar/q_value_test.cc
#include "sip/registrar/q_value.h"

#include <gtest/gtest.h>

namespace sb::sip::registrar {
namespace {

TEST(QValue, ParsesTheQvalueGrammar) {
  EXPECT_EQ(parse_q("0"), 0);
  EXPECT_EQ(parse_q("1"), 1000);
  EXPECT_EQ(parse_q("0.5"), 500);
  EXPECT_EQ(parse_q("0.125"), 125);
  EXPECT_EQ(parse_q("1.000"), 1000);
  EXPECT_EQ(parse_q("0."), 0);
}

TEST(QValue, RefusesWhatTheGrammarDoesNotAllow) {
  for (const char* bad : {"", "1.5", "2", ".5", "0.1234", "0,5", "-0.1", "0.5x", "1.001"}) {
    EXPECT_EQ(parse_q(bad), std::nullopt) << bad;
  }
}

TEST(QValue, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(format_q(1000), "1");
  EXPECT_EQ(format_q(0), "0");
  EXPECT_EQ(format_q(500), "0.5");
  EXPECT_EQ(format_q(125), "0.125");
  EXPECT_EQ(format_q(70), "0.07");
}

}  // namespace
}  // namespace sb::sip::registrar
