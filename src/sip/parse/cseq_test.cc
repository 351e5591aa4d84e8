// sip/parse/cseq_test.cc: CSeq values.
#include "sip/parse/parse_test_support.h"
#include "sip/parse/cseq.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sb::sip {
namespace {

std::string refused(std::string_view text) {
  return testing::refusal(parse_cseq(text), text);
}

TEST(CSeq, ParsesNumberAndMethod) {
  const auto c = parse_cseq("314159 INVITE");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 314159u);
  EXPECT_EQ(c->method, "INVITE");
}

// RFC 4475 §3.1.1.1: "0009" folded onto a second line before INVITE.
TEST(CSeq, AcceptsLeadingZerosAndAnyLinearWhitespace) {
  const auto c = parse_cseq(" 0009\r\n  INVITE ");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 9u);
  EXPECT_EQ(c->method, "INVITE");
  EXPECT_EQ(parse_cseq("0\tACK")->number, 0u);
}

// RFC 4475 §3.1.1.2: a method may be any token.
TEST(CSeq, AcceptsAnyTokenAsMethod) {
  EXPECT_EQ(parse_cseq("139122385 !interesting-Method0123456789_*+`.%indeed'~")->method,
            "!interesting-Method0123456789_*+`.%indeed'~");
}

TEST(CSeq, NumberMustBeBelowTwoToThe31) {
  EXPECT_EQ(parse_cseq("2147483647 BYE")->number, 2147483647u);
  EXPECT_EQ(refused("2147483648 BYE"), "CSeq number too large");
  EXPECT_EQ(refused("4294967296 BYE"), "CSeq number too large");
  EXPECT_EQ(refused("36893488147419103232 INVITE"), "CSeq number too large");  // RFC 4475 §3.1.2.3
  EXPECT_EQ(parse_cseq("00000000000000000001 BYE")->number, 1u);
}

TEST(CSeq, RefusesMalformedValues) {
  EXPECT_EQ(refused(""), "bad CSeq number");
  EXPECT_EQ(refused("INVITE"), "bad CSeq number");
  EXPECT_EQ(refused("-1 INVITE"), "bad CSeq number");
  EXPECT_EQ(refused("1INVITE"), "bad CSeq number");
  EXPECT_EQ(refused("1.5 INVITE"), "bad CSeq number");
  EXPECT_EQ(refused("12"), "missing CSeq method");
  EXPECT_EQ(refused("12   "), "missing CSeq method");
  EXPECT_EQ(refused("12 INVITE BYE"), "bad CSeq method");
  EXPECT_EQ(refused("12 INV:ITE"), "bad CSeq method");
  EXPECT_EQ(refused("12 \"INVITE\""), "bad CSeq method");
}

TEST(CSeq, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid = "  000123 \t INVITE ";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_cseq(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    (void)parse_cseq(std::string_view(valid).substr(0, n));
  }
  std::mt19937 rng(2147483);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 16);
    for (int i = 0; i < length; ++i) {
      text += round % 2 ? "0123456789 A\t"[rng() % 13] : static_cast<char>(rng() & 0xff);
    }
    (void)parse_cseq(text);
  }
}

}  // namespace
}  // namespace sb::sip
