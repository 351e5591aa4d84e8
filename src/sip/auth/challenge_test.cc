// sip/auth/challenge_test.cc: reading and writing WWW-Authenticate / Proxy-Authenticate.
#include "sip/auth/challenge.h"

#include <gtest/gtest.h>

namespace sb::sip::auth {
namespace {

TEST(Challenge, ReadsTheRfc7616ExampleChallenge) {
  auto c = parse_challenge(
      "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->realm, "http-auth@example.org");
  EXPECT_EQ(c->nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
  EXPECT_EQ(c->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  EXPECT_EQ(c->algorithm, DigestAlgorithm::Sha256);
  EXPECT_TRUE(c->qop_auth);
  EXPECT_FALSE(c->stale);
}

TEST(Challenge, DefaultsToMd5AndKnowsUnknownAlgorithms) {
  auto plain = parse_challenge("Digest realm=\"r\", nonce=\"n\"");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->algorithm, DigestAlgorithm::Md5);
  EXPECT_FALSE(plain->has_qop);
  auto sess = parse_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256-sess");
  ASSERT_TRUE(sess);
  EXPECT_EQ(sess->algorithm, std::nullopt);
  EXPECT_EQ(sess->algorithm_text, "SHA-256-sess");
  auto int_only = parse_challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", stale=true");
  ASSERT_TRUE(int_only);
  EXPECT_TRUE(int_only->has_qop);
  EXPECT_FALSE(int_only->qop_auth);
  EXPECT_TRUE(int_only->stale);
}

TEST(Challenge, RefusesOtherSchemesAndMissingFields) {
  EXPECT_FALSE(parse_challenge("Basic realm=\"r\""));
  EXPECT_FALSE(parse_challenge("Digest nonce=\"n\""));
  EXPECT_FALSE(parse_challenge("Digest realm=\"r\""));
  EXPECT_FALSE(parse_challenge("Digest realm=\"r"));
}

TEST(Challenge, FormatsWhatItReads) {
  DigestChallenge c;
  c.realm = "call \"center\"";
  c.nonce = "abc";
  c.opaque = "op";
  c.algorithm = DigestAlgorithm::Sha256;
  c.qop_auth = true;
  c.has_qop = true;
  c.stale = true;
  const std::string text = format_challenge(c);
  EXPECT_EQ(text,
            "Digest realm=\"call \\\"center\\\"\", nonce=\"abc\", opaque=\"op\", "
            "algorithm=SHA-256, qop=\"auth\", stale=TRUE");
  auto back = parse_challenge(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->realm, c.realm);
  EXPECT_TRUE(back->stale);
}

}  // namespace
}  // namespace sb::sip::auth
