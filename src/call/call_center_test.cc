// The call center's scenarios on fakes: each mirrors an end-to-end test of
// tests/integration/call_center_integration.py (named in its comment) and runs in
// milliseconds, so every moment a caller or an agent can act at is cheap to cover.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "call/call_center_test_support.h"
#include "sip/dialog/dialog_test_support.h"

namespace sb::call::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// call_center_integration: caller_who_hangs_up_in_the_ivr_is_recorded_there
TEST_F(CallCenterOnFakes, ACallerWhoHangsUpInTheIvrIsRecordedThere) {
  set_up();
  Caller caller = dials("+15550100");
  ASSERT_EQ(last_status(caller.tx), 200);
  EXPECT_THAT(stack.last_response(caller.tx)->parts.body, HasSubstr("m=audio 3"));
  EXPECT_TRUE(media.playing(caller.endpoint)) << "the menu";
  EXPECT_EQ(center->active_calls(), 1u);

  hangs_up(caller);
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "abandoned", "ended"));
  EXPECT_EQ(last_event(events::EventKind::Abandoned)->data, R"({"node":"menu"})");
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
  EXPECT_TRUE(stack.hung_up.empty()) << "the caller's own BYE ended the dialog";
}

// call_center_integration: caller_presses_2_and_talks_to_the_billing_agent
TEST_F(CallCenterOnFakes, ACallerWhoPressesOneTalksToTheAgentWhoAnswers) {
  routing.queues[0].wrap_up = 5s;
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550100");
  presses(caller, '1');
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "ivr-exit", "queued", "offered"));
  ASSERT_EQ(stack.invites.size(), 1u);
  EXPECT_EQ(invite(0).request_uri, "sip:1001@192.0.2.11:5062");
  EXPECT_THAT(invite(0).sdp, HasSubstr("m=audio"));
  EXPECT_TRUE(media.playing(caller.endpoint)) << "music while alice's phone rings";

  far_end_answers(0, 180);
  sip::Dialog* agent = far_end_answers(0, 200);
  ASSERT_NE(agent, nullptr);
  const EndpointId agent_endpoint = media.endpoints.rbegin()->first;
  EXPECT_TRUE(media.bridged(caller.endpoint, agent_endpoint));
  EXPECT_FALSE(media.playing(caller.endpoint));
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "alice");
  EXPECT_EQ(center->stats().connected, 1u);

  hangs_up(caller);
  EXPECT_TRUE(hung_up(far_end_dialog(0))) << "BYE to alice's phone";
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "ivr-exit", "queued", "offered", "answered", "ended"));
  EXPECT_EQ(media.alive(), 0u);
  EXPECT_THAT(agent_events("alice"), ElementsAre("agent-login", "agent-ready", "agent-offered", "agent-busy",
                                                 "agent-wrap-up"));
  advance(5s);
  EXPECT_EQ(agent_events("alice").back(), "agent-ready");
  EXPECT_EQ(interaction_events().back(), "wrap-up-done");
}

// call_center_integration: caller_who_hangs_up_in_queue_is_recorded_as_abandoned
TEST_F(CallCenterOnFakes, ACallerWhoHangsUpInTheQueueIsAbandoned) {
  set_up();
  Caller caller = dials("+15550111");
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued"));
  advance(3s);
  hangs_up(caller);
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued", "abandoned", "ended"));
  EXPECT_EQ(center->stats().abandoned, 1u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: an_agent_who_does_not_answer_is_skipped_for_the_next
TEST_F(CallCenterOnFakes, AnAgentWhoDoesNotAnswerIsSkippedForTheNext) {
  set_up();
  logged_in("alice", "1001");
  advance(1s);
  logged_in("bob", "1002");
  Caller caller = dials("+15550111");
  ASSERT_EQ(stack.invites.size(), 1u) << "alice, idle longest";
  far_end_answers(0, 180);
  advance(15s);  // support's ring timeout
  EXPECT_TRUE(hung_up(far_end_dialog(0))) << "alice's INVITE is cancelled (her early dialog ended)";
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:1002@192.0.2.12:5062");
  far_end_answers(1, 200);
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "bob");
  EXPECT_THAT(agent_events("alice"), ::testing::Contains("agent-missed"));
}

// call_center_integration: caller_who_hangs_up_while_the_agent_rings_leaves_nothing_behind
TEST_F(CallCenterOnFakes, ACallerWhoHangsUpWhileTheAgentRingsLeavesNothingBehind) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 180);
  hangs_up(caller);
  EXPECT_TRUE(hung_up(far_end_dialog(0))) << "alice's INVITE is cancelled (her early dialog ended)";
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued", "offered", "abandoned", "ended"));
  EXPECT_EQ(media.alive(), 0u);
  // Alice's 200 crosses the CANCEL: her leg is ended with a BYE, the call stays over.
  far_end_answers(0, 200);
  EXPECT_TRUE(hung_up(far_end_dialog(0)));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: early_media_line_is_answered_only_when_the_agent_answers
