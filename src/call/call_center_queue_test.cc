// Waiting callers on fakes: music and announcements, overflow to another queue, to voicemail
// and to a callback, the callback kept and dialled, recording with consent and its pauses,
// the IVR's menu retries and CRM lookups, the agent hanging up first, and shutdown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "call/call_center_test_support.h"
#include "sip/dialog/dialog_test_support.h"

namespace sb::call::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// call_center_integration: callers_waiting_hear_music_and_their_place_in_the_queue
TEST_F(CallCenterOnFakes, CallersWaitingHearMusicAndTheirPlaceInTheQueue) {
  routing.queues[0].announce_every = 20s;
  prompt_folder = std::make_unique<PromptFolder>(std::vector<std::string>{
      "music-on-hold", "you-are-number", "number-1", "number-2", "in-the-queue", "estimated-wait", "minutes",
      "minute", "number-3"});
  set_up();
  Caller first = dials("+15550111");
  Caller second = dials("+15550111");
  EXPECT_TRUE(media.playing(first.endpoint));
  const size_t plays = media.log.size();
  advance(20s);
  EXPECT_GT(media.log.size(), plays) << "the announcement";
  EXPECT_TRUE(media.playing(second.endpoint));
  playback_ends(second.endpoint);
  EXPECT_TRUE(media.playing(second.endpoint)) << "music again after the announcement";
  hangs_up(first);
  hangs_up(second);
  EXPECT_EQ(media.alive(), 0u);
}

// call_scenarios_integration: max_wait_overflows_the_caller_to_the_sales_queue
TEST_F(CallCenterOnFakes, MaxWaitOverflowsTheCallerToTheSalesQueue) {
  routing.queues[0].max_wait = 10s;
  routing.queues[0].overflow.kind = acd::OverflowKind::Queue;
  routing.queues[0].overflow.queue = acd::QueueId{1};
  set_up();
  Caller caller = dials("+15550111");
  logged_in("bob", "1002", /*ready=*/false);
  advance(10s);
  EXPECT_EQ(last_event(events::EventKind::Transferred)->queue, "support");
  EXPECT_THAT(last_event(events::EventKind::Transferred)->data, HasSubstr("max-wait"));
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "sales");
  EXPECT_TRUE(media.playing(caller.endpoint));
  hangs_up(caller);
}

// call_center_integration: max_wait_overflows_to_voicemail_with_the_callers_message
TEST_F(CallCenterOnFakes, MaxWaitOverflowsToVoicemailWithTheCallersMessage) {
  routing.queues[0].max_wait = 2s;
  routing.queues[0].overflow.kind = acd::OverflowKind::Voicemail;
  routing.queues[0].overflow.message = "leave-a-message";
  set_up();
  Caller caller = dials("+15550111");
  advance(2s);
  EXPECT_TRUE(media.playing(caller.endpoint)) << "the message";
  playback_ends(caller.endpoint);
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording) << "the caller's message is recorded";
  advance(5s);
  hangs_up(caller);
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued", "transferred", "ended"));
  EXPECT_THAT(last_event(events::EventKind::Transferred)->data, HasSubstr(R"("overflow":"voicemail")"));
  EXPECT_THAT(last_event(events::EventKind::Ended)->data, HasSubstr("/voicemail/support/"));
  EXPECT_EQ(media.alive(), 0u);
}

// A voicemail ends at its maximum length: the caller hears goodbye and is hung up.
TEST_F(CallCenterOnFakes, AVoicemailEndsAtItsMaximumLength) {
  routing.queues[0].max_wait = 2s;
  routing.queues[0].overflow.kind = acd::OverflowKind::Voicemail;
  config.voicemail_max = 30s;
  set_up();
  Caller caller = dials("+15550111");
  advance(2s);
  playback_ends(caller.endpoint);
  advance(29s);
  EXPECT_FALSE(hung_up(caller.dialog));
  advance(2s);
  if (media.playing(caller.endpoint)) playback_ends(caller.endpoint);  // a goodbye, if the flow has one
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_EQ(center->active_calls(), 0u);
}

