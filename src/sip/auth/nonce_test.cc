// sip/auth/nonce_test.cc: stateless nonces: genuine, expired, forged.
#include "sip/auth/nonce.h"

#include <gtest/gtest.h>

namespace sb::sip::auth {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint{} + 1'700'000'000s;

TEST(Nonce, FreshNonceIsValidAndCarriesItsIssueTime) {
  NonceIssuer issuer{"secret", "realm", 300s};
  const std::string nonce = issuer.issue(kStart);
  EXPECT_EQ(nonce.size(), 56u);
  const NonceCheck check = issuer.check(nonce, kStart + 10s);
  EXPECT_EQ(check.state, NonceState::Valid);
  EXPECT_EQ(check.issued_at, kStart);
}

TEST(Nonce, TwoNoncesOfTheSameInstantDiffer) {
  NonceIssuer issuer{"secret", "realm", 300s};
  EXPECT_NE(issuer.issue(kStart), issuer.issue(kStart));
}

TEST(Nonce, ExpiresAfterItsLifetime) {
  NonceIssuer issuer{"secret", "realm", 300s};
  const std::string nonce = issuer.issue(kStart);
  EXPECT_EQ(issuer.check(nonce, kStart + 299s).state, NonceState::Valid);
  EXPECT_EQ(issuer.check(nonce, kStart + 300s).state, NonceState::Expired);
}

TEST(Nonce, ForgedTamperedOrForeignNoncesAreInvalid) {
  NonceIssuer issuer{"secret", "realm", 300s};
  std::string nonce = issuer.issue(kStart);
  // Moving the time stamp forward breaks the signature.
  std::string tampered = nonce;
  tampered[10] = tampered[10] == 'f' ? 'e' : 'f';
  EXPECT_EQ(issuer.check(tampered, kStart).state, NonceState::Invalid);
  EXPECT_EQ(issuer.check("dcd98b7102dd2f0e8b11d0f600bfb0c093", kStart).state, NonceState::Invalid);
  EXPECT_EQ(issuer.check("", kStart).state, NonceState::Invalid);
  NonceIssuer other_secret{"other", "realm", 300s};
  EXPECT_EQ(other_secret.check(nonce, kStart).state, NonceState::Invalid);
  NonceIssuer other_realm{"secret", "other realm", 300s};
  EXPECT_EQ(other_realm.check(nonce, kStart).state, NonceState::Invalid);
}

TEST(Nonce, NoncesFromTheFutureAreInvalid) {
  NonceIssuer issuer{"secret", "realm", 300s};
  const std::string nonce = issuer.issue(kStart + 60s);
  EXPECT_EQ(issuer.check(nonce, kStart).state, NonceState::Invalid);
  EXPECT_EQ(issuer.check(nonce, kStart + 58s).state, NonceState::Valid);  // within the skew
}

TEST(Nonce, NodesSharingTheSecretAcceptEachOthersNonces) {
  NonceIssuer a{"shared", "realm", 300s};
  NonceIssuer b{"shared", "realm", 300s};
  EXPECT_EQ(b.check(a.issue(kStart), kStart + 1s).state, NonceState::Valid);
}

}  // namespace
}  // namespace sb::sip::auth
