// sip/client/registration_client_test.cc: trunk registration against a real transaction layer,
// the test playing the registrar (digest checked by the server-side authenticator): the
// challenge round, refresh timing, Call-ID and CSeq across refreshes, 423, backoff, removal.
#include "sip/client/registration_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/client/client_test_support.h"

namespace sb::sip::client {
namespace {

using namespace std::chrono_literals;
using testing::ClientTest;
using ::testing::ElementsAre;
using testing::header;
using ::testing::IsEmpty;
using testing::kT0;
using ::testing::MatchesRegex;
using testing::trunk;

constexpr std::string_view kContact = "<sip:acme@192.0.2.1:5060>";

RegistrationConfig trunk_config() {
  RegistrationConfig c;
  c.registrar_uri = "sip:carrier.example";
  c.destination = trunk();
  c.aor_user = "acme";
  c.aor_domain = "carrier.example";
  c.password = std::string(testing::kPassword);
  c.expires = 3600s;
  c.contact_uri = "sip:acme@192.0.2.1:5060";
  return c;
}

class RegistrationTest : public ClientTest {
 protected:
  void make(RegistrationConfig config = trunk_config()) {
    client = std::make_unique<RegistrationClient>(
        *uac, clock, timers, std::move(config),
        [this](const RegistrationState& s) { states.push_back(s); });
  }
  void start(RegistrationConfig config = trunk_config()) {
    make(std::move(config));
    const Result<RegistrationStatus> started = client->start();
    ASSERT_TRUE(started) << started.error().to_string();
    EXPECT_EQ(*started, RegistrationStatus::Registering);
  }

  // The registrar: challenges a REGISTER without credentials, accepts right ones with a 200
  // listing our Contact with `granted`, challenges wrong ones again.
  void registrar(const Message& request, std::chrono::seconds granted = 3600s) {
    const auth::AuthOutcome outcome = server.verify(request);
    if (outcome.ok()) {
      reply(request, 200, "OK",
            {{HeaderName::Contact,
              std::string(kContact) + ";expires=" + std::to_string(granted.count())}});
    } else {
      challenge(request, 401);
    }
  }
  // Registered once, through the challenge, at t = 0 (the 200 arrives at 0 too).
  void registered(std::chrono::seconds granted = 3600s) {
    start();
    registrar(last_request());
    registrar(last_request(), granted);
    ASSERT_EQ(client->state().status, RegistrationStatus::Registered);
  }

  std::vector<RegistrationStatus> statuses() const {
    std::vector<RegistrationStatus> out;
    for (const RegistrationState& s : states) {
      out.push_back(s.status);
    }
    return out;
  }
  std::vector<uint32_t> cseqs() const {
    std::vector<uint32_t> out;
    for (const testing::Sent* s : requests()) {
      out.push_back(s->message.cseq());
    }
    return out;
  }

