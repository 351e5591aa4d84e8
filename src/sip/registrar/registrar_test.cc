// sip/registrar/registrar_test.cc: REGISTER handling without authentication (the benchmark
// set-up): the binding life cycle, RFC 3261 §10.3's rules, Path. The clock is virtual.
#include "sip/registrar/registrar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/parse/name_addr.h"
#include "sip/registrar/registrar_test_support.h"

namespace sb::sip::registrar {
namespace {

using namespace std::chrono_literals;
using testing::contacts_of;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using testing::register_request;
using testing::RegisterSpec;
using ::testing::StartsWith;
using testing::udp_peer;

const TimePoint kStart = TimePoint{} + 1'700'000'000s;
constexpr std::string_view kAor = "sip:1001@example.com";

RegistrarConfig open_config() {
  RegistrarConfig c;
  c.require_auth = false;
  c.domains = {"example.com"};
  c.default_expires = 3600s;
  c.min_expires = 60s;
  c.max_expires = 7200s;
  c.max_contacts_per_aor = 3;
  return c;
}

class RegistrarTest : public ::testing::Test {
 protected:
  explicit RegistrarTest(RegistrarConfig config = open_config())
      : registrar(clock, std::move(config), locations) {}

  RegisterResult send(const RegisterSpec& spec, const Peer& from = udp_peer("203.0.113.7", 40000)) {
    RegisterResult r = registrar.handle(register_request(spec), from);
    EXPECT_TRUE(r.response.has_value());
    if (r.response) {
      EXPECT_EQ(r.response->status(), r.status);
    }
    return r;
  }

  std::vector<std::string> contacts_in_lookup() {
    std::vector<std::string> out;
    for (const Binding& b : locations.lookup(kAor)) {
      out.push_back(b.contact);
    }
    return out;
  }

  VirtualClock clock{kStart};
  LocationService locations{clock};
  Registrar registrar;
};

TEST_F(RegistrarTest, RegisterQueryRefreshAndExpire) {
  RegisterSpec spec;
  spec.extra = {{HeaderName::UserAgent, "Yealink T46U"}};
  const RegisterResult registered = send(spec, udp_peer("203.0.113.7", 40000));
  EXPECT_EQ(registered.outcome, RegisterOutcome::Registered);
  EXPECT_EQ(registered.status, 200);
  EXPECT_EQ(registered.aor, kAor);
  EXPECT_THAT(contacts_of(*registered.response),
              ElementsAre("<sip:1001@192.0.2.10:5060>;expires=3600"));
  EXPECT_EQ(registered.response->first(HeaderName::Date), "Tue, 14 Nov 2023 22:13:20 GMT");
  auto to = parse_name_addr(*registered.response->first(HeaderName::To));
  ASSERT_TRUE(to);
  EXPECT_TRUE(to->tag().has_value());

  const auto bindings = locations.lookup(kAor);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].call_id, "c1@192.0.2.10");
  EXPECT_EQ(bindings[0].cseq, 1u);
  EXPECT_EQ(bindings[0].user_agent, "Yealink T46U");
  // Behind NAT the phone is reachable where the REGISTER came from, not at its Contact.
  EXPECT_EQ(bindings[0].received.remote.to_string(), "203.0.113.7:40000");

  clock.advance(600s);
  RegisterSpec query;
  query.contacts = {};
  query.cseq = 2;
  const RegisterResult queried = send(query);
  EXPECT_EQ(queried.outcome, RegisterOutcome::Queried);
  EXPECT_THAT(contacts_of(*queried.response),
              ElementsAre("<sip:1001@192.0.2.10:5060>;expires=3000"));

  RegisterSpec refresh;
  refresh.cseq = 3;
  refresh.expires = "1800";
  const RegisterResult refreshed = send(refresh);
  EXPECT_EQ(refreshed.outcome, RegisterOutcome::Registered);
  EXPECT_THAT(contacts_of(*refreshed.response),
              ElementsAre("<sip:1001@192.0.2.10:5060>;expires=1800"));

