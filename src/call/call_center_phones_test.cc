// Agents' and supervisors' phones on fakes: feature codes behind digest authentication, the
// agent's state as the phone sets it, and supervision (monitor, whisper, barge).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "call/call_center_test_support.h"

namespace sb::call::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// call_scenarios_integration: agent_goes_not_ready_ready_and_logs_out_from_the_phone
TEST_F(CallCenterOnFakes, AnAgentGoesNotReadyReadyAndLogsOutFromThePhone) {
  set_up();
  registered("1001");
  EXPECT_EQ(feature("1001", "*1alice"), 200);
  EXPECT_EQ(feature("1001", "*31"), 200);
  EXPECT_THAT(agent_events("alice"), ElementsAre("agent-login", "agent-ready", "agent-not-ready"));
  EXPECT_THAT(last_event(events::EventKind::AgentNotReady)->data, HasSubstr("break"));

  // A caller arrives while alice is on a break: queued, offered to nobody.
  Caller caller = dials("+15550111");
  EXPECT_TRUE(stack.invites.empty());
  advance(4s);
  EXPECT_EQ(feature("1001", "*2"), 200);  // ready: the waiting caller is hers at once
  ASSERT_EQ(stack.invites.size(), 1u);
  far_end_answers(0, 200);
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "alice");
  EXPECT_THAT(last_event(events::EventKind::Answered)->data, HasSubstr(R"("wait_ms":4)"));
  hangs_up(caller);

  EXPECT_EQ(feature("1001", "*0"), 200);
  EXPECT_EQ(agent_events("alice").back(), "agent-logout");
  Caller second = dials("+15550111");
  EXPECT_EQ(stack.invites.size(), 1u) << "logged out: offered to nobody";
  hangs_up(second);
  EXPECT_EQ(center->agents_summary(), "none logged in");
  EXPECT_EQ(center->stats().feature_codes, 4u);
}

// A phone without the right password gets 403, and no agent logs in.
TEST_F(CallCenterOnFakes, AWrongPasswordIsRefused) {
  set_up();
  registered("1001");
  Caller first = dials("*1alice");  // from a number with no account: challenged like any phone
  EXPECT_EQ(last_status(first.tx), 407);
  config.accounts[0].password = "other";
  Caller phone = phone_dials("1001", "*1alice");
  EXPECT_EQ(last_status(phone.tx), 200) << "the center still has the old password";
  set_up();  // now it has "other"
  Caller refused = phone_dials("1001", "*1alice");
  EXPECT_EQ(last_status(refused.tx), 403);
}

// hardening_integration: a_login_from_a_phone_that_never_registered_is_not_ready
TEST_F(CallCenterOnFakes, ALoginFromAPhoneThatNeverRegisteredIsNotReady) {
  set_up();
  EXPECT_EQ(feature("1001", "*1alice"), 200);
  EXPECT_EQ(agent_events("alice").back(), "agent-not-ready");
  EXPECT_THAT(last_event(events::EventKind::AgentNotReady)->data, HasSubstr("no-phone"));
  registered("1001");
  locations.set_bindings(aor("1001"), locations.lookup(aor("1001")));  // the observer hears it
  advance();
  EXPECT_EQ(agent_events("alice").back(), "agent-ready");
}

// hardening_integration: an_agent_whose_phone_unregisters_is_not_ready_until_it_registers_again
TEST_F(CallCenterOnFakes, AnAgentWhosePhoneUnregistersIsNotReadyUntilItRegistersAgain) {
  set_up();
  logged_in("alice", "1001");
  const auto bindings = locations.lookup(aor("1001"));
  locations.set_bindings(aor("1001"), {});
  advance();
  EXPECT_EQ(agent_events("alice").back(), "agent-not-ready");
  Caller caller = dials("+15550111");
  EXPECT_TRUE(stack.invites.empty());
  locations.set_bindings(aor("1001"), bindings);
  advance();
  EXPECT_EQ(agent_events("alice").back(), "agent-offered") << "ready again, and the waiting caller is hers";
  EXPECT_EQ(stack.invites.size(), 1u);
}

// hardening_integration: with_logged_out_as_the_policy_a_phone_less_login_is_refused
TEST_F(CallCenterOnFakes, WithLoggedOutAsThePolicyAPhoneLessLoginIsRefused) {
  routing.without_phone.log_out = true;
  set_up();
  Caller phone = phone_dials("1001", "*1alice");
  EXPECT_EQ(last_status(phone.tx), 480);
  EXPECT_TRUE(agent_events("alice").empty());
}

// call_scenarios_integration: supervisor_barge_is_heard_by_caller_and_agent, and
// call_center_integration: supervisor_whisper_stays_out_of_the_callers_channel
TEST_F(CallCenterOnFakes, ASupervisorMonitorsWhispersAndBarges) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  const EndpointId agent_endpoint = media.endpoints.rbegin()->first;
  for (auto [code, mode] : {std::pair{"*5alice", media::mixer::SupervisionMode::Monitor},
                            std::pair{"*6alice", media::mixer::SupervisionMode::Whisper},
                            std::pair{"*7alice", media::mixer::SupervisionMode::Barge}}) {
    Caller carol = phone_dials("1003", code);
    ASSERT_EQ(last_status(carol.tx), 200) << code;
    ASSERT_FALSE(media.supervised.empty());
    EXPECT_EQ(media.supervised.back(), std::pair(carol.endpoint, mode)) << code;
    hangs_up(carol);
    EXPECT_TRUE(media.endpoints.at(carol.endpoint).destroyed);
    EXPECT_TRUE(media.bridged(caller.endpoint, agent_endpoint)) << "back to the direct bridge after " << code;
  }
  hangs_up(caller);
  EXPECT_EQ(media.alive(), 0u);
}

// Supervising an agent who is not on a call is refused, and nothing is left behind.
TEST_F(CallCenterOnFakes, SupervisingAnIdleAgentIsRefused) {
  set_up();
  logged_in("alice", "1001");
  Caller carol = phone_dials("1003", "*5alice");
  EXPECT_GE(last_status(carol.tx), 400);
  EXPECT_EQ(media.alive(), 0u);
}

// When the call ends, the supervisor's leg ends with it.
TEST_F(CallCenterOnFakes, TheSupervisorIsHungUpWhenTheCallEnds) {
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  Caller carol = phone_dials("1003", "*7alice");
  ASSERT_EQ(last_status(carol.tx), 200);
  hangs_up(caller);
  EXPECT_TRUE(hung_up(carol.dialog));
  EXPECT_EQ(media.alive(), 0u);
}

}  // namespace
}  // namespace sb::call::testing