  std::vector<RegistrationState> states;
  std::unique_ptr<RegistrationClient> client;
};

TEST_F(RegistrationTest, RegistersThroughTheChallengeAndReportsRegistered) {
  start();
  ASSERT_EQ(requests().size(), 1u);
  const Message first = last_request();
  EXPECT_EQ(first.method_text(), "REGISTER");
  EXPECT_EQ(first.request_uri(), "sip:carrier.example");
  EXPECT_EQ(header(first, HeaderName::To), "<sip:acme@carrier.example>");
  EXPECT_THAT(header(first, HeaderName::From),
              MatchesRegex("<sip:acme@carrier\\.example>;tag=[0-9a-f]{16}"));
  EXPECT_EQ(header(first, HeaderName::Contact), kContact);
  EXPECT_EQ(header(first, HeaderName::Expires), "3600");
  EXPECT_EQ(header(first, HeaderName::CSeq), "1 REGISTER");
  EXPECT_EQ(first.call_id(), client->call_id());
  EXPECT_EQ(first.count(HeaderName::Authorization), 0u);
  EXPECT_EQ(server.verify(first).status, auth::AuthStatus::Challenge);

  advance_to(10ms);
  challenge(first, 401);
  ASSERT_EQ(requests().size(), 2u);
  const Message second = last_request();
  EXPECT_EQ(header(second, HeaderName::CSeq), "2 REGISTER");
  EXPECT_EQ(second.call_id(), client->call_id());
  EXPECT_EQ(header(second, HeaderName::From), header(first, HeaderName::From));
  const auth::AuthOutcome outcome = server.verify(second);
  EXPECT_EQ(outcome.status, auth::AuthStatus::Ok) << outcome.reason;
  EXPECT_EQ(outcome.user, "acme");

  advance_to(20ms);
  reply(second, 200, "OK", {{HeaderName::Contact, std::string(kContact) + ";expires=3600"}});
  EXPECT_THAT(statuses(),
              ElementsAre(RegistrationStatus::Registering, RegistrationStatus::Registered));
  EXPECT_EQ(states.back().expires_at, kT0 + 20ms + 3600s);
  EXPECT_EQ(states.back().refresh_at, kT0 + 20ms + 3240s);  // 10 % before expiry
  EXPECT_EQ(describe(states.back(), clock.now()), "registered until +3600s");
}

TEST_F(RegistrationTest, AuthUserAndRealmComeFromTheConfig) {
  RegistrationConfig config = trunk_config();
  config.auth_user = "acme-auth";
  config.realm = "carrier.example";
  server.set_account(auth::DigestAccount{"acme-auth", std::string(testing::kPassword), {}});
  start(config);
  registrar(last_request());
  EXPECT_EQ(server.verify(last_request()).user, "acme-auth");
}

TEST_F(RegistrationTest, RefreshesTenPercentBeforeExpiryWithTheSameCallIdAndARisingCSeq) {
  registered(600s);
  const std::string from = header(last_request(), HeaderName::From);
  const Duration refresh = 540s;  // 600 - max(5, 60)
  EXPECT_EQ(states.back().refresh_at, kT0 + refresh);

  advance_to(refresh - 1ms);
  EXPECT_EQ(requests().size(), 2u);
  advance_to(refresh);
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(requests().back()->at, refresh);
  const Message third = last_request();
  EXPECT_EQ(third.call_id(), client->call_id());
  EXPECT_EQ(header(third, HeaderName::From), from);
  EXPECT_EQ(header(third, HeaderName::CSeq), "3 REGISTER");
  EXPECT_EQ(header(third, HeaderName::Expires), "3600");
  registrar(third);                 // challenged again: a new nonce
  registrar(last_request(), 600s);  // authorized, CSeq 4
  EXPECT_THAT(cseqs(), ElementsAre(1u, 2u, 3u, 4u));
  // No Registering for a refresh: the binding held all along.
  EXPECT_THAT(statuses(),
              ElementsAre(RegistrationStatus::Registering, RegistrationStatus::Registered,
                          RegistrationStatus::Registered));
  EXPECT_EQ(states.back().expires_at, kT0 + refresh + 600s);

  advance_to(refresh + refresh);
  ASSERT_EQ(requests().size(), 5u);
  EXPECT_EQ(last_request().cseq(), 5u);
  EXPECT_EQ(last_request().call_id(), client->call_id());
}

TEST_F(RegistrationTest, OurContactsExpiresWinsOverTheExpiresHeader) {
  start();
  reply(last_request(), 200, "OK",
        {{HeaderName::Contact, "<sip:other@192.0.2.99>;expires=60"},
         {HeaderName::Contact, "<sip:acme@192.0.2.1:5060>;expires=120"},
         {HeaderName::Expires, "1800"}});
  EXPECT_EQ(states.back().expires_at, kT0 + 120s);
  EXPECT_EQ(states.back().refresh_at, kT0 + 108s);
}

TEST_F(RegistrationTest, TheExpiresHeaderCountsWhenOurContactIsNotListed) {
  start();
  reply(
      last_request(), 200, "OK",
      {{HeaderName::Contact, "<sip:other@192.0.2.99>;expires=60"}, {HeaderName::Expires, "1800"}});
  EXPECT_EQ(states.back().expires_at, kT0 + 1800s);
  EXPECT_EQ(states.back().refresh_at, kT0 + 1620s);
}

TEST_F(RegistrationTest, WhatWasAskedCountsWhenThe200SaysNothing) {
  start();
  reply(last_request(), 200, "OK");
  EXPECT_EQ(states.back().status, RegistrationStatus::Registered);
  EXPECT_EQ(states.back().expires_at, kT0 + 3600s);
}

TEST_F(RegistrationTest, A423IsAnsweredAtOnceWithMinExpires) {
  RegistrationConfig config = trunk_config();
  config.expires = 60s;
  start(config);
  advance_to(5ms);
  reply(last_request(), 423, "Interval Too Brief", {{HeaderName::MinExpires, "300"}});
  ASSERT_EQ(requests().size(), 2u);
  EXPECT_EQ(requests().back()->at, 5ms);
  EXPECT_EQ(header(last_request(), HeaderName::Expires), "300");
  EXPECT_EQ(header(last_request(), HeaderName::CSeq), "2 REGISTER");
  EXPECT_EQ(last_request().call_id(), client->call_id());
  EXPECT_EQ(client->requested_expires(), 300s);
  EXPECT_THAT(statuses(), ElementsAre(RegistrationStatus::Registering));  // no failure

  reply(last_request(), 200, "OK", {{HeaderName::Contact, std::string(kContact) + ";expires=300"}});
  EXPECT_EQ(states.back().expires_at, kT0 + 5ms + 300s);
  EXPECT_EQ(states.back().refresh_at, kT0 + 5ms + 270s);
  advance_to(5ms + 270s);
  EXPECT_EQ(header(last_request(), HeaderName::Expires), "300");  // the raised value stays
}

TEST_F(RegistrationTest, A423WithoutAHigherMinExpiresIsAFailure) {
  start();
  reply(last_request(), 423, "Interval Too Brief", {{HeaderName::MinExpires, "60"}});
  EXPECT_EQ(requests().size(), 1u);
  ASSERT_EQ(states.back().status, RegistrationStatus::Failed);
  EXPECT_EQ(states.back().code, 423);
  EXPECT_EQ(states.back().retry_at, kT0 + 30s);
}

TEST_F(RegistrationTest, NoAnswerBacksOffFrom30sDoublingToTenMinutes) {
  start();
  // Each attempt times out after timer F (32 s); the waits are 30, 60, ... capped at 600 s.
  const std::vector<Duration> waits = {30s, 60s, 120s, 240s, 480s, 600s, 600s};
  std::vector<Duration> expected_sends = {0s};
  for (Duration wait : waits) {
    expected_sends.push_back(expected_sends.back() + 32s + wait);
  }
  advance_to(expected_sends.back() + 1s);

  std::vector<Duration> sends;
  for (const testing::Sent* s : requests()) {
    sends.push_back(s->at);
  }
  EXPECT_EQ(sends, expected_sends);
  EXPECT_THAT(cseqs(), ElementsAre(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));
  for (const testing::Sent* s : requests()) {
    EXPECT_EQ(s->message.call_id(), client->call_id());
  }
  std::vector<std::optional<TimePoint>> retries;
  for (const RegistrationState& s : states) {
    if (s.status == RegistrationStatus::Failed) {
      EXPECT_EQ(s.code, 408);
      EXPECT_EQ(s.reason, "Request Timeout");
      retries.push_back(s.retry_at);
    }
  }
  ASSERT_EQ(retries.size(), waits.size());
  for (size_t i = 0; i < waits.size(); ++i) {
    EXPECT_EQ(retries[i], kT0 + expected_sends[i + 1]);
  }
  EXPECT_EQ(statuses()[0], RegistrationStatus::Registering);
  EXPECT_EQ(statuses()[1], RegistrationStatus::Failed);
  EXPECT_EQ(statuses()[2], RegistrationStatus::Registering);
  EXPECT_EQ(describe(states[1], kT0 + 32s), "failed 408 Request Timeout, retry in 30s");
}

TEST_F(RegistrationTest, ASuccessResetsTheBackoff) {
  start();
  advance_to(32s);  // timeout: retry at 62 s
  advance_to(62s);
  ASSERT_EQ(requests().size(), 2u);
  reply(last_request(), 200, "OK");  // no auth on this registrar
  ASSERT_EQ(client->state().status, RegistrationStatus::Registered);
  advance_to(62s + 3240s);  // the refresh
  ASSERT_EQ(requests().size(), 3u);
  reply(last_request(), 500, "Server Internal Error");
  ASSERT_EQ(client->state().status, RegistrationStatus::Failed);
  EXPECT_EQ(client->state().retry_at, kT0 + 62s + 3240s + 30s);  // 30 s again, not 60
  // The binding from the last success still holds, and the report says so.
  EXPECT_EQ(client->state().expires_at, kT0 + 62s + 3600s);
}

TEST_F(RegistrationTest, WrongPasswordFailsAfterOneAuthorizedTryAndRetriesLater) {
  RegistrationConfig config = trunk_config();
  config.password = "wrong";
  start(config);
  registrar(last_request());
  registrar(last_request());  // refused: challenged again
  EXPECT_EQ(requests().size(), 2u);
  EXPECT_THAT(statuses(), ElementsAre(RegistrationStatus::Registering, RegistrationStatus::Failed));
  EXPECT_EQ(states.back().code, 401);
  EXPECT_EQ(states.back().reason, "Unauthorized");
  EXPECT_EQ(states.back().retry_at, kT0 + 30s);

  advance_to(30s - 1ms);
  EXPECT_EQ(requests().size(), 2u);
  advance_to(30s);
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(last_request().cseq(), 3u);
  EXPECT_EQ(statuses().back(), RegistrationStatus::Registering);
}

TEST_F(RegistrationTest, AProxyChallengeIsAnsweredToo) {
  start();
  challenge(last_request(), 407);
  const Message second = last_request();
  EXPECT_EQ(proxy.verify(second, auth::ChallengeKind::Proxy).status, auth::AuthStatus::Ok);
  reply(second, 200, "OK");
  EXPECT_EQ(client->state().status, RegistrationStatus::Registered);
}

TEST_F(RegistrationTest, RetryAfterIsHonouredUpToTheMaximum) {
  start();
  reply(last_request(), 503, "Service Unavailable",
        {{HeaderName::RetryAfter, "120 (maintenance)"}});
  EXPECT_EQ(client->state().retry_at, kT0 + 120s);
  advance_to(120s);
  ASSERT_EQ(requests().size(), 2u);
  reply(last_request(), 503, "Service Unavailable", {{HeaderName::RetryAfter, "86400"}});
  EXPECT_EQ(client->state().retry_at, kT0 + 120s + 600s);
}

TEST_F(RegistrationTest, UnregisterSendsExpiresZeroAndStopsRefreshing) {
  registered();
  advance_to(100s);
  client->unregister();
  ASSERT_EQ(requests().size(), 3u);
  const Message removal = last_request();
  EXPECT_EQ(header(removal, HeaderName::Expires), "0");
  EXPECT_EQ(header(removal, HeaderName::Contact), kContact);
  EXPECT_EQ(header(removal, HeaderName::CSeq), "3 REGISTER");
  EXPECT_EQ(removal.call_id(), client->call_id());
  EXPECT_EQ(statuses().back(), RegistrationStatus::Unregistering);
  registrar(removal);  // challenged
  EXPECT_EQ(server.verify(last_request()).status, auth::AuthStatus::Ok);
  reply(last_request(), 200, "OK");
  EXPECT_THAT(statuses(),
              ElementsAre(RegistrationStatus::Registering, RegistrationStatus::Registered,
                          RegistrationStatus::Unregistering, RegistrationStatus::Unregistered));
  advance_to(2h);
  EXPECT_EQ(requests().size(), 4u);  // no refresh, no retry
}

TEST_F(RegistrationTest, UnregisterWaitsForTheRegisterInFlight) {
  start();
  client->unregister();
  EXPECT_EQ(requests().size(), 1u);  // RFC 3261 §10.2: one REGISTER at a time
  EXPECT_EQ(client->state().status, RegistrationStatus::Unregistering);
  registrar(last_request());
  EXPECT_EQ(header(last_request(), HeaderName::Expires), "3600");  // the same request, authorized
  registrar(last_request());                                       // 200: a binding exists now
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(header(last_request(), HeaderName::Expires), "0");
  EXPECT_EQ(last_request().cseq(), 3u);
  registrar(last_request());
  registrar(last_request());
  EXPECT_EQ(client->state().status, RegistrationStatus::Unregistered);
  EXPECT_THAT(statuses(),
              ElementsAre(RegistrationStatus::Registering, RegistrationStatus::Unregistering,
                          RegistrationStatus::Unregistered));
}

TEST_F(RegistrationTest, UnregisterWithoutABindingSendsNothing) {
  start();
  advance_to(32s);  // timed out
  ASSERT_EQ(client->state().status, RegistrationStatus::Failed);
  client->unregister();
  EXPECT_EQ(client->state().status, RegistrationStatus::Unregistered);
  advance_to(1h);
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(RegistrationTest, AFailedUnregisterIsReportedWithoutRetry) {
  registered();
  client->unregister();
  reply(last_request(), 500, "Server Internal Error");
  ASSERT_EQ(client->state().status, RegistrationStatus::Failed);
  EXPECT_EQ(client->state().code, 500);
  EXPECT_EQ(client->state().retry_at, std::nullopt);
  advance_to(2h);
  EXPECT_EQ(requests().size(), 3u);
  // And it can start again.
  ASSERT_TRUE(client->start());
  EXPECT_EQ(requests().size(), 4u);
  EXPECT_EQ(header(last_request(), HeaderName::Expires), "3600");
  EXPECT_EQ(last_request().cseq(), 4u);
}

TEST_F(RegistrationTest, DestroyingTheClientAbandonsItsRequest) {
  start();
  const Message first = last_request();
  client.reset();
  reply(first, 200, "OK");
  EXPECT_EQ(tu.unclaimed, 0);  // still the Uac's, dropped
  EXPECT_EQ(uac->outstanding(), 0u);
  advance_to(2h);
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(RegistrationTest, AnInvalidConfigIsRefusedAndNothingIsSent) {
  const auto refusal = [this](RegistrationConfig config) {
    make(std::move(config));
    const Result<RegistrationStatus> r = client->start();
    return r ? std::string("started") : r.error().where;
  };
  RegistrationConfig no_scheme = trunk_config();
  no_scheme.registrar_uri = "carrier.example";
  EXPECT_EQ(refusal(no_scheme), "registrar_uri");
  RegistrationConfig no_user = trunk_config();
  no_user.aor_user.clear();
  EXPECT_EQ(refusal(no_user), "aor_user");
  RegistrationConfig bad_contact = trunk_config();
  bad_contact.contact_uri = "acme@192.0.2.1";
  EXPECT_EQ(refusal(bad_contact), "contact_uri");
  RegistrationConfig zero = trunk_config();
  zero.expires = 0s;
  EXPECT_EQ(refusal(zero), "expires");
  RegistrationConfig unresolved = trunk_config();
  unresolved.destination.remote = SocketAddress{};
  EXPECT_EQ(refusal(unresolved), "destination");
  EXPECT_THAT(sender.sent, IsEmpty());
  EXPECT_THAT(states, IsEmpty());
}

TEST_F(RegistrationTest, StartingTwiceSendsOnce) {
  start();
  const Result<RegistrationStatus> again = client->start();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, RegistrationStatus::Registering);
  EXPECT_EQ(requests().size(), 1u);
}

}  // namespace
}  // namespace sb::sip::client
