// sip/parse/params_test.cc: generic header parameters, token and quoted-string lexing.
#include "sip/parse/parse_test_support.h"
#include "sip/parse/params.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sb::sip {
namespace {

std::vector<UriParam> ok(std::string_view text) { return testing::accepted(parse_params(text), text); }

std::string refused(std::string_view text) {
  return testing::refusal(parse_params(text), text);
}

TEST(Params, EmptyTextHasNoParameters) {
  EXPECT_TRUE(ok("").empty());
  EXPECT_TRUE(ok("  \t").empty());
}

TEST(Params, ParsesFlagsTokensQuotedStringsAndIpv6) {
  const auto p =
      ok(";tag=abc;lr;q=0.7;expires=3600;+sip.instance=\"<urn:uuid:1>\";maddr=[2001:db8::1]");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0].name, "tag");
  EXPECT_EQ(p[0].value, "abc");
  EXPECT_TRUE(p[0].has_value);
  EXPECT_EQ(p[1].name, "lr");
  EXPECT_FALSE(p[1].has_value);
  EXPECT_EQ(p[1].value, "");
  EXPECT_EQ(p[2].value, "0.7");
  EXPECT_EQ(p[4].name, "+sip.instance");
  EXPECT_EQ(p[4].value, "\"<urn:uuid:1>\"");  // the quotes stay in the view
  EXPECT_EQ(unquote(p[4].value), "<urn:uuid:1>");
  EXPECT_EQ(p[5].value, "[2001:db8::1]");
}

// RFC 4475 §3.1.1.1: LWS around ';' and '='.
TEST(Params, AllowsLinearWhitespaceAroundSemicolonsAndEquals) {
  const auto p = ok(" ;   tag    = 1918181833n ;\t lr ; x=\"a b\"  ");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "tag");
  EXPECT_EQ(p[0].value, "1918181833n");
  EXPECT_EQ(p[1].name, "lr");
  EXPECT_FALSE(p[1].has_value);
  EXPECT_EQ(p[2].value, "\"a b\"");
  EXPECT_EQ(ok(";\r\n tag = x")[0].value, "x");
}

// RFC 4475 §3.1.1.2: unusual token characters and a UTF-8 quoted value.
TEST(Params, AcceptsUnusualTokenCharactersAndUtf8QuotedValues) {
  const auto p = ok(";fromParam''~+*_!.-%=\"\xD1\x80\xD0\xB0\xD0\xB1\";tag=_token~1'+`*%!-.");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "fromParam''~+*_!.-%");
  EXPECT_EQ(unquote(p[0].value), "\xD1\x80\xD0\xB0\xD0\xB1");
  EXPECT_EQ(p[1].value, "_token~1'+`*%!-.");
}

// RFC 5118 §4.5: received may carry a bare IPv6 address.
TEST(Params, AcceptsBareIpv6Values) {
  EXPECT_EQ(ok(";received=2001:db8::9:255")[0].value, "2001:db8::9:255");
}

TEST(Params, FindParamIsCaseInsensitiveAndTakesTheFirst) {
  const auto p = ok(";TAG=a;tag=b;lr");
  EXPECT_EQ(find_param(p, "tag"), "a");
  EXPECT_EQ(find_param(p, "LR"), "");
  EXPECT_EQ(find_param(p, "q"), std::nullopt);
}

TEST(Params, RefusesMalformedLists) {
  EXPECT_EQ(refused(";"), "empty parameter");
  EXPECT_EQ(refused(";a;;b"), "empty parameter");
  EXPECT_EQ(refused(";a; "), "empty parameter");
  EXPECT_EQ(refused("tag=a"), "invalid character in parameters");
  EXPECT_EQ(refused(";a b"), "invalid character in parameters");
  EXPECT_EQ(refused(";a=b c"), "invalid character in parameters");
  EXPECT_EQ(refused(";a=\"b\"c"), "invalid character in parameters");
  EXPECT_EQ(refused(";=b"), "bad parameter name");
  EXPECT_EQ(refused(";a@b=c"), "invalid character in parameters");
  EXPECT_EQ(refused(";a="), "missing parameter value");
  EXPECT_EQ(refused(";a= "), "missing parameter value");
  EXPECT_EQ(refused(";a=;b"), "bad parameter value");
  EXPECT_EQ(refused(";a=<x>"), "bad parameter value");
  EXPECT_EQ(refused(";a=\"unterminated"), "unterminated quoted string");
  EXPECT_EQ(refused(";a=\"ends in backslash\\"), "unterminated quoted string");
  EXPECT_EQ(refused(";a=\"escaped quote\\\""), "unterminated quoted string");
  EXPECT_EQ(refused(";a=\"bell\x07\""), "unterminated quoted string");
  EXPECT_EQ(refused(";a=[2001:db8::1"), "unterminated '['");
  EXPECT_EQ(refused(";a=[not-ipv6]"), "bad IPv6 reference");
}