  clock.advance(1799s);
  EXPECT_THAT(contacts_in_lookup(), ElementsAre("sip:1001@192.0.2.10:5060"));
  clock.advance(1s);
  EXPECT_THAT(contacts_in_lookup(), IsEmpty());
  query.cseq = 4;
  EXPECT_THAT(contacts_of(*send(query).response), IsEmpty());
  EXPECT_EQ(locations.purge(), 1u);
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST_F(RegistrarTest, WildcardWithExpiresZeroRemovesEveryBinding) {
  RegisterSpec two;
  two.contacts = {"<sip:1001@192.0.2.10:5060>", "<sip:1001@192.0.2.11:5060>"};
  send(two);
  ASSERT_EQ(locations.lookup(kAor).size(), 2u);

  RegisterSpec wildcard;
  wildcard.contacts = {"*"};
  wildcard.expires = "0";
  wildcard.cseq = 2;
  const RegisterResult removed = send(wildcard);
  EXPECT_EQ(removed.outcome, RegisterOutcome::Removed);
  EXPECT_EQ(removed.status, 200);
  EXPECT_THAT(contacts_of(*removed.response), IsEmpty());
  EXPECT_THAT(contacts_in_lookup(), IsEmpty());
}

TEST_F(RegistrarTest, WildcardWithOtherContactsOrNonZeroExpiresIs400) {
  send(RegisterSpec{});
  RegisterSpec mixed;
  mixed.contacts = {"*", "<sip:1001@192.0.2.11:5060>"};
  mixed.expires = "0";
  mixed.cseq = 2;
  EXPECT_EQ(send(mixed).status, 400);
  RegisterSpec nonzero;
  nonzero.contacts = {"*"};
  nonzero.expires = "3600";
  nonzero.cseq = 3;
  EXPECT_EQ(send(nonzero).status, 400);
  RegisterSpec no_expires;
  no_expires.contacts = {"*"};
  no_expires.cseq = 4;
  const RegisterResult r = send(no_expires);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.outcome, RegisterOutcome::Refused);
  EXPECT_EQ(contacts_in_lookup().size(), 1u);
}

TEST_F(RegistrarTest, ExpiresZeroRemovesOneContact) {
  RegisterSpec two;
  two.contacts = {"<sip:1001@192.0.2.10:5060>", "<sip:1001@192.0.2.11:5060>"};
  send(two);
  RegisterSpec remove_one;
  remove_one.contacts = {"<sip:1001@192.0.2.10:5060>;expires=0"};
  remove_one.cseq = 2;
  const RegisterResult r = send(remove_one);
  EXPECT_EQ(r.outcome, RegisterOutcome::Removed);
  EXPECT_THAT(contacts_of(*r.response), ElementsAre("<sip:1001@192.0.2.11:5060>;expires=3600"));
  EXPECT_THAT(contacts_in_lookup(), ElementsAre("sip:1001@192.0.2.11:5060"));
}

TEST_F(RegistrarTest, SeveralContactsAreLookedUpByQ) {
  RegisterSpec spec;
  spec.contacts = {"<sip:desk@192.0.2.10>;q=0.5", "<sip:soft@192.0.2.11>;q=0.9",
                   "<sip:mobile@192.0.2.12>;q=0.1"};
  const RegisterResult r = send(spec);
  EXPECT_THAT(contacts_of(*r.response), ElementsAre("<sip:desk@192.0.2.10>;expires=3600;q=0.5",
                                                    "<sip:soft@192.0.2.11>;expires=3600;q=0.9",
                                                    "<sip:mobile@192.0.2.12>;expires=3600;q=0.1"));
  EXPECT_THAT(contacts_in_lookup(),
              ElementsAre("sip:soft@192.0.2.11", "sip:desk@192.0.2.10", "sip:mobile@192.0.2.12"));
}

TEST_F(RegistrarTest, TooBriefIntervalIs423WithMinExpires) {
  RegisterSpec spec;
  spec.expires = "30";
  const RegisterResult r = send(spec);
  EXPECT_EQ(r.status, 423);
  EXPECT_EQ(r.response->reason(), "Interval Too Brief");
  EXPECT_EQ(r.response->first(HeaderName::MinExpires), "60");
  EXPECT_THAT(contacts_in_lookup(), IsEmpty());
}

