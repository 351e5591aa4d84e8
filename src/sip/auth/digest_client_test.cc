// sip/auth/digest_client_test.cc: choosing among challenges and computing credentials.
#include "sip/auth/digest_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/auth/auth_test_support.h"
#include "sip/auth/credentials.h"

namespace sb::sip::auth {
namespace {

using testing::challenge_response;
using ::testing::HasSubstr;

const std::string kMd5 = "Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"";
const std::string kSha256 = "Digest realm=\"r\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\"";

TEST(DigestClient, AnswersTheRfc2617ExampleChallenge) {
  // RFC 2617 §3.5, computed through the client path (same digest for a SIP method + URI).
  auto challenge = parse_challenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(challenge);
  const std::string value = authorization_value(*challenge, {"Mufasa", "Circle Of Life"}, "GET",
                                                "/dir/index.html", "0a4f113b", 1);
  auto credentials = parse_credentials(value);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->response, "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(credentials->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(credentials->nc, "00000001");
  EXPECT_EQ(credentials->qop, "auth");
}

TEST(DigestClient, PrefersSha256WhicheverOrderTheServerUses) {
  EXPECT_EQ(choose_challenge(challenge_response({kMd5, kSha256}))->algorithm,
            DigestAlgorithm::Sha256);
  EXPECT_EQ(choose_challenge(challenge_response({kSha256, kMd5}))->algorithm,
            DigestAlgorithm::Sha256);
  EXPECT_EQ(choose_challenge(challenge_response({kMd5}))->algorithm, DigestAlgorithm::Md5);
}

TEST(DigestClient, SkipsChallengesItCannotAnswer) {
  const std::string sess = "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256-sess, qop=\"auth\"";
  const std::string int_only = "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"";
  const std::string basic = "Basic realm=\"r\"";
  EXPECT_EQ(choose_challenge(challenge_response({sess, int_only, basic})), std::nullopt);
  EXPECT_EQ(choose_challenge(challenge_response({sess, kMd5}))->algorithm, DigestAlgorithm::Md5);
}

TEST(DigestClient, AnswersA407WithProxyAuthorization) {
  DigestClient client{{"1001", "pw"}, [] { return std::string("c"); }};
  ASSERT_TRUE(client.on_challenge(challenge_response({kSha256}, 407)));
  auto header = client.authorize("INVITE", "sip:2000@example.com");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->header, HeaderName::ProxyAuthorization);
  EXPECT_THAT(header->value, HasSubstr("uri=\"sip:2000@example.com\""));
}

TEST(DigestClient, CountsNonceUsesAndRestartsOnANewNonce) {
  DigestClient client{{"1001", "pw"}, [] { return std::string("c"); }};
  EXPECT_EQ(client.authorize("REGISTER", "sip:r"), std::nullopt);
  ASSERT_TRUE(client.on_challenge(challenge_response({kSha256})));
  EXPECT_THAT(client.authorize("REGISTER", "sip:r")->value, HasSubstr("nc=00000001"));
  EXPECT_THAT(client.authorize("REGISTER", "sip:r")->value, HasSubstr("nc=00000002"));
  const std::string renewed = "Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"";
  ASSERT_TRUE(client.on_challenge(challenge_response({renewed})));
  EXPECT_THAT(client.authorize("REGISTER", "sip:r")->value, HasSubstr("nc=00000001"));
}

TEST(DigestClient, AnswersAChallengeWithoutQopInTheRfc2069Form) {
  DigestClient client{{"1001", "pw"}};
  ASSERT_TRUE(client.on_challenge(challenge_response({"Digest realm=\"r\", nonce=\"n\""})));
  const std::string value = client.authorize("REGISTER", "sip:r")->value;
  EXPECT_THAT(value, ::testing::Not(HasSubstr("qop=")));
  EXPECT_THAT(value, ::testing::Not(HasSubstr("cnonce=")));
}

TEST(DigestClient, RefusesResponsesWithoutAUsableChallenge) {
  DigestClient client{{"1001", "pw"}};
  EXPECT_FALSE(client.on_challenge(challenge_response({"Basic realm=\"r\""})));
  EXPECT_FALSE(client.on_challenge(challenge_response({kSha256}, 200)));
}

}  // namespace
}  // namespace sb::sip::auth