// call_center_integration: callback_is_offered_kept_and_dialled_when_an_agent_is_free
TEST_F(CallCenterOnFakes, ACallbackIsOfferedKeptAndDialledWhenAnAgentIsFree) {
  with_trunk();
  routing.queues[0].callback_after = 2s;
  set_up();
  Caller caller = dials("+15550111");
  advance(2s);
  EXPECT_TRUE(media.playing(caller.endpoint)) << "press 1 to be called back";
  presses(caller, '1');
  EXPECT_THAT(last_event(events::EventKind::Queued)->data, HasSubstr(R"("callback":true)"));
  EXPECT_TRUE(media.playing(caller.endpoint)) << "confirmed";
  playback_ends(caller.endpoint);
  EXPECT_TRUE(hung_up(caller.dialog)) << "the caller goes, the place stays";
  EXPECT_EQ(center->active_calls(), 1u);

  logged_in("alice", "1001");  // reserved for the callback: her phone rings first
  ASSERT_EQ(stack.invites.size(), 1u);
  EXPECT_EQ(invite(0).request_uri, "sip:1001@192.0.2.11:5062");
  far_end_answers(0, 200);
  ASSERT_EQ(stack.invites.size(), 2u) << "then the customer is dialled";
  EXPECT_EQ(invite(1).request_uri, "sip:+15551230000@carrier.example");
  far_end_answers(1, 200);
  EXPECT_THAT(last_event(events::EventKind::Answered)->data, HasSubstr(R"("callback":true)"));
  far_end_hangs_up(1);
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_scenarios_integration: max_wait_overflows_to_a_callback_dialled_when_an_agent_is_free
TEST_F(CallCenterOnFakes, MaxWaitOverflowsToACallback) {
  with_trunk();
  routing.queues[0].max_wait = 3s;
  routing.queues[0].overflow.kind = acd::OverflowKind::Callback;
  set_up();
  Caller caller = dials("+15550111");
  advance(3s);
  if (media.playing(caller.endpoint)) playback_ends(caller.endpoint);
  EXPECT_TRUE(hung_up(caller.dialog));
  logged_in("alice", "1001");
  far_end_answers(0, 200);
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:+15551230000@carrier.example");
}

// call_center_integration: agent_pauses_the_recording_from_the_keypad
TEST_F(CallCenterOnFakes, TheAgentPausesTheRecordingFromTheKeypad) {
  const auto [caller, alice] = recorded_call_with_alice({});
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording);
  keys(alice, "*8");
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording_paused);
  advance(2s);
  keys(alice, "*9");
  EXPECT_FALSE(media.endpoints.at(caller.endpoint).recording_paused);
  hangs_up(caller);
  const std::string& ended = last_event(events::EventKind::Ended)->data;
  EXPECT_THAT(ended, HasSubstr(R"("recording_pauses":[[)"));
  EXPECT_THAT(ended, HasSubstr(R"({"name":"alice","role":"agent"})"));
}

// Consent first: the caller hears the notice, then the recording starts and the parties talk.
TEST_F(CallCenterOnFakes, TheConsentNoticeIsPlayedBeforeTheRecordingStarts) {
  const auto [caller, alice] = recorded_call_with_alice({"consent"});
  EXPECT_TRUE(media.playing(caller.endpoint));
  EXPECT_FALSE(media.endpoints.at(caller.endpoint).recording);
  playback_ends(caller.endpoint);
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording);
  EXPECT_TRUE(media.bridged(caller.endpoint, alice));
}