TEST_F(RegistrarTest, LongIntervalsAreCutToMaxAndContactExpiresBeatsTheHeader) {
  RegisterSpec spec;
  spec.contacts = {"<sip:a@192.0.2.10>", "<sip:b@192.0.2.11>;expires=120"};
  spec.expires = "100000";
  EXPECT_THAT(contacts_of(*send(spec).response),
              ElementsAre("<sip:a@192.0.2.10>;expires=7200", "<sip:b@192.0.2.11>;expires=120"));
}

TEST_F(RegistrarTest, SameCallIdWithoutHigherCSeqFailsAndChangesNothing) {
  RegisterSpec first;
  first.cseq = 5;
  send(first);
  RegisterSpec stale;
  stale.cseq = 5;
  stale.expires = "0";
  const RegisterResult r = send(stale);
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.reason, StartsWith("out-of-order REGISTER"));
  stale.cseq = 4;
  EXPECT_EQ(send(stale).status, 500);
  EXPECT_EQ(contacts_in_lookup().size(), 1u);
}

TEST_F(RegistrarTest, AnotherCallIdReplacesTheBindingWhateverItsCSeq) {
  RegisterSpec first;
  first.cseq = 50;
  send(first);
  RegisterSpec rebooted;  // the phone restarted: new Call-ID, CSeq from 1 again
  rebooted.call_id = "after-reboot@192.0.2.10";
  rebooted.cseq = 1;
  rebooted.expires = "300";
  EXPECT_EQ(send(rebooted).status, 200);
  const auto bindings = locations.lookup(kAor);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].call_id, "after-reboot@192.0.2.10");
  EXPECT_EQ(bindings[0].expires_at, kStart + 300s);
}

TEST_F(RegistrarTest, EquivalentContactUrisAreOneBinding) {
  RegisterSpec first;
  first.contacts = {"<sip:1001@PHONE.example.com;transport=udp>"};
  send(first);
  RegisterSpec again;
  again.contacts = {"<sip:1001@phone.example.com;transport=UDP>"};
  again.cseq = 2;
  send(again);
  EXPECT_EQ(locations.lookup(kAor).size(), 1u);
}

TEST_F(RegistrarTest, OverTheCapTheLeastRecentlyRefreshedOtherBindingGoes) {
  for (int i = 0; i < 3; ++i) {
    RegisterSpec spec;
    spec.call_id = "phone" + std::to_string(i);
    spec.contacts = {"<sip:1001@192.0.2." + std::to_string(10 + i) + ">"};
    send(spec);
    clock.advance(1s);
  }
  RegisterSpec fourth;
  fourth.call_id = "phone3";
  fourth.contacts = {"<sip:1001@192.0.2.13>"};
  const RegisterResult r = send(fourth);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(contacts_of(*r.response).size(), 3u);
  EXPECT_THAT(contacts_in_lookup(),
              ElementsAre("sip:1001@192.0.2.13", "sip:1001@192.0.2.12", "sip:1001@192.0.2.11"));
}

TEST_F(RegistrarTest, ARequestWithMoreContactsThanTheCapIs403) {
  RegisterSpec spec;
  spec.contacts = {"<sip:a@192.0.2.10>", "<sip:b@192.0.2.10>", "<sip:c@192.0.2.10>",
                   "<sip:d@192.0.2.10>"};
  const RegisterResult r = send(spec);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.response->reason(), "Too Many Contacts");
  EXPECT_THAT(contacts_in_lookup(), IsEmpty());
}

TEST_F(RegistrarTest, PathIsStoredAndEchoedWhenTheUaSupportsIt) {
  RegisterSpec spec;
  spec.extra = {{HeaderName::Path, "<sip:edge1.example.com;lr>"},
                {HeaderName::Path, "<sip:edge2.example.com;lr>"},
                {HeaderName::Supported, "replaces, path"}};
  const RegisterResult r = send(spec);
  EXPECT_THAT(r.response->values(HeaderName::Path),
              ElementsAre("<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>"));
  const auto bindings = locations.lookup(kAor);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_THAT(bindings[0].path,
              ElementsAre("<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>"));
}

