// sip/registrar/registrar_auth_test.cc: REGISTER with digest authentication, end to end with
// the client-side digest code: challenge, authorized registration, failures, stale nonces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/auth/challenge.h"
#include "sip/auth/digest_client.h"
#include "sip/registrar/registrar.h"
#include "sip/registrar/registrar_test_support.h"

namespace sb::sip::registrar {
namespace {

using namespace std::chrono_literals;
using testing::contacts_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::register_request;
using testing::RegisterSpec;
using testing::udp_peer;

const TimePoint kStart = TimePoint{} + 1'700'000'000s;
constexpr std::string_view kAor = "sip:1001@example.com";

RegistrarConfig secured_config() {
  RegistrarConfig c;
  c.realm = "switchboard";
  c.domains = {"example.com"};
  c.accounts = {{"1001", "s3cret"}, {"1002", "other"}};
  c.require_auth = true;
  c.nonce_lifetime = 300s;
  c.nonce_secret = "test secret";
  return c;
}

class RegistrarAuthTest : public ::testing::Test {
 protected:
  RegisterResult send(const Message& request) {
    RegisterResult r = registrar.handle(request, udp_peer("198.51.100.4", 5062));
    EXPECT_TRUE(r.response.has_value());
    return r;
  }

  // The REGISTER of `spec` carrying what `client` computes for it.
  Message with_credentials(auth::DigestClient& client, RegisterSpec spec) {
    auto header = client.authorize("REGISTER", spec.request_uri);
    EXPECT_TRUE(header.has_value());
    spec.extra.emplace_back(header->header, header->value);
    return register_request(spec);
  }

  VirtualClock clock{kStart};
  LocationService locations{clock};
  Registrar registrar{clock, secured_config(), locations};
  auth::DigestClient phone{{"1001", "s3cret"}};
};

TEST_F(RegistrarAuthTest, UnauthenticatedRegisterIsChallengedWithSha256ThenMd5) {
  const RegisterResult r = send(register_request(RegisterSpec{}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.outcome, RegisterOutcome::Challenged);
  const auto challenges = r.response->values(HeaderName::WwwAuthenticate);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_THAT(std::string(challenges[0]), HasSubstr("algorithm=SHA-256"));
  EXPECT_THAT(std::string(challenges[1]), HasSubstr("algorithm=MD5"));
  EXPECT_THAT(std::string(challenges[0]), HasSubstr("realm=\"switchboard\""));
  EXPECT_THAT(std::string(challenges[0]), HasSubstr("qop=\"auth\""));
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST_F(RegistrarAuthTest, AuthorizedRegisterAfterTheChallengeIsAccepted) {
  const RegisterResult challenged = send(register_request(RegisterSpec{}));
  ASSERT_TRUE(phone.on_challenge(*challenged.response));
  RegisterSpec spec;
  spec.cseq = 2;
  const RegisterResult r = send(with_credentials(phone, spec));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.outcome, RegisterOutcome::Registered);
  EXPECT_EQ(r.user, "1001");
  EXPECT_THAT(contacts_of(*r.response), ElementsAre("<sip:1001@192.0.2.10:5060>;expires=3600"));
  ASSERT_EQ(locations.lookup(kAor).size(), 1u);
  EXPECT_EQ(locations.lookup(kAor)[0].received.remote.to_string(), "198.51.100.4:5062");

  // The refresh reuses the nonce with the next nonce-count: no second challenge.
  spec.cseq = 3;
  spec.expires = "600";
  const RegisterResult refreshed = send(with_credentials(phone, spec));
  EXPECT_EQ(refreshed.status, 200);
  EXPECT_THAT(contacts_of(*refreshed.response),
              ElementsAre("<sip:1001@192.0.2.10:5060>;expires=600"));
}

TEST_F(RegistrarAuthTest, WrongPasswordIsAuthFailedWithAFreshChallenge) {
  auth::DigestClient guesser{{"1001", "guess"}};
  ASSERT_TRUE(guesser.on_challenge(*send(register_request(RegisterSpec{})).response));
  RegisterSpec spec;
  spec.cseq = 2;
  const RegisterResult r = send(with_credentials(guesser, spec));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.outcome, RegisterOutcome::AuthFailed);
  EXPECT_EQ(r.user, "1001");
  EXPECT_EQ(r.reason, "wrong response");
  EXPECT_EQ(r.response->values(HeaderName::WwwAuthenticate).size(), 2u);
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST_F(RegistrarAuthTest, AUserMayNotRegisterAnotherUsersAor) {
  ASSERT_TRUE(phone.on_challenge(*send(register_request(RegisterSpec{})).response));
  RegisterSpec spec;
  spec.to = "<sip:1002@example.com>";
  spec.cseq = 2;
  const RegisterResult r = send(with_credentials(phone, spec));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.outcome, RegisterOutcome::Refused);
  EXPECT_EQ(r.user, "1001");
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST_F(RegistrarAuthTest, ExpiredNonceGetsAStaleChallengeAndTheRetrySucceeds) {
  ASSERT_TRUE(phone.on_challenge(*send(register_request(RegisterSpec{})).response));
  RegisterSpec spec;
  spec.cseq = 2;
  ASSERT_EQ(send(with_credentials(phone, spec)).status, 200);

  clock.advance(400s);
  spec.cseq = 3;
  const RegisterResult stale = send(with_credentials(phone, spec));
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.outcome, RegisterOutcome::Challenged);
  EXPECT_THAT(std::string(*stale.response->first(HeaderName::WwwAuthenticate)),
              HasSubstr("stale=TRUE"));
  auto retaken = phone.on_challenge(*stale.response);
  ASSERT_TRUE(retaken);
  EXPECT_TRUE(retaken->stale);
  spec.cseq = 4;
  EXPECT_EQ(send(with_credentials(phone, spec)).status, 200);
}

TEST_F(RegistrarAuthTest, ReplayedAuthorizedRegisterIsAuthFailed) {
  ASSERT_TRUE(phone.on_challenge(*send(register_request(RegisterSpec{})).response));
  RegisterSpec spec;
  spec.cseq = 2;
  const Message request = with_credentials(phone, spec);
  ASSERT_EQ(send(request).status, 200);
  const RegisterResult replay = send(request);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(replay.outcome, RegisterOutcome::AuthFailed);
}

TEST_F(RegistrarAuthTest, QueryAndRemovalNeedCredentialsToo) {
  RegisterSpec query;
  query.contacts = {};
  EXPECT_EQ(send(register_request(query)).status, 401);
  ASSERT_TRUE(phone.on_challenge(*send(register_request(RegisterSpec{})).response));
  RegisterSpec spec;
  spec.cseq = 2;
  ASSERT_EQ(send(with_credentials(phone, spec)).status, 200);
  RegisterSpec wildcard;
  wildcard.contacts = {"*"};
  wildcard.expires = "0";
  wildcard.cseq = 3;
  const RegisterResult removed = send(with_credentials(phone, wildcard));
  EXPECT_EQ(removed.outcome, RegisterOutcome::Removed);
  EXPECT_THAT(contacts_of(*removed.response), IsEmpty());
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST(RegistrarOutcome, NamesForLogs) {
  EXPECT_EQ(outcome_name(RegisterOutcome::AuthFailed), "auth-failed");
  EXPECT_EQ(outcome_name(RegisterOutcome::Registered), "registered");
}

}  // namespace
}  // namespace sb::sip::registrar
