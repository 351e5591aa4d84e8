// sip/auth/digest_authenticator_test.cc: the server side, driven by the client side: round
// trips, and every way credentials can be wrong. Time moves only through the VirtualClock.
#include "sip/auth/digest_authenticator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/auth/auth_test_support.h"
#include "sip/auth/challenge.h"
#include "sip/auth/credentials.h"
#include "sip/auth/digest.h"
#include "sip/auth/digest_client.h"

namespace sb::sip::auth {
namespace {

using namespace std::chrono_literals;
using testing::challenge_response;
using ::testing::HasSubstr;
using testing::register_request;
using ::testing::StartsWith;

const TimePoint kStart = TimePoint{} + 1'700'000'000s;
constexpr std::string_view kUri = "sip:example.com";

DigestServerConfig server_config(std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::Sha256,
                                                                            DigestAlgorithm::Md5}) {
  DigestServerConfig c;
  c.realm = "switchboard";
  c.algorithms = std::move(algorithms);
  c.nonce_lifetime = 300s;
  c.secret = "test secret";
  return c;
}

std::vector<DigestAccount> accounts() { return {DigestAccount{"1001", "s3cret", {}}}; }

class DigestAuthenticatorTest : public ::testing::Test {
 protected:
  // One challenge/answer round: the server challenges, the client answers for `uri`.
  Message answered(DigestClient& client, std::string_view uri = kUri, uint32_t cseq = 2) {
    auto taken = client.on_challenge(challenge_response(server.challenges()));
    EXPECT_TRUE(taken) << (taken ? "" : taken.error().message);
    return authorized(client, uri, cseq);
  }
  Message authorized(DigestClient& client, std::string_view uri = kUri, uint32_t cseq = 2) {
    auto header = client.authorize("REGISTER", uri);
    EXPECT_TRUE(header.has_value());
    return register_request(kUri, {{header->header, header->value}}, cseq);
  }