TEST_F(RegistrarTest, PathIsNeitherStoredNorEchoedWithoutSupport) {
  RegisterSpec spec;
  spec.extra = {{HeaderName::Path, "<sip:edge1.example.com;lr>"}};
  const RegisterResult r = send(spec);
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.response->values(HeaderName::Path), IsEmpty());
  EXPECT_THAT(locations.lookup(kAor)[0].path, IsEmpty());
}

TEST_F(RegistrarTest, OutboundInstanceAndRegIdAreKeptAndEchoed) {
  RegisterSpec spec;
  spec.contacts = {
      "<sip:1001@192.0.2.10;ob>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\""
      ";reg-id=1"};
  const RegisterResult r = send(spec);
  EXPECT_THAT(contacts_of(*r.response),
              ElementsAre("<sip:1001@192.0.2.10;ob>;expires=3600;+sip.instance=\"<urn:uuid:"
                          "00000000-0000-1000-8000-000A95A0E128>\";reg-id=1"));
  const auto bindings = locations.lookup(kAor);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].instance, "\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"");
  EXPECT_EQ(bindings[0].reg_id, "1");
}

TEST_F(RegistrarTest, TheAorIsCanonical) {
  RegisterSpec spec;
  spec.to = "\"Desk\" <sips:1001@EXAMPLE.com:5061;transport=tls>";
  EXPECT_EQ(send(spec).aor, kAor);
  EXPECT_EQ(locations.lookup(kAor).size(), 1u);
}

TEST_F(RegistrarTest, UnknownDomainAndNonSipAorsAre404) {
  RegisterSpec foreign;
  foreign.to = "<sip:1001@elsewhere.example.org>";
  const RegisterResult r = send(foreign);
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.reason, StartsWith("domain not served"));
  RegisterSpec tel;
  tel.to = "<tel:+15551234>";
  EXPECT_EQ(send(tel).status, 404);
  RegisterSpec no_user;
  no_user.to = "<sip:example.com>";
  EXPECT_EQ(send(no_user).status, 404);
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST_F(RegistrarTest, MalformedQOrExpiresIs400) {
  RegisterSpec bad_q;
  bad_q.contacts = {"<sip:a@192.0.2.10>;q=1.5"};
  EXPECT_EQ(send(bad_q).status, 400);
  RegisterSpec bad_param;
  bad_param.contacts = {"<sip:a@192.0.2.10>;expires=soon"};
  EXPECT_EQ(send(bad_param).status, 400);
  RegisterSpec bad_header;
  bad_header.expires = "-1";
  EXPECT_EQ(send(bad_header).status, 400);
  RegisterSpec bad_contact;
  bad_contact.contacts = {"<sip:a@192.0.2.10"};
  EXPECT_EQ(send(bad_contact).status, 400);
}

TEST_F(RegistrarTest, OtherMethodsAreRefused) {
  MessageBuilder b = MessageBuilder::request("OPTIONS", "sip:example.com");
  b.add(HeaderName::Via, "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-o")
      .add(HeaderName::To, "<sip:example.com>")
      .add(HeaderName::From, "<sip:1001@example.com>;tag=1")
      .add(HeaderName::CallId, "o1")
      .add(HeaderName::CSeq, "1 OPTIONS");
  const RegisterResult r =
      registrar.handle(std::get<Message>(b.build()), udp_peer("203.0.113.7", 5060));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.response->first(HeaderName::Allow), "REGISTER");
}

class RegistrarWithAccountsTest : public RegistrarTest {
 protected:
  static RegistrarConfig config() {
    RegistrarConfig c = open_config();
    c.accounts = {{"1001", "pw"}};
    return c;
  }
  RegistrarWithAccountsTest() : RegistrarTest(config()) {}
};

TEST_F(RegistrarWithAccountsTest, UnknownUserIs404EvenWithoutAuthentication) {
  RegisterSpec stranger;
  stranger.to = "<sip:9999@example.com>";
  const RegisterResult r = send(stranger);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.reason, "unknown user 9999");
  EXPECT_EQ(send(RegisterSpec{}).status, 200);
}

}  // namespace
}  // namespace sb::sip::registrar