// call_scenarios_integration: a_caller_who_presses_nothing_gets_the_retries_then_the_failure_route
TEST_F(CallCenterOnFakes, ACallerWhoPressesNothingGetsTheRetriesThenTheFailureRoute) {
  flows.flows[0].nodes[0].retries = 2;
  set_up();
  Caller caller = dials("+15550100");
  playback_ends(caller.endpoint);  // the menu, then 5 s of silence
  advance(4s);
  EXPECT_FALSE(media.playing(caller.endpoint));
  advance(1s);
  ASSERT_TRUE(media.playing(caller.endpoint)) << "the menu again (the second try)";
  playback_ends(caller.endpoint);
  advance(5s);
  ASSERT_TRUE(media.playing(caller.endpoint)) << "goodbye (the failure route)";
  EXPECT_FALSE(hung_up(caller.dialog));
  playback_ends(caller.endpoint);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_THAT(media.log, ElementsAre("create 1", "play 1", "play 1", "play 1", "destroy 1"));
  EXPECT_EQ(center->active_calls(), 0u);
}

// call_center_integration: crm_lookup_routes_a_gold_customer_and_a_dead_crm_falls_back
TEST_F(CallCenterOnFakes, ACrmLookupRoutesAGoldCustomerAndADeadCrmFallsBack) {
  ivr::Flow crm;
  crm.name = "crm";
  ivr::Node lookup;
  lookup.name = "lookup";
  lookup.kind = ivr::NodeKind::Lookup;
  lookup.url = "http://crm.example/customers/${caller}";
  lookup.assign = {{"tier", "/tier"}};
  lookup.next.next = 1;
  lookup.on_failure.next = 3;
  ivr::Node tier;
  tier.name = "tier";
  tier.kind = ivr::NodeKind::Branch;
  tier.branch_variable = "tier";
  tier.cases = {{"gold", {2, {}}}};
  tier.otherwise.next = 3;
  crm.nodes = {lookup, tier, queue_node("sales", "sales"), queue_node("support", "support")};
  flows.flows.push_back(crm);
  config.inbound.push_back({"+15550133", "crm", "", false});
  set_up();

  Caller gold = dials("+15550133");
  ASSERT_EQ(lookups.pending.size(), 1u);
  EXPECT_EQ(lookups.pending[0].url, "http://crm.example/customers/+15551230000");
  ivr::LookupResult answer;
  answer.ok = true;
  answer.status = 200;
  answer.body = R"({"tier": "gold"})";
  lookups.answer_next(answer);
  advance();
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "sales");

  Caller plain = dials("+15550133");
  ASSERT_EQ(lookups.pending.size(), 1u);
  lookups.answer_next(ivr::LookupResult{});  // the CRM is down
  advance();
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "support");
  hangs_up(gold);
  hangs_up(plain);
}

// The agent hangs up first: the caller gets a BYE, the agent wraps up.
TEST_F(CallCenterOnFakes, TheAgentHangsUpFirst) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  far_end_hangs_up(0);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_THAT(last_event(events::EventKind::Ended)->data, HasSubstr("agent hung up"));
  EXPECT_EQ(media.alive(), 0u);
}

// call_scenarios_integration: sigterm_with_a_call_up_hangs_up_both_sides_and_closes_the_interaction
TEST_F(CallCenterOnFakes, ShutdownHangsUpBothSidesAndClosesTheInteraction) {
  set_up();
  logged_in("alice", "1001");
  Caller talking = dials("+15550111");
  far_end_answers(0, 200);
  Caller waiting = dials("+15550111");
  center->shutdown();
  advance();
  EXPECT_TRUE(hung_up(talking.dialog));
  EXPECT_TRUE(hung_up(waiting.dialog));
  EXPECT_TRUE(hung_up(far_end_dialog(0)));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
  Caller late = dials("+15550111");
  EXPECT_EQ(last_status(late.tx), 503);
}

}  // namespace
}  // namespace sb::call::testing

