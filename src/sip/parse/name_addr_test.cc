// sip/parse/name_addr_test.cc: From/To/Contact/Route-style values, with RFC 4475 cases.
#include "sip/parse/parse_test_support.h"
#include "sip/parse/name_addr.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sip/parse/params.h"

namespace sb::sip {
namespace {

NameAddr ok(std::string_view text, bool allow_wildcard = false) { return testing::accepted(parse_name_addr(text, allow_wildcard), text); }

std::string refused(std::string_view text, bool allow_wildcard = false) {
  return testing::refusal(parse_name_addr(text, allow_wildcard), text);
}

TEST(NameAddr, ParsesQuotedDisplayNameUriAndParams) {
  const NameAddr a = ok("\"Bell, Alexander\" <sip:a.g.bell@example.com;transport=tcp>;tag=433423");
  EXPECT_EQ(a.display_name, "\"Bell, Alexander\"");
  EXPECT_EQ(unquote(a.display_name), "Bell, Alexander");
  EXPECT_EQ(a.uri_text, "sip:a.g.bell@example.com;transport=tcp");
  EXPECT_EQ(a.uri.user, "a.g.bell");
  EXPECT_EQ(a.uri.param("transport"), "tcp");  // inside <>: a URI parameter
  EXPECT_EQ(a.tag(), "433423");
  EXPECT_EQ(a.param("transport"), std::nullopt);
  EXPECT_FALSE(a.wildcard);
}

TEST(NameAddr, ParsesUnquotedDisplayNamesAndBareAngleBrackets) {
  const NameAddr a = ok("Alice Smith <sip:alice@atlanta.com>");
  EXPECT_EQ(a.display_name, "Alice Smith");
  EXPECT_EQ(a.uri.host, "atlanta.com");
  const NameAddr b = ok("<sip:alice@atlanta.com>");
  EXPECT_EQ(b.display_name, "");
  EXPECT_EQ(b.uri_text, "sip:alice@atlanta.com");
  EXPECT_EQ(b.tag(), std::nullopt);
  // RFC 4475 §3.1.1.6: no space between display name and '<'.
  const NameAddr c = ok("caller<sip:caller@example.com>;tag=323");
  EXPECT_EQ(c.display_name, "caller");
  EXPECT_EQ(c.tag(), "323");
  EXPECT_EQ(ok("\"\"<sip:a@b.com>").display_name, "\"\"");
}

// RFC 4475 §3.1.1.1 and §3.1.1.2: escaped quotes and unusual tokens in display names.
TEST(NameAddr, AcceptsTortureTestDisplayNames) {
  const NameAddr a =
      ok("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8");
  EXPECT_EQ(a.display_name, "\"J Rosenberg \\\\\\\"\"");
  EXPECT_EQ(unquote(a.display_name), "J Rosenberg \\\"");
  EXPECT_EQ(a.tag(), "98asjd8");
  const NameAddr b =
      ok("token1~` token2'+_ token3*%!.- <sip:mundane@example.com> "
         ";fromParam''~+*_!.-%=\"\xD1\x80\xD0\xB0\";tag=_token~1'+`*%!-.");
  EXPECT_EQ(b.display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(b.tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(b.param("FROMPARAM''~+*_!.-%"), "\"\xD1\x80\xD0\xB0\"");
  static constexpr char kControls[] = "\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7F\" <sip:a@example.com>";
  static constexpr char kUnquoted[] = "BEL:\x07 NUL:\0 DEL:\x7F";
  const NameAddr c = ok(std::string_view(kControls, sizeof(kControls) - 1));
  EXPECT_EQ(unquote(c.display_name), std::string(kUnquoted, sizeof(kUnquoted) - 1));
  // RFC 4475 §3.1.1.5: "%Z%45" is just text in a display name.
  EXPECT_EQ(unquote(ok("\"%Z%45\" <sip:resource@example.com>").display_name), "%Z%45");
}

// RFC 3261 §20.10: parameters after an addr-spec belong to the header.
TEST(NameAddr, ParamsAfterAnAddrSpecBelongToTheHeader) {
  const NameAddr a = ok("sip:a@b.com;tag=x;transport=tcp");
  EXPECT_EQ(a.uri_text, "sip:a@b.com");
  EXPECT_TRUE(a.uri.params.empty());
  EXPECT_EQ(a.tag(), "x");
  EXPECT_EQ(a.param("transport"), "tcp");
  EXPECT_EQ(a.display_name, "");
  // RFC 4475 §3.1.1.1: LWS between the addr-spec and ';'.
  const NameAddr b = ok("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
  EXPECT_EQ(b.uri.host, "chair-dnrc.example.com");
  EXPECT_EQ(b.tag(), "1918181833n");
  EXPECT_EQ(ok("tel:+1-201-555-0123;tag=1").uri.user, "+1-201-555-0123");
}

TEST(NameAddr, ContactParamsAndWildcard) {
  const NameAddr a =
      ok("<sip:alice@192.0.2.4>;expires=3600;q=0.7;+sip.instance=\"<urn:uuid:f81d>\"");
  EXPECT_EQ(a.param("expires"), "3600");
  EXPECT_EQ(a.param("Q"), "0.7");
  EXPECT_EQ(unquote(*a.param("+sip.instance")), "<urn:uuid:f81d>");
  EXPECT_EQ(ok("<sip:a@b.com>;tag").tag(), "");  // a flag: odd but syntactically fine
  EXPECT_TRUE(ok("*", true).wildcard);
  EXPECT_TRUE(ok("  * ", true).wildcard);
  EXPECT_FALSE(parse_name_addr("*"));
  EXPECT_FALSE(parse_name_addr("*;expires=0", true));
}

TEST(NameAddr, RouteWithIpv6AndLr) {
  const NameAddr r = ok("<sip:[2001:db8::1]:5070;lr>");
  EXPECT_TRUE(r.uri.host_is_ipv6);
  EXPECT_EQ(r.uri.port, 5070);
  EXPECT_TRUE(r.uri.has_param("lr"));
}

TEST(NameAddr, OtherSchemesParseAsOther) {
  const NameAddr a = ok("<mailto:alice@example.com>");
  EXPECT_EQ(a.uri.scheme, UriScheme::Other);
  EXPECT_EQ(a.uri.scheme_text, "mailto");
}

TEST(NameAddr, RefusesMalformedValues) {
  EXPECT_EQ(refused(""), "empty address");
  EXPECT_EQ(refused("   "), "empty address");
  // RFC 4475 §3.1.2.8: an unterminated quoted display name.
  EXPECT_EQ(refused("\"Mr. J. User <sip:j.user@example.com>"), "unterminated quoted string");
  EXPECT_EQ(refused("\"Alice\" sip:a@b.com"), "expected '<' after display name");
  EXPECT_EQ(refused("\"Alice\""), "expected '<' after display name");
  EXPECT_EQ(refused("<sip:a@b.com"), "unterminated '<'");
  EXPECT_EQ(refused("Alice <sip:a@b.com;tag=1"), "unterminated '<'");
  // RFC 4475 §3.1.2.14: spaces inside the angle brackets.
  EXPECT_EQ(refused("\"Watson, Thomas\" < sip:t.watson@example.org >"), "space in URI");
  // RFC 4475 §3.1.2.15: a comma in an unquoted display name.
  EXPECT_FALSE(parse_name_addr("Bell, Alexander <sip:a.g.bell@example.com>;tag=43"));
  // RFC 4475 §3.1.2.13: an escaped header needs the name-addr form.
  EXPECT_EQ(refused("sip:user@example.com?Route=%3Csip:sip.example.com%3E"),
            "URI with '?' or ',' must be in angle brackets");
  EXPECT_TRUE(parse_name_addr("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>"));
  EXPECT_EQ(refused("<>"), "missing URI scheme");
  EXPECT_EQ(refused("<sip:>"), "empty host");
  EXPECT_EQ(refused("<sip:a@b.com:0>"), "bad port");
  EXPECT_EQ(refused("<sip:a@b.com> junk"), "invalid character in parameters");
  EXPECT_EQ(refused("<sip:a@b.com>;tag="), "missing parameter value");
  EXPECT_EQ(refused("<sip:a@b.com>;tag=\"x"), "unterminated quoted string");
  EXPECT_EQ(refused("<sip:a@b.com>;;tag=1"), "empty parameter");
  EXPECT_EQ(refused("sip:a@b.com;"), "empty parameter");
  EXPECT_EQ(refused("Alice <sip:a@<b.com>>"), "bad host");
}

TEST(NameAddr, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid =
      "\"A \\\"q\\\" B\" <sips:u%40x:pw@[2001:db8::1]:5061;lr;transport=tls?h=v> ;tag=\"t;1\";q=1";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_name_addr(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    (void)parse_name_addr(std::string_view(valid).substr(0, n), n % 2 == 0);
  }
  std::mt19937 rng(4475);
  static constexpr char kAlphabet[] = "\"\\<>;=@:sip[]* a1%?\x00\x80";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text = round % 3 == 0 ? "<sip:" : "";
    const int length = static_cast<int>(rng() % 24);
    for (int i = 0; i < length; ++i) {
      text += round % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    }
    (void)parse_name_addr(text, round % 5 == 0);
  }
}

}  // namespace
}  // namespace sb::sip