TEST(Params, UnquoteResolvesQuotedPairs) {
  EXPECT_EQ(unquote("\"a\\\"b\""), "a\"b");
  EXPECT_EQ(unquote("\"J Rosenberg \\\\\\\"\""), "J Rosenberg \\\"");  // RFC 4475 §3.1.1.1
  EXPECT_EQ(unquote("\"\""), "");
  EXPECT_EQ(unquote("token"), "token");
  EXPECT_EQ(unquote("\"unterminated"), "\"unterminated");
  EXPECT_EQ(unquote("\""), "\"");
  EXPECT_EQ(unquote(std::string_view("\"NUL:\\\0\"", 8)), std::string("NUL:\0", 5));
}

TEST(Params, ScanQuotedStringFindsTheClosingQuote) {
  EXPECT_EQ(scan_quoted_string("\"ab\" rest", 0), 4u);
  EXPECT_EQ(scan_quoted_string("x\"a\\\"b\"", 1), 7u);
  EXPECT_EQ(scan_quoted_string("\"ab", 0), std::string_view::npos);
  EXPECT_EQ(scan_quoted_string("ab", 0), std::string_view::npos);
  EXPECT_EQ(scan_quoted_string("", 0), std::string_view::npos);
  EXPECT_EQ(scan_quoted_string("\"a\r\n b\"", 0), std::string_view::npos);
  EXPECT_EQ(scan_quoted_string("\"a\\\r\"", 0), std::string_view::npos);
}

TEST(Params, TokenHelpers) {
  EXPECT_TRUE(is_token("z9hG4bK-.!%*_+`'~"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("a b"));
  EXPECT_FALSE(is_token("a:b"));
  EXPECT_TRUE(iequals("Branch", "bRANCH"));
  EXPECT_FALSE(iequals("branch", "branc"));
}

TEST(Params, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid = " ; tag = \"a\\\"b;c\" ;lr;maddr=[::1];received=2001:db8::1;x=y";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_params(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    const std::string_view prefix = std::string_view(valid).substr(0, n);
    (void)parse_params(prefix);
    (void)unquote(prefix);
  }
  std::mt19937 rng(3261);
  static constexpr char kAlphabet[] = ";=\"\\[]: \tab:1\x00\x80";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 20);
    for (int i = 0; i < length; ++i) {
      text += round % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    }
    (void)parse_params(text);
    (void)unquote(text);
  }
}

}  // namespace
}  // namespace sb::sip

#include "sip/parse/split.h"

namespace sb::sip {
namespace {

TEST(FirstListElement, StopsAtTheFirstTopLevelCommaAndSkipsEmptyElements) {
  EXPECT_EQ(first_list_element("SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b"), "SIP/2.0/UDP a;branch=z9hG4bK1");
  EXPECT_EQ(first_list_element(" , \"Smith, J\" <sip:a@b;x=1,2>, c"), "\"Smith, J\" <sip:a@b;x=1,2>");
  EXPECT_EQ(first_list_element("\"a\\\", b\" <sip:x>, y"), "\"a\\\", b\" <sip:x>");
  EXPECT_EQ(first_list_element(" , ,"), "");
  EXPECT_EQ(first_list_element(""), "");
}

TEST(IsOneListElement, HoldsForWhatReadsBackAsOneElementAnywhereInAList) {
  EXPECT_TRUE(is_one_list_element("SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1"));
  EXPECT_TRUE(is_one_list_element("\"Smith, J\" <sip:a@b;x=1,2>"));
  EXPECT_TRUE(is_one_list_element("SIP/2.0/UDP a;x=\"q\\\"\""));  // an escaped quote inside
  EXPECT_FALSE(is_one_list_element(""));
  EXPECT_FALSE(is_one_list_element(" SIP/2.0/UDP a"));
  EXPECT_FALSE(is_one_list_element("SIP/2.0/UDP a\t"));
  EXPECT_FALSE(is_one_list_element("SIP/2.0/UDP a, SIP/2.0/UDP b"));
  EXPECT_FALSE(is_one_list_element("SIP/2.0/UDP a;x=\"open"));  // would swallow what follows
  EXPECT_FALSE(is_one_list_element("SIP/2.0/UDP a;x=\"q\\\""));  // still open after \"
  EXPECT_FALSE(is_one_list_element("<sip:a@b"));
}

}  // namespace
}  // namespace sb::sip