TEST_F(CallCenterOnFakes, AnEarlyMediaLineIsAnsweredOnlyWhenTheAgentAnswers) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550122");
  EXPECT_EQ(last_status(caller.tx), 183);
  EXPECT_TRUE(media.playing(caller.endpoint)) << "music in early media";
  far_end_answers(0, 200);
  EXPECT_EQ(last_status(caller.tx), 200);
  EXPECT_EQ(stack.responses_with(caller.tx, 200), 1u);
}

// call_center_integration: caller_who_cancels_in_early_media_leaves_nothing_behind
TEST_F(CallCenterOnFakes, ACallerWhoCancelsInEarlyMediaLeavesNothingBehind) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550122");
  center->handle_cancel(sip::ServerTransactionId{caller.tx});
  hangs_up(caller);  // the stack ends the early dialog after its 487
  EXPECT_THAT(stack.cancelled, ElementsAre(1u));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: a_caller_whose_session_timer_runs_out_is_hung_up
TEST_F(CallCenterOnFakes, ACallerWhoseSessionTimerRunsOutIsHungUp) {
  set_up();
  Caller caller = dials("+15550111", "Supported: timer\nSession-Expires: 90;refresher=uac\n");
  EXPECT_EQ(stack.last_response(caller.tx)->header("Session-Expires"), "90;refresher=uac");
  advance(59s);
  EXPECT_EQ(center->active_calls(), 1u);
  advance(2s);  // RFC 4028 §10: BYE at 90 - min(32, 90/3) = 60 s without a refresh
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_THAT(last_event(events::EventKind::Ended)->data, HasSubstr("session timer expired"));
}

// A refresh (a re-INVITE with the same description) keeps the call.
TEST_F(CallCenterOnFakes, ACallerWhoRefreshesTheSessionStays) {
  set_up();
  Caller caller = dials("+15550111", "Supported: timer\nSession-Expires: 90;refresher=uac\n");
  advance(40s);
  const uint64_t tx = request_in(caller.dialog, "INVITE", "Supported: timer\nSession-Expires: 90;refresher=uac\n",
                                 party_sdp("192.0.2.1", 40002));
  EXPECT_EQ(last_status(tx), 200);
  advance(40s);
  EXPECT_EQ(center->active_calls(), 1u);
  advance(25s);
  EXPECT_EQ(center->active_calls(), 0u);
}

// call_center_integration: a_caller_whose_media_stops_is_hung_up
TEST_F(CallCenterOnFakes, ACallerWhoseMediaStopsIsHungUp) {
  set_up();
  Caller caller = dials("+15550111");
  media_times_out(caller.endpoint);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_THAT(last_event(events::EventKind::Ended)->data, HasSubstr("media"));
}

// call_center_integration: agent_holds_and_resumes_the_caller
TEST_F(CallCenterOnFakes, AnAgentHoldsAndResumesTheCaller) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  const EndpointId agent_endpoint = media.endpoints.rbegin()->first;
  const uint64_t hold = request_in(far_end_dialog(0), "INVITE", "", party_sdp("192.0.2.20", 50000, "sendonly"));
  EXPECT_EQ(last_status(hold), 200);
  EXPECT_THAT(stack.last_response(hold)->parts.body, HasSubstr("a=recvonly"));
  EXPECT_TRUE(media.playing(caller.endpoint)) << "music on hold";
  const uint64_t resume = request_in(far_end_dialog(0), "INVITE", "", party_sdp("192.0.2.20", 50000));
  EXPECT_EQ(last_status(resume), 200);
  EXPECT_FALSE(media.playing(caller.endpoint));
  EXPECT_TRUE(media.bridged(caller.endpoint, agent_endpoint));
  hangs_up(caller);
  auto kinds = interaction_events();
  EXPECT_THAT(std::vector<std::string>(kinds.begin() + 3, kinds.begin() + 7),
              ElementsAre("answered", "held", "resumed", "ended"));
}