namespace sb::call::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// call_scenarios_integration: a_closed_line_takes_a_voicemail_of_max_length_then_says_goodbye
TEST_F(CallCenterOnFakes, AClosedLineTakesAVoicemailOfMaxLengthThenSaysGoodbye) {
  auto never_open = ivr::BusinessHours::create(ivr::BusinessCalendar{});
  ASSERT_TRUE(never_open);
  hours.emplace("office", std::move(*never_open));
  ivr::Flow closed;
  closed.name = "closed";
  ivr::Node check;
  check.name = "hours";
  check.kind = ivr::NodeKind::Hours;
  check.calendar = "office";
  check.open.next = 1;
  check.closed.next = 2;
  ivr::Node voicemail;
  voicemail.name = "voicemail";
  voicemail.kind = ivr::NodeKind::Voicemail;
  voicemail.mailbox = "support";
  voicemail.prompts = {"leave-a-message"};
  voicemail.max_length = 20s;
  voicemail.next.next = 3;
  closed.nodes = {check, queue_node("queue", "support"), voicemail, hangup_node("bye", {"goodbye"})};
  flows.flows.push_back(closed);
  config.inbound.push_back({"+15550144", "closed", "", false});
  set_up();

  Caller caller = dials("+15550144");
  ASSERT_TRUE(media.playing(caller.endpoint)) << "leave a message";
  playback_ends(caller.endpoint);
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording);
  advance(19s);
  EXPECT_TRUE(media.endpoints.at(caller.endpoint).recording);
  advance(1s);
  EXPECT_FALSE(media.endpoints.at(caller.endpoint).recording) << "20 s at most";
  ASSERT_TRUE(media.playing(caller.endpoint)) << "goodbye";
  playback_ends(caller.endpoint);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_THAT(last_event(events::EventKind::Ended)->data, HasSubstr("/voicemail/support/"));
  EXPECT_EQ(media.alive(), 0u);
}

// hardening_integration: a_call_whose_call_id_and_caller_are_not_utf8_is_logged_and_harms_nothing
TEST_F(CallCenterOnFakes, ACallerWhoseNumberAndCallIdAreNotUtf8HarmsNothing) {
  set_up();
  // A URI with such bytes gets 400 from the stack; a Call-ID and a display name may carry them.
  const sip::Message& invite = stack.receive(
      99,
      "INVITE sip:+15550111@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKutf8\nMax-Forwards: 70\n"
      "From: \"Caf\xe9" "\" <sip:+15551234@192.0.2.1>;tag=1\nTo: <sip:+15550111@192.0.2.4>\n"
      "Call-ID: bad\xff\xc3" "call\nCSeq: 1 INVITE\nContact: <sip:caller@192.0.2.1:5060>\n",
      party_sdp("192.0.2.1", 40000));
  center->handle_invite(sip::ServerTransactionId{99}, invite, sip::testing::udp_peer());
  advance();
  ASSERT_EQ(last_status(99), 200);
  Caller caller;
  caller.dialog = stack.dialogs.begin()->first;
  hangs_up(caller);
  for (const events::Event& e : events) {
    EXPECT_TRUE(nlohmann::json::accept(e.data)) << e.data;
  }
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued", "abandoned", "ended"));
}

// hardening_integration: serve_runs_the_routers_self_check_and_reports_it
TEST_F(CallCenterOnFakes, TheRoutersSelfCheckRunsEveryPeriod) {
  routing.self_check_every = 10s;
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  advance(25s);
  EXPECT_EQ(center->stats().self_checks, 2u);
  EXPECT_EQ(center->stats().invariant_violations, 0u);
  hangs_up(caller);
}

// hardening_integration: phones_and_agents_survive_a_kill_9 (what the store is told)
TEST_F(CallCenterOnFakes, EachLoginChangeIsToldForTheNextStart) {
  set_up();
  std::vector<std::string> told;
  center->set_agent_login_sink([&](const std::string& agent, const std::optional<AgentLogin>& login) {
    told.push_back(agent + (login ? " " + login->phone + (login->ready ? " ready" : " not-ready " + login->reason)
                                  : " out"));
  });
  registered("1001");
  feature("1001", "*1alice");
  feature("1001", "*31");
  feature("1001", "*0");
  EXPECT_THAT(told, ElementsAre("alice sip:1001@192.0.2.4 ready", "alice sip:1001@192.0.2.4 not-ready break",
                                "alice out"));
}

}  // namespace
}  // namespace sb::call::testing
