// sip/parse/uri_test.cc: SIP, SIPS and tel URI parsing and §19.1.4 comparison, with the URIs of
// RFC 4475 (torture tests) and RFC 5118 (IPv6 torture tests).
#include "sip/parse/parse_test_support.h"
#include "sip/parse/uri.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sb::sip {
namespace {

Uri ok(std::string_view text) { return testing::accepted(parse_uri(text), text); }

std::string refused(std::string_view text) {
  return testing::refusal(parse_uri(text), text);
}

bool same(std::string_view a, std::string_view b) { return uri_equivalent(ok(a), ok(b)); }

TEST(Uri, ParsesEveryComponentOfAFullSipUri) {
  const Uri u =
      ok("sip:alice:secret@atlanta.example.com:5070;transport=tcp;lr?subject=x&priority=urgent");
  EXPECT_EQ(u.scheme, UriScheme::Sip);
  EXPECT_EQ(u.scheme_text, "sip");
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password, "secret");
  EXPECT_EQ(u.host, "atlanta.example.com");
  EXPECT_FALSE(u.host_is_ipv6);
  EXPECT_EQ(u.port, 5070);
  ASSERT_EQ(u.params.size(), 2u);
  EXPECT_EQ(u.params[0].name, "transport");
  EXPECT_EQ(u.params[0].value, "tcp");
  EXPECT_TRUE(u.params[0].has_value);
  EXPECT_EQ(u.params[1].name, "lr");
  EXPECT_FALSE(u.params[1].has_value);
  ASSERT_EQ(u.headers.size(), 2u);
  EXPECT_EQ(u.headers[0].name, "subject");
  EXPECT_EQ(u.headers[0].value, "x");
  EXPECT_EQ(u.headers[1].name, "priority");
  EXPECT_EQ(u.headers[1].value, "urgent");
}

TEST(Uri, SchemeNamesAreCaseInsensitive) {
  EXPECT_EQ(ok("SIP:a@b.com").scheme, UriScheme::Sip);
  EXPECT_EQ(ok("SiPs:a@b.com").scheme, UriScheme::Sips);
  EXPECT_EQ(ok("TEL:+1234").scheme, UriScheme::Tel);
  EXPECT_EQ(ok("SIP:a@b.com").scheme_text, "SIP");
}

TEST(Uri, ParamLookupIsCaseInsensitiveAndFlagsReadEmpty) {
  const Uri u = ok("sip:a@b.com;Transport=TCP;LR;user=phone");
  EXPECT_EQ(u.param("transport"), "TCP");
  EXPECT_EQ(u.param("lr"), "");
  EXPECT_TRUE(u.has_param("Lr"));
  EXPECT_EQ(u.param("USER"), "phone");
  EXPECT_FALSE(u.has_param("maddr"));
  EXPECT_EQ(u.param("maddr"), std::nullopt);
}

TEST(Uri, UriWithoutUserHasOnlyAHost) {
  const Uri u = ok("sip:registrar.example.com");
  EXPECT_EQ(u.user, "");
  EXPECT_EQ(u.host, "registrar.example.com");
  EXPECT_FALSE(u.port.has_value());
  const Uri v = ok("sip:192.0.2.4:5060;lr");
  EXPECT_EQ(v.host, "192.0.2.4");
  EXPECT_EQ(v.port, 5060);
  EXPECT_TRUE(v.has_param("lr"));
  EXPECT_EQ(ok("sip:example.com.").host, "example.com.");  // a fully qualified name
}