  VirtualClock clock{kStart};
  DigestAuthenticator server{clock, server_config(), accounts()};
  DigestClient alice{{"1001", "s3cret"}, [] { return std::string("0a4f113b"); }};
};

TEST_F(DigestAuthenticatorTest, RequestWithoutCredentialsIsChallengedNotFailed) {
  const AuthOutcome outcome = server.verify(register_request(kUri));
  EXPECT_EQ(outcome.status, AuthStatus::Challenge);
}

TEST_F(DigestAuthenticatorTest, OffersSha256FirstThenMd5WithQopAuthAndOpaque) {
  const auto values = server.challenges();
  ASSERT_EQ(values.size(), 2u);
  auto first = parse_challenge(values[0]);
  auto second = parse_challenge(values[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(second->algorithm, DigestAlgorithm::Md5);
  EXPECT_EQ(first->realm, "switchboard");
  EXPECT_TRUE(first->qop_auth);
  EXPECT_TRUE(first->opaque.has_value());
  EXPECT_FALSE(first->stale);
  EXPECT_EQ(first->nonce, second->nonce);
}

TEST_F(DigestAuthenticatorTest, ClientAnswerWithSha256IsAccepted) {
  const Message request = answered(alice);
  EXPECT_THAT(std::string(*request.first(HeaderName::Authorization)),
              HasSubstr("algorithm=SHA-256"));
  const AuthOutcome outcome = server.verify(request);
  EXPECT_EQ(outcome.status, AuthStatus::Ok) << outcome.reason;
  EXPECT_EQ(outcome.user, "1001");
}

TEST_F(DigestAuthenticatorTest, ClientAnswerWithMd5IsAcceptedWhenOnlyMd5IsOffered) {
  DigestAuthenticator md5_only{clock, server_config({DigestAlgorithm::Md5}), accounts()};
  ASSERT_TRUE(alice.on_challenge(challenge_response(md5_only.challenges())));
  const Message request = authorized(alice);
  EXPECT_THAT(std::string(*request.first(HeaderName::Authorization)), HasSubstr("algorithm=MD5"));
  EXPECT_EQ(md5_only.verify(request).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, Sha512_256RoundTrips) {
  DigestAuthenticator strong{clock, server_config({DigestAlgorithm::Sha512_256}), accounts()};
  ASSERT_TRUE(alice.on_challenge(challenge_response(strong.challenges())));
  EXPECT_EQ(strong.verify(authorized(alice)).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, WrongPasswordFails) {
  DigestClient mallory{{"1001", "guess"}};
  const AuthOutcome outcome = server.verify(answered(mallory));
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_EQ(outcome.user, "1001");
  EXPECT_EQ(outcome.reason, "wrong response");
}

TEST_F(DigestAuthenticatorTest, UnknownUserFails) {
  DigestClient stranger{{"9999", "s3cret"}};
  const AuthOutcome outcome = server.verify(answered(stranger));
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_EQ(outcome.reason, "unknown user");
}

TEST_F(DigestAuthenticatorTest, CredentialsForAnotherRealmFail) {
  auto challenge = parse_challenge(server.challenges()[0]);
  ASSERT_TRUE(challenge);
  challenge->realm = "elsewhere";
  const std::string value =
      authorization_value(*challenge, {"1001", "s3cret"}, "REGISTER", kUri, "c", 1);
  const AuthOutcome outcome =
      server.verify(register_request(kUri, {{HeaderName::Authorization, value}}));
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_THAT(outcome.reason, StartsWith("realm mismatch"));
}

TEST_F(DigestAuthenticatorTest, CredentialsForAnotherUriFail) {
  // Signed for sip:other.example.com but sent to sip:example.com.
  const Message request = answered(alice, "sip:other.example.com");
  const AuthOutcome outcome = server.verify(request);
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_THAT(outcome.reason, StartsWith("uri mismatch"));
}

TEST_F(DigestAuthenticatorTest, EquivalentUriFormIsAccepted) {
  EXPECT_EQ(server.verify(answered(alice, "sip:EXAMPLE.com")).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, ExpiredNonceWithRightPasswordIsStaleAndTheRetrySucceeds) {
  auto taken = alice.on_challenge(challenge_response(server.challenges()));
  ASSERT_TRUE(taken);
  clock.advance(301s);
  const AuthOutcome outcome = server.verify(authorized(alice));
  EXPECT_EQ(outcome.status, AuthStatus::Stale);
  EXPECT_EQ(outcome.reason, "nonce expired");

  const auto stale_challenges = server.challenges(/*stale=*/true);
  EXPECT_THAT(stale_challenges[0], HasSubstr("stale=TRUE"));
  auto retaken = alice.on_challenge(challenge_response(stale_challenges));
  ASSERT_TRUE(retaken);
  EXPECT_TRUE(retaken->stale);
  EXPECT_EQ(server.verify(authorized(alice, kUri, 3)).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, ExpiredNonceWithWrongPasswordFails) {
  DigestClient mallory{{"1001", "guess"}};
  ASSERT_TRUE(mallory.on_challenge(challenge_response(server.challenges())));
  clock.advance(301s);
  EXPECT_EQ(server.verify(authorized(mallory)).status, AuthStatus::Failed);
}

TEST_F(DigestAuthenticatorTest, ReplayedNonceCountIsRejectedAndAHigherOneAccepted) {
  const Message request = answered(alice);
  EXPECT_EQ(server.verify(request).status, AuthStatus::Ok);
  const AuthOutcome replay = server.verify(request);
  EXPECT_EQ(replay.status, AuthStatus::Failed);
  EXPECT_THAT(replay.reason, StartsWith("replayed nonce-count"));
  // The client's next request reuses the nonce with nc=2.
  const Message next = authorized(alice, kUri, 3);
  EXPECT_THAT(std::string(*next.first(HeaderName::Authorization)), HasSubstr("nc=00000002"));
  EXPECT_EQ(server.verify(next).status, AuthStatus::Ok);
  EXPECT_EQ(server.verify(request).status, AuthStatus::Failed);  // nc=1 is now below the high mark
}

TEST_F(DigestAuthenticatorTest, FailedAttemptsDoNotBurnTheOwnersNonceCounts) {
  ASSERT_TRUE(alice.on_challenge(challenge_response(server.challenges())));
  // Someone who saw the nonce sends nc=00000009 with a wrong response.
  DigestClient mallory{{"1001", "guess"}};
  (void)mallory.on_challenge(challenge_response({format_challenge(*alice.challenge())}));
  for (int i = 0; i < 9; ++i) {
    mallory.authorize("REGISTER", kUri);
  }
  EXPECT_EQ(server.verify(authorized(mallory)).status, AuthStatus::Failed);
  EXPECT_EQ(server.verify(authorized(alice)).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, ForgedNonceIsNeverAccepted) {
  DigestChallenge forged;
  forged.realm = "switchboard";
  forged.nonce = "00060a24181e4000000000000123456789abcdef0123456789abcdef";
  forged.algorithm = DigestAlgorithm::Sha256;
  forged.qop_auth = true;
  forged.has_qop = true;
  // The right password over a nonce the server never signed: not Ok; stale, so a phone whose
  // nonce predates a restart just retries.
  const std::string right =
      authorization_value(forged, {"1001", "s3cret"}, "REGISTER", kUri, "c", 1);
  const AuthOutcome outcome =
      server.verify(register_request(kUri, {{HeaderName::Authorization, right}}));
  EXPECT_EQ(outcome.status, AuthStatus::Stale);
  EXPECT_EQ(outcome.reason, "unknown nonce");
  // Without the password, a forged nonce is a plain failure.
  const std::string wrong =
      authorization_value(forged, {"1001", "guess"}, "REGISTER", kUri, "c", 1);
  EXPECT_EQ(server.verify(register_request(kUri, {{HeaderName::Authorization, wrong}})).status,
            AuthStatus::Failed);
}

TEST_F(DigestAuthenticatorTest, AlgorithmNotOfferedFails) {
  DigestAuthenticator sha_only{clock, server_config({DigestAlgorithm::Sha256}), accounts()};
  auto challenge = parse_challenge(sha_only.challenges()[0]);
  ASSERT_TRUE(challenge);
  challenge->algorithm = DigestAlgorithm::Md5;
  const std::string value =
      authorization_value(*challenge, {"1001", "s3cret"}, "REGISTER", kUri, "c", 1);
  const AuthOutcome outcome =
      sha_only.verify(register_request(kUri, {{HeaderName::Authorization, value}}));
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_EQ(outcome.reason, "unsupported algorithm MD5");
}

TEST_F(DigestAuthenticatorTest, CredentialsWithoutQopOrWithAnotherOpaqueFail) {
  auto challenge = parse_challenge(server.challenges()[0]);
  ASSERT_TRUE(challenge);
  DigestChallenge no_qop = *challenge;
  no_qop.qop_auth = false;
  no_qop.has_qop = false;
  const std::string rfc2069 =
      authorization_value(no_qop, {"1001", "s3cret"}, "REGISTER", kUri, "c", 1);
  EXPECT_EQ(server.verify(register_request(kUri, {{HeaderName::Authorization, rfc2069}})).reason,
            "qop missing");
  DigestChallenge other_opaque = *challenge;
  other_opaque.opaque = "not ours";
  const std::string value =
      authorization_value(other_opaque, {"1001", "s3cret"}, "REGISTER", kUri, "c", 1);
  EXPECT_EQ(server.verify(register_request(kUri, {{HeaderName::Authorization, value}})).reason,
            "opaque mismatch");
}

TEST_F(DigestAuthenticatorTest, MalformedCredentialsFail) {
  const AuthOutcome outcome = server.verify(
      register_request(kUri, {{HeaderName::Authorization, "Digest username=\"1001\""}}));
  EXPECT_EQ(outcome.status, AuthStatus::Failed);
  EXPECT_THAT(outcome.reason, StartsWith("malformed credentials"));
}

TEST_F(DigestAuthenticatorTest, PrecomputedHa1StandsInForThePassword) {
  DigestAccount hashed{"1002", "", {}};
  hashed.ha1[DigestAlgorithm::Sha256] =
      digest_ha1(DigestAlgorithm::Sha256, "1002", "switchboard", "pw");
  server.set_account(hashed);
  DigestClient bob{{"1002", "pw"}};
  EXPECT_EQ(server.verify(answered(bob)).status, AuthStatus::Ok);
  // No MD5 HA1 and no password: an MD5 answer cannot be checked.
  auto challenge = parse_challenge(server.challenges()[1]);
  ASSERT_TRUE(challenge);
  const std::string md5 = authorization_value(*challenge, {"1002", "pw"}, "REGISTER", kUri, "c", 1);
  EXPECT_EQ(server.verify(register_request(kUri, {{HeaderName::Authorization, md5}})).reason,
            "no secret for MD5");
}

TEST_F(DigestAuthenticatorTest, ProxyAuthorizationIsReadForProxyChallenges) {
  ASSERT_TRUE(alice.on_challenge(challenge_response(server.challenges(), 407)));
  const Message request = authorized(alice);
  EXPECT_TRUE(request.first(HeaderName::ProxyAuthorization).has_value());
  EXPECT_EQ(server.verify(request, ChallengeKind::Www).status, AuthStatus::Challenge);
  EXPECT_EQ(server.verify(request, ChallengeKind::Proxy).status, AuthStatus::Ok);
}

TEST_F(DigestAuthenticatorTest, CredentialsOfOtherRealmsAreSkippedWhenOursArePresent) {
  ASSERT_TRUE(alice.on_challenge(challenge_response(server.challenges())));
  auto header = alice.authorize("REGISTER", kUri);
  ASSERT_TRUE(header);
  const Message request = register_request(
      kUri, {{HeaderName::Authorization,
              "Digest username=\"x\", realm=\"upstream\", nonce=\"n\", uri=\"sip:example.com\", "
              "response=\"00\""},
             {HeaderName::Authorization, header->value}});
  EXPECT_EQ(server.verify(request).status, AuthStatus::Ok);
}

}  // namespace
}  // namespace sb::sip::auth