// call_center_integration: agent_blind_transfers_the_caller_to_the_sales_queue
TEST_F(CallCenterOnFakes, AnAgentBlindTransfersTheCallerToTheSalesQueue) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  const uint64_t refer = request_in(far_end_dialog(0), "REFER", "Refer-To: <sip:sales@192.0.2.4>\n");
  EXPECT_EQ(last_status(refer), 202);
  EXPECT_TRUE(media.playing(caller.endpoint)) << "sales' music";
  EXPECT_EQ(last_event(events::EventKind::Transferred)->queue, "support");
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "sales");
  EXPECT_EQ(stack.invites.size(), 1u) << "nobody in sales is logged in";
  EXPECT_TRUE(hung_up(far_end_dialog(0))) << "alice's leg ends";
  logged_in("bob", "1002");  // sales offers bob the caller
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:1002@192.0.2.12:5062");
  far_end_answers(1, 200);
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "bob");
  EXPECT_EQ(last_event(events::EventKind::Answered)->queue, "sales");
}

// The number the caller dialled is nobody's.
TEST_F(CallCenterOnFakes, AnUnknownNumberIsNotFound) {
  set_up();
  Caller caller = dials("+15559999");
  EXPECT_EQ(last_status(caller.tx), 404);
  EXPECT_EQ(media.alive(), 0u);
}

// No RTP port left: the caller hears 503, nothing is held.
TEST_F(CallCenterOnFakes, WithoutAPortLeftTheCallerGetsServiceUnavailable) {
  set_up();
  media.refuse_endpoints = true;
  Caller caller = dials("+15550111");
  EXPECT_EQ(last_status(caller.tx), 503);
  EXPECT_EQ(center->active_calls(), 0u);
}

// An offer we cannot take (no codec in common, or no description at all) is 488; the stack's
// error codes pick the status (sip/error_status.h), not text in the error.
TEST_F(CallCenterOnFakes, AnOfferWithNoCodecInCommonIsNotAcceptableHere) {
  set_up();
  const std::string g729 = sip::testing::crlf(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 40000 RTP/AVP 18\na=rtpmap:18 G729/8000\n");
  Caller caller = invite_arrives("+15551230000", "192.0.2.1", "+15550111", "", "g729@192.0.2.1", 1, g729);
  EXPECT_EQ(last_status(caller.tx), 488);
  EXPECT_EQ(stack.last_response(caller.tx)->reason, "Not Acceptable Here");
  Caller garbage = invite_arrives("+15551230000", "192.0.2.1", "+15550111", "", "junk@192.0.2.1", 1, "v=0\r\nbogus\r\n");
  EXPECT_EQ(last_status(garbage.tx), 488);
  EXPECT_EQ(media.alive(), 0u);
  EXPECT_EQ(center->active_calls(), 0u);
}

// call_center_integration: calls_from_outside_the_carriers_networks_are_refused
TEST_F(CallCenterOnFakes, CallsFromOutsideTheCarriersNetworksAreRefused) {
  config.carriers = *AddressFilter::parse({"198.51.100.0/24"});
  set_up();
  Caller caller = dials("+15550111");
  EXPECT_EQ(last_status(caller.tx), 403);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: admin_reload_and_sighup_change_new_calls_only
TEST_F(CallCenterOnFakes, AReloadChangesNewCallsOnly) {
  set_up();
  Caller first = dials("+15550100");
  CallCenterConfig changed = config;
  changed.inbound = {{"+15550100", "", "sales", false}};
  center->reload(std::make_shared<const ivr::FlowSet>(flows), {},
                 std::make_shared<const PromptLibrary>(prompt_folder->dir(), std::vector<std::string>{"en"}), changed);
  presses(first, '1');
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "support") << "the first call keeps its flow";
  Caller second = dials("+15550100");
  EXPECT_EQ(last_event(events::EventKind::Queued)->queue, "sales");
  EXPECT_EQ(center->active_calls(), 2u);
}

}  // namespace
}  // namespace sb::call::testing