// RFC 4475 §3.1.1.2: every legal user and password character, including ';', '?' and '/'.
TEST(Uri, AcceptsTheWideRangeOfUserAndPasswordCharactersOfRfc4475) {
  const Uri u =
      ok("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/"
         ";;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
         "@example.com");
  EXPECT_EQ(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
  EXPECT_TRUE(u.headers.empty());
}

// RFC 4475 §3.1.1.3: escapes in user and parameters, kept raw, compared unescaped.
TEST(Uri, KeepsEscapesRawAndComparesThemUnescaped) {
  const Uri u = ok("sip:sips%3Auser%40example.com@example.net");
  EXPECT_EQ(u.user, "sips%3Auser%40example.com");
  EXPECT_EQ(percent_decode(u.user), "sips:user@example.com");
  EXPECT_EQ(u.host, "example.net");
  EXPECT_TRUE(same("sip:%75se%72@example.com", "sip:user@example.com"));
  const Uri c = ok("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
  EXPECT_TRUE(c.has_param("lr"));
  EXPECT_EQ(c.param("name"), "v%61lue%25%34%31");
  EXPECT_EQ(percent_decode(*c.param("name")), "value%41");
}

// RFC 4475 §3.1.1.4: %00 in a user part is legal and decodes to a NUL.
TEST(Uri, AcceptsEscapedNulsInTheUserPart) {
  EXPECT_EQ(ok("sip:null-%00-null@example.com").user, "null-%00-null");
  EXPECT_EQ(percent_decode("null-%00-null"), std::string("null-\0-null", 11));
  EXPECT_EQ(percent_decode(ok("sip:%00%00@host5.example.com").user), std::string(2, '\0'));
  EXPECT_FALSE(same("sip:%00@host5.example.com", "sip:%00%00@host5.example.com"));
}

// RFC 4475 §3.1.1.9: the user part holds ";par=u%40example.net".
TEST(Uri, SemicolonsBeforeTheAtSignBelongToTheUser) {
  const Uri u = ok("sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(u.user, "user;par=u%40example.net");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
}

// RFC 4475 §3.1.2.10 (escruri): escaped '<' and '>' in a URI header are legal.
TEST(Uri, AcceptsEscapedHeadersLikeRoute) {
  const Uri u = ok("sip:user@example.com?Route=%3Csip:example.com%3E");
  ASSERT_EQ(u.headers.size(), 1u);
  EXPECT_EQ(u.headers[0].name, "Route");
  EXPECT_EQ(percent_decode(u.headers[0].value), "<sip:example.com>");
  EXPECT_EQ(ok("sip:a@b.com?subject=").headers[0].value, "");  // hvalue may be empty
}

TEST(Uri, PercentDecodeKeepsInvalidEscapesLiterally) {
  EXPECT_EQ(percent_decode("%Z%45"), "%ZE");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("a%4"), "a%4");
  EXPECT_EQ(percent_decode("%41%42c"), "ABc");
  EXPECT_EQ(percent_decode(""), "");
}

// RFC 5118 §4.1, §4.4, §4.6: IPv6 references.
TEST(Uri, ParsesIpv6ReferencesWithoutTheirBrackets) {
  const Uri u = ok("sip:[2001:db8::10]");
  EXPECT_EQ(u.host, "2001:db8::10");
  EXPECT_TRUE(u.host_is_ipv6);
  EXPECT_FALSE(u.port.has_value());
  const Uri p = ok("sip:user@[2001:db8::10]:5070;transport=udp");
  EXPECT_EQ(p.host, "2001:db8::10");
  EXPECT_EQ(p.port, 5070);
  // §4.4: inside the brackets :5070 is part of the address, not a port.
  const Uri a = ok("sip:[2001:db8::10:5070]");
  EXPECT_EQ(a.host, "2001:db8::10:5070");
  EXPECT_FALSE(a.port.has_value());
  EXPECT_EQ(ok("sip:[::ffff:192.0.2.2]").host, "::ffff:192.0.2.2");
  EXPECT_EQ(ok("sip:[2001:db8::192.0.2.1]").host, "2001:db8::192.0.2.1");
  EXPECT_EQ(ok("sips:[::1]:5061").port, 5061);
}

TEST(Uri, RefusesMalformedIpv6) {
  // RFC 5118 §4.2: an IPv6 address needs its brackets in a URI.
  EXPECT_FALSE(parse_uri("sip:2001:db8::10"));
  EXPECT_EQ(refused("sip:[2001:db8::10"), "unbalanced '['");
  EXPECT_EQ(refused("sip:2001:db8::10]"), "unbalanced ']'");
  EXPECT_EQ(refused("sip:[2001:db8:::192.0.2.1]"), "bad IPv6 address");  // §4.8
  EXPECT_EQ(refused("sip:[2001:db8:0:0:0:0:0:0:1]"), "bad IPv6 address");
  EXPECT_EQ(refused("sip:[]"), "bad IPv6 address");
  EXPECT_EQ(refused("sip:[fe80::1%25eth0]"), "bad IPv6 address");
  EXPECT_EQ(refused("sip:[::1]x"), "bad host");
  EXPECT_EQ(refused("sip:[::1]:"), "bad port");
}

TEST(Uri, RefusesEmptyAndBadHosts) {
  EXPECT_EQ(refused("sip:"), "empty host");
  EXPECT_EQ(refused("sip:alice@"), "empty host");
  EXPECT_EQ(refused("sip:alice@;lr"), "empty host");
  EXPECT_EQ(refused("sip::5060"), "empty host");
  EXPECT_EQ(refused("sip:@example.com"), "empty user part");
  EXPECT_EQ(refused("sip:a@-bad.example.com"), "bad host");
  EXPECT_EQ(refused("sip:a@bad-.example.com"), "bad host");
  EXPECT_EQ(refused("sip:a@example..com"), "bad host");
  EXPECT_EQ(refused("sip:a@1.2.3"), "bad host");
  EXPECT_EQ(refused("sip:a@256.1.1.1"), "bad host");
  EXPECT_EQ(refused("sip:a@exa_mple.com"), "bad host");
  EXPECT_EQ(refused("sip:a@b@c.com"), "bad host");
  EXPECT_EQ(refused("sip:a@<b.com>"), "bad host");
}

TEST(Uri, PortMustBeBetweenOneAnd65535) {
  EXPECT_EQ(ok("sip:a@b.com:1").port, 1);
  EXPECT_EQ(ok("sip:a@b.com:65535").port, 65535);
  EXPECT_EQ(ok("sip:a@b.com:05060").port, 5060);
  EXPECT_EQ(refused("sip:a@b.com:0"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:65536"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:70000"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:99999999999999999999"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:50a"), "bad port");
  EXPECT_EQ(refused("sip:a@b.com:-1"), "bad port");
}

TEST(Uri, RefusesSpacesControlsAndNonAscii) {
  EXPECT_EQ(refused("sip:a b@example.com"), "space in URI");
  EXPECT_EQ(refused(" sip:a@example.com"), "space in URI");
  EXPECT_EQ(refused("sip:a@example.com\t"), "space in URI");
  EXPECT_EQ(refused(std::string_view("sip:a\0@example.com", 18)), "control character in URI");
  EXPECT_EQ(refused("sip:a\x7f@example.com"), "control character in URI");
  EXPECT_EQ(refused("sip:a@example.com\r\n"), "control character in URI");
  EXPECT_EQ(refused("sip:\xc3\xa9@example.com"), "non-ASCII character in URI");
}

TEST(Uri, RefusesMalformedUserParamsAndHeaders) {
  EXPECT_EQ(refused("sip:a%2@example.com"), "bad user part");
  EXPECT_EQ(refused("sip:a%zz@example.com"), "bad user part");
  EXPECT_EQ(refused("sip:a\"b@example.com"), "bad user part");
  EXPECT_EQ(refused("sip:a:p@ss@example.com"), "bad host");
  EXPECT_EQ(refused("sip:a:p;w@example.com"), "bad password");
  EXPECT_EQ(refused("sip:a@b.com;"), "empty URI parameter");
  EXPECT_EQ(refused("sip:a@b.com;;lr"), "empty URI parameter");
  EXPECT_EQ(refused("sip:a@b.com;=x"), "bad URI parameter");
  EXPECT_EQ(refused("sip:a@b.com;x="), "bad URI parameter");
  EXPECT_EQ(refused("sip:a@b.com;x=a=b"), "bad URI parameter");
  EXPECT_EQ(refused("sip:a@b.com;x=\"q\""), "bad URI parameter");
  EXPECT_EQ(refused("sip:a@b.com?"), "bad URI header");
  EXPECT_EQ(refused("sip:a@b.com?subject"), "bad URI header");
  EXPECT_EQ(refused("sip:a@b.com?=x"), "bad URI header");
  EXPECT_EQ(refused("sip:a@b.com?a=1&&b=2"), "bad URI header");
  EXPECT_EQ(refused("sip:a@b.com?a=1&b=2&"), "bad URI header");
  EXPECT_EQ(refused("sip:a@b.com;ttl=256"), "bad ttl parameter");
  EXPECT_EQ(refused("sip:a@b.com;ttl=x"), "bad ttl parameter");
  // Found by sip_header_fuzz: the value was summed before its length was checked, so a long
  // one overflowed an int (UB).
  EXPECT_EQ(refused("sip:a@b.com;ttl=99999999999999999999"), "bad ttl parameter");
  EXPECT_EQ(refused("sip:a@[2001:db8::10]:5061;ttl=15db8::10]:5061"), "bad ttl parameter");
  EXPECT_EQ(refused("sip:a@b.com;maddr=-x-"), "bad maddr parameter");
  EXPECT_EQ(ok("sip:a@b.com;maddr=[2001:db8::1];ttl=0").param("maddr"), "[2001:db8::1]");
  EXPECT_EQ(ok("sip:a@b.com;maddr=239.255.255.1;ttl=255").param("ttl"), "255");
}

TEST(Uri, RefusesMissingOrBadSchemes) {
  EXPECT_EQ(refused("alice@example.com"), "missing URI scheme");
  EXPECT_EQ(refused(":alice@example.com"), "missing URI scheme");
  EXPECT_EQ(refused(""), "missing URI scheme");
  EXPECT_EQ(refused("1sip:a@b.com"), "bad URI scheme");
  EXPECT_EQ(refused("<sip:a@b.com>"), "bad URI scheme");
}

// RFC 3261 §8.2.2.1: the UAS answers 416, so other schemes parse.
TEST(Uri, OtherSchemesParseAsOtherWithTheirName) {
  for (std::string_view text : {"http://example.com/x", "mailto:alice@example.com",
                                "urn:service:sos", "im:alice@example.com"}) {
    const Uri u = ok(text);
    EXPECT_EQ(u.scheme, UriScheme::Other) << text;
    EXPECT_EQ(u.scheme_text, text.substr(0, text.find(':')));
  }
  EXPECT_FALSE(uri_equivalent(ok("http://x"), ok("http://x")));
}

// RFC 3966 §3 and §5.1.
TEST(Uri, ParsesTelUrisWithVisualSeparatorsAndParameters) {
  const Uri g = ok("tel:+1-201-555-0123");
  EXPECT_EQ(g.scheme, UriScheme::Tel);
  EXPECT_EQ(g.user, "+1-201-555-0123");
  EXPECT_EQ(g.host, "");
  const Uri l = ok("tel:863-1234;phone-context=+1-914-555");
  EXPECT_EQ(l.user, "863-1234");
  EXPECT_EQ(l.param("phone-context"), "+1-914-555");
  const Uri d = ok("tel:7042;phone-context=example.com");
  EXPECT_EQ(d.param("phone-context"), "example.com");
  EXPECT_EQ(ok("tel:+1(201)555.0123;ext=22").param("ext"), "22");
  EXPECT_EQ(ok("tel:*21#").user, "*21#");
  EXPECT_EQ(ok("tel:1234").user, "1234");  // local without phone-context: tolerated
}

TEST(Uri, RefusesMalformedTelUris) {
  EXPECT_EQ(refused("tel:"), "empty telephone number");
  EXPECT_EQ(refused("tel:;ext=1"), "empty telephone number");
  EXPECT_EQ(refused("tel:+"), "bad telephone number");
  EXPECT_EQ(refused("tel:+--"), "bad telephone number");
  EXPECT_EQ(refused("tel:+1-ABC"), "bad telephone number");
  EXPECT_EQ(refused("tel:+1@example.com"), "bad telephone number");
  EXPECT_EQ(refused("tel:12?x=y"), "bad telephone number");
  EXPECT_EQ(refused("tel:+1234;"), "empty URI parameter");
}

// RFC 3261 §19.1.4 and its examples.
TEST(Uri, EquivalentUrisFollowTheRfc3261ComparisonRules) {
  EXPECT_TRUE(same("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(same("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(same("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(same("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                   "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(same("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                   "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
  EXPECT_TRUE(same("SIP:ALICE@AtLanTa.CoM", "SIP:ALICE@atlanta.com"));
}

TEST(Uri, NonEquivalentUrisFollowTheRfc3261ComparisonRules) {
  EXPECT_FALSE(same("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp;user=phone"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sips:bob@biloxi.com"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:biloxi.com"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;maddr=239.255.255.1"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;ttl=1"));
  EXPECT_FALSE(same("sip:bob@biloxi.com;method=INVITE", "sip:bob@biloxi.com"));
  EXPECT_FALSE(same("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(same("sip:carol@chicago.com?Subject=next%20meeting",
                    "sip:carol@chicago.com?Subject=next%20meeting&x=1"));
  EXPECT_FALSE(same("sip:carol@chicago.com?Subject=next%20meeting", "sip:carol@chicago.com"));
  EXPECT_FALSE(same("sip:alice:pw@a.com", "sip:alice@a.com"));
  EXPECT_FALSE(same("sip:alice:pw@a.com", "sip:alice:PW@a.com"));
  EXPECT_FALSE(same("sip:[::1]", "sip:localhost"));
}

TEST(Uri, ReservedCharactersAreNotEquivalentToTheirEscapes) {
  // ';' is reserved: "user;x" and "user%3Bx" differ, unreserved "a" and "%61" do not.
  EXPECT_FALSE(same("sip:user;x@a.com", "sip:user%3Bx@a.com"));
  EXPECT_TRUE(same("sip:user%3bx@a.com", "sip:user%3Bx@a.com"));
  EXPECT_TRUE(same("sip:a%61@a.com", "sip:aa@a.com"));
}

TEST(Uri, Ipv6HostsCompareByAddress) {
  // RFC 5118 §4.7.
  EXPECT_TRUE(same("sip:[2001:db8::10]", "sip:[2001:db8:0:0:0:0:0:10]"));
  EXPECT_TRUE(same("sip:[2001:DB8::10]", "sip:[2001:db8::10]"));
  EXPECT_FALSE(same("sip:[2001:db8::10]", "sip:[2001:db8::11]"));
  EXPECT_FALSE(same("sip:[2001:db8::10]:5060", "sip:[2001:db8::10]"));
}

TEST(Uri, TelUrisCompareWithoutVisualSeparators) {
  EXPECT_TRUE(same("tel:+1-201-555-0123", "tel:+1.201.555.0123"));
  EXPECT_TRUE(same("tel:+1(201)5550123", "tel:+12015550123"));
  EXPECT_TRUE(same("tel:7042;phone-context=example.com", "tel:7042;PHONE-CONTEXT=Example.COM"));
  EXPECT_TRUE(same("tel:863-1234;phone-context=+1-914-555", "tel:8631234;phone-context=+1914555"));
  EXPECT_TRUE(same("tel:+1234;a=1;b=2", "tel:+1234;b=2;a=1"));
  EXPECT_FALSE(same("tel:+1234", "tel:1234;phone-context=+1"));
  EXPECT_FALSE(same("tel:+1234", "tel:+1234;ext=1"));
  EXPECT_FALSE(same("tel:+1234", "tel:+1235"));
  EXPECT_FALSE(same("tel:+1234", "sip:+1234@a.com;user=phone"));
}

TEST(Uri, HostGrammarHelpers) {
  EXPECT_TRUE(is_ipv4_address("0.0.0.0"));
  EXPECT_TRUE(is_ipv4_address("255.255.255.255"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.4."));
  EXPECT_FALSE(is_ipv4_address("1.2.3.4.5"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.1000"));
  EXPECT_FALSE(is_ipv4_address(""));
  EXPECT_TRUE(is_ipv6_address("::"));
  EXPECT_FALSE(is_ipv6_address("[::1]"));
  EXPECT_FALSE(is_ipv6_address(std::string_view("::1\0", 4)));
  EXPECT_FALSE(is_ipv6_address(std::string(100, ':')));
  EXPECT_TRUE(is_hostname("a"));
  EXPECT_TRUE(is_hostname("a-1.b2.example"));
  EXPECT_FALSE(is_hostname("."));
  EXPECT_FALSE(is_hostname("example.1com"));
  EXPECT_EQ(parse_port("5060"), 5060);
  EXPECT_EQ(parse_port(""), std::nullopt);
  EXPECT_EQ(parse_port("0"), std::nullopt);
}

// Garbage never crashes, never reads out of bounds (run under ASan), never throws.
TEST(Uri, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid =
      "sips:us%3Aer;x:pa$s@[2001:db8::1]:5061;transport=tls;maddr=[::1];lr;%6Cr?h=%3Cv%3E&x=";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_uri(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    const auto r = parse_uri(std::string_view(valid).substr(0, n));
    if (r) {
      (void)uri_equivalent(*r, *r);
      (void)r->has_param("lr");
    }
  }
  std::mt19937 rng(4475);
  static constexpr char kAlphabet[] = "sip:tel+@[]%;?=&.-:0123456789abcdefABCDEF\"<> \x00\x7f\xff";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text = round % 2 ? "sip:" : "";
    const int length = static_cast<int>(rng() % 24);
    for (int i = 0; i < length; ++i) {
      text += round % 3 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    }
    const auto r = parse_uri(text);
    if (r) {
      (void)uri_equivalent(*r, *r);
    }
    (void)percent_decode(text);
  }
}

}  // namespace
}  // namespace sb::sip
