// sip/parse/auth_test.cc: Digest challenges and credentials (RFC 3261 §22, RFC 8760).
#include "sip/parse/parse_test_support.h"
#include "sip/parse/auth.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sb::sip {
namespace {

AuthHeader ok(std::string_view text) { return testing::accepted(parse_auth(text), text); }

std::string refused(std::string_view text) {
  return testing::refusal(parse_auth(text), text);
}

TEST(Auth, ParsesAChallengeWithCommasInsideQuotes) {
  const AuthHeader a =
      ok("Digest realm=\"a, b\", nonce=\"x\", qop=\"auth,auth-int\", algorithm=SHA-256, "
         "nc=00000001, stale=FALSE");
  EXPECT_EQ(a.scheme, "Digest");
  ASSERT_EQ(a.params.size(), 6u);
  EXPECT_EQ(a.get("realm"), "a, b");
  EXPECT_EQ(a.get("nonce"), "x");
  EXPECT_EQ(a.get("qop"), "auth,auth-int");
  EXPECT_EQ(a.get("algorithm"), "SHA-256");
  EXPECT_EQ(a.get("nc"), "00000001");
  EXPECT_EQ(a.get("stale"), "FALSE");
  EXPECT_EQ(a.get("opaque"), std::nullopt);
}

TEST(Auth, ParsesCredentialsWithCaseInsensitiveNames) {
  const AuthHeader a = ok(
      "Digest username=\"bob\", Realm=\"biloxi.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
      "uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
      "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
      "algorithm=SHA-512-256");
  EXPECT_EQ(a.get("USERNAME"), "bob");
  EXPECT_EQ(a.get("realm"), "biloxi.com");
  EXPECT_EQ(a.get("uri"), "sip:bob@biloxi.com");
  EXPECT_EQ(a.get("qop"), "auth");
  EXPECT_EQ(a.get("Algorithm"), "SHA-512-256");
  EXPECT_EQ(a.params[1].first, "Realm");
}

TEST(Auth, ToleratesWhitespaceEmptyElementsAndEscapes) {
  const AuthHeader a = ok("  DIGEST\r\n  realm = \"say \\\"hi\\\"\" ,, ,nonce=abc ,  ");
  EXPECT_EQ(a.scheme, "DIGEST");
  EXPECT_EQ(a.get("realm"), "say \"hi\"");
  EXPECT_EQ(a.get("nonce"), "abc");
  EXPECT_EQ(a.params.size(), 2u);
  EXPECT_TRUE(ok("Digest").params.empty());
  EXPECT_EQ(ok("Digest realm=\"\"").get("realm"), "");
  EXPECT_EQ(ok("Digest realm=a, realm=b").get("realm"), "a");
}

TEST(Auth, RefusesMalformedValues) {
  EXPECT_EQ(refused(""), "missing auth scheme");
  EXPECT_EQ(refused("  "), "missing auth scheme");
  EXPECT_EQ(refused("\"Digest\" realm=a"), "missing auth scheme");
  EXPECT_EQ(refused("Digest,realm=a"), "bad auth scheme");
  EXPECT_EQ(refused("Digest realm"), "bad auth parameter");
  EXPECT_EQ(refused("Digest realm nonce=a"), "bad auth parameter");
  EXPECT_EQ(refused("Digest =a"), "bad auth parameter");
  EXPECT_EQ(refused("Digest realm="), "bad auth parameter value");
  EXPECT_EQ(refused("Digest realm=,nonce=a"), "bad auth parameter value");
  EXPECT_EQ(refused("Digest uri=sip:bob@biloxi.com"), "expected ',' between auth parameters");
  EXPECT_EQ(refused("Digest realm=\"a, b"), "unterminated quoted string");
  EXPECT_EQ(refused("Digest realm=\"a\\\""), "unterminated quoted string");
  EXPECT_EQ(refused("Digest realm=\"a\" nonce=\"b\""), "expected ',' between auth parameters");
  EXPECT_EQ(refused("Digest realm=\"a\"b"), "expected ',' between auth parameters");
}

TEST(Auth, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid =
      "Digest realm=\"a, \\\"b\\\"\", qop=\"auth,auth-int\", nc=00000001,, x=y";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_auth(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    (void)parse_auth(std::string_view(valid).substr(0, n));
  }
  std::mt19937 rng(8760);
  static constexpr char kAlphabet[] = "Digest =\",\\ a1\t\x00\x80";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text = round % 3 == 0 ? "Digest " : "";
    const int length = static_cast<int>(rng() % 24);
    for (int i = 0; i < length; ++i) {
      text += round % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    }
    const auto r = parse_auth(text);
    if (r) {
      (void)r->get("realm");
    }
  }
}

}  // namespace
}  // namespace sb::sip
