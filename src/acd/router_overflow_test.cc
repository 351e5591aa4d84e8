// acd/router_overflow_test.cc: leaving a queue: on max wait, or when nobody can serve it, to
// another queue (keeping seniority), voicemail, hang-up or a callback. Not expansion.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

constexpr SkillId kBilling{0};
constexpr SkillId kBackup{1};

class RouterOverflow : public ::testing::Test {
 protected:
  RouterOverflow() : clock_(at_nine()) {
    config_ = config_with_skills({"billing", "backup"});
    billing_ = add_queue(config_, "billing", {{kBilling, 1}});
    backup_ = add_queue(config_, "backup", {{kBackup, 1}});
    alice_ = add_agent(config_, "alice", {{kBilling, 3}});
    bob_ = add_agent(config_, "bob", {{kBilling, 3}});
    carol_ = add_agent(config_, "carol", {{kBackup, 3}});
  }
  QueueConfig& billing() { return config_.queues[index_of(billing_)]; }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{}, backup_{};
  AgentId alice_{}, bob_{}, carol_{};
};

TEST_F(RouterOverflow, MaxWaitMovesTheCallerToTheTargetQueue) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(59s);
  EXPECT_THAT(router.on_tick(), IsEmpty());
  clock_.advance(1s);
  auto actions = router.on_tick();
  auto overflows = all_of_type<Overflow>(actions);
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(overflows[0].from, billing_);
  EXPECT_EQ(overflows[0].to.kind, OverflowKind::Queue);
  EXPECT_EQ(overflows[0].to.queue, backup_);
  EXPECT_EQ(overflows[0].why, Overflow::Why::MaxWait);
  auto queued = all_of_type<Queued>(actions);
  ASSERT_THAT(queued, SizeIs(1));
  EXPECT_EQ(queued[0].queue, backup_);
  EXPECT_EQ(router.interaction(InteractionId{1})->queue, backup_);
  EXPECT_EQ(router.waiting_count(billing_), 0u);
  EXPECT_EQ(router.waiting_count(backup_), 1u);
  expect_healthy(router);
  EXPECT_THAT(offered_agent(router.on_agent_login(carol_)), Optional(carol_));
  expect_healthy(router);
}

TEST_F(RouterOverflow, AnOverflowedCallerIsOfferedAtOnceWhenTheTargetHasAFreeAgent) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  Router router = make();
  router.on_agent_login(carol_);
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  EXPECT_THAT(offered_agent(router.on_tick()), Optional(carol_));
  expect_healthy(router);
}

TEST_F(RouterOverflow, AnOverflowedCallerKeepsSeniorityOverNewerCallersOfTheTarget) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(30s);
  router.on_arrived(call(2, backup_));
  clock_.advance(30s);
  router.on_tick();
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 2);
  EXPECT_THAT(offered_interaction(router.on_agent_login(carol_)), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterOverflow, ANewerCallerOfHigherPriorityStillGoesFirstInTheTarget) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(30s);
  router.on_arrived(call(2, backup_, 5));
  clock_.advance(30s);
  router.on_tick();
  EXPECT_THAT(offered_interaction(router.on_agent_login(carol_)), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterOverflow, TheTargetQueuesTimersRunFromEntryIntoIt) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  QueueConfig& backup = config_.queues[index_of(backup_)];
  backup.max_wait = 60s;
  backup.overflow = {OverflowKind::Voicemail, {}, "leave a message"};
  backup.expansion = {add_queue_after(30s, billing_)};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  router.on_tick();  // into backup at 60 s
  clock_.advance(29s);
  router.on_tick();
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 0);
  clock_.advance(1s);
  router.on_tick();
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 1);
  clock_.advance(29s);
  EXPECT_THAT(all_of_type<Overflow>(router.on_tick()), IsEmpty());
  clock_.advance(1s);
  auto overflows = all_of_type<Overflow>(router.on_tick());
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(overflows[0].from, backup_);
  EXPECT_EQ(overflows[0].to.kind, OverflowKind::Voicemail);
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterOverflow, VoicemailTakesTheCallerOutOfTheRouter) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Voicemail, {}, "leave a message"};
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  clock_.advance(60s);
  auto overflows = all_of_type<Overflow>(router.on_tick());
  ASSERT_THAT(overflows, SizeIs(2));
  EXPECT_EQ(overflows[0].to.kind, OverflowKind::Voicemail);
  EXPECT_EQ(overflows[0].to.message, "leave a message");
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  EXPECT_FALSE(router.interaction(InteractionId{2}));
  EXPECT_EQ(router.waiting_count(), 0u);
  EXPECT_EQ(router.queue_snapshot(billing_).waiting, 0);
  expect_healthy(router);
  // Nothing is left to offer when an agent comes.
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_agent_login(alice_)), IsEmpty());
  ASSERT_NE(router.explanations(InteractionId{1}), nullptr);
  EXPECT_EQ(router.explanations(InteractionId{1})->back().kind, Explanation::Kind::Overflowed);
}

TEST_F(RouterOverflow, WithoutATargetMaxWaitHangsUp) {
  billing().max_wait = 60s;
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  auto overflows = all_of_type<Overflow>(router.on_tick());
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(overflows[0].to.kind, OverflowKind::Hangup);
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterOverflow, CallbackTargetKeepsTheCallersPlaceInVirtualHold) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Callback, {}, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(10s);
  router.on_arrived(call(2, billing_));
  clock_.advance(50s);
  auto overflows = all_of_type<Overflow>(router.on_tick());
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(overflows[0].to.kind, OverflowKind::Callback);
  auto snap = router.interaction(InteractionId{1});
  ASSERT_TRUE(snap);
  EXPECT_TRUE(snap->virtual_hold);
  EXPECT_EQ(snap->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 2);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 1);
  EXPECT_EQ(router.queue_snapshot(billing_).waiting, 2);
  expect_healthy(router);
  // The callback is not overflowed again, however long it waits.
  clock_.advance(1h);
  auto later = router.on_tick();
  EXPECT_THAT(all_of_type<Overflow>(later), SizeIs(1));  // call 2's own max wait
  EXPECT_TRUE(router.interaction(InteractionId{1}));
  auto offers = all_of_type<OfferToAgents>(router.on_agent_login(alice_));
  ASSERT_THAT(offers, SizeIs(1));
  EXPECT_EQ(index_of(offers[0].interaction), 1u);
  EXPECT_TRUE(offers[0].callback);
  expect_healthy(router);
}

TEST_F(RouterOverflow, NoAgentsOnArrivalOverflowsAtOnce) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  auto actions = router.on_arrived(call(1, billing_));
  auto overflows = all_of_type<Overflow>(actions);
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(overflows[0].why, Overflow::Why::NoAgents);
  EXPECT_THAT(all_of_type<Queued>(actions), IsEmpty());
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterOverflow, NoAgentsDoesNotApplyWhileAnEligibleAgentIsLoggedIn) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);  // alice busy, but logged in
  auto actions = router.on_arrived(call(2, billing_));
  EXPECT_THAT(all_of_type<Overflow>(actions), IsEmpty());
  EXPECT_THAT(all_of_type<Queued>(actions), SizeIs(1));
  expect_healthy(router);
}

TEST_F(RouterOverflow, NoAgentsOnArrivalCountsAgentsOfLaterSteps) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  billing().expansion = {add_queue_after(30s, backup_)};
  Router router = make();
  router.on_agent_login(carol_);  // eligible only from step 1
  auto actions = router.on_arrived(call(1, billing_));
  EXPECT_THAT(all_of_type<Overflow>(actions), IsEmpty());
  clock_.advance(30s);
  EXPECT_THAT(offered_agent(router.on_tick()), Optional(carol_));
  expect_healthy(router);
}

TEST_F(RouterOverflow, ACallbackTakenOnArrivalForLackOfAgentsStillWidensItsEligibility) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Callback, {}, ""};
  billing().expansion = {add_queue_after(30s, backup_)};
  Router router = make();
  auto arrival = router.on_arrived(call(1, billing_));
  EXPECT_THAT(all_of_type<Overflow>(arrival), SizeIs(1));
  EXPECT_TRUE(router.interaction(InteractionId{1})->virtual_hold);
  clock_.advance(10s);
  router.on_agent_login(carol_);  // a backup agent: eligible for billing from step 1
  EXPECT_EQ(router.agent_state(carol_), AgentState::Available);
  clock_.advance(20s);
  auto offers = all_of_type<OfferToAgents>(router.on_tick());
  ASSERT_THAT(offers, SizeIs(1));
  EXPECT_TRUE(offers[0].callback);
  EXPECT_THAT(offers[0].agents, ::testing::ElementsAre(carol_));
  expect_healthy(router);
}

TEST_F(RouterOverflow, AReusedInteractionIdIsNotHitByTheTimersOfItsEarlierLife) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(10s);
  router.on_abandoned(InteractionId{1});
  clock_.advance(10s);
  router.on_arrived(call(1, billing_));  // same id again: max wait now ends at 80 s
  clock_.advance(40s);
  EXPECT_THAT(all_of_type<Overflow>(router.on_tick()), IsEmpty());
  EXPECT_TRUE(router.interaction(InteractionId{1}));
  clock_.advance(20s);
  EXPECT_THAT(all_of_type<Overflow>(router.on_tick()), SizeIs(1));
  expect_healthy(router);
}

TEST_F(RouterOverflow, WhenTheLastAgentLogsOutWaitingCallersOverflow) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Queue, backup_, ""};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_agent_login(bob_);
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_answered(InteractionId{2}, bob_);
  router.on_arrived(call(3, billing_));
  router.on_arrived(call(4, billing_));
  EXPECT_THAT(all_of_type<Overflow>(router.on_agent_logout(alice_)), IsEmpty());
  expect_healthy(router);
  auto actions = router.on_agent_logout(bob_);
  auto overflows = all_of_type<Overflow>(actions);
  ASSERT_THAT(overflows, SizeIs(2));
  EXPECT_EQ(overflows[0].why, Overflow::Why::NoAgents);
  EXPECT_EQ(router.interaction(InteractionId{3})->queue, backup_);
  EXPECT_EQ(router.interaction(InteractionId{4})->queue, backup_);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 1);
  // The connected calls are not touched.
  EXPECT_EQ(router.interaction(InteractionId{1})->state, detail::InteractionState::Connected);
  expect_healthy(router);
}

TEST_F(RouterOverflow, WhenTheLastAgentLogsOutACallbackTargetPutsCallersInVirtualHoldOnce) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Callback, {}, ""};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_arrived(call(2, billing_));
  router.on_arrived(call(3, billing_));
  auto actions = router.on_agent_logout(alice_);
  EXPECT_THAT(all_of_type<Overflow>(actions), SizeIs(2));
  EXPECT_TRUE(router.interaction(InteractionId{2})->virtual_hold);
  EXPECT_TRUE(router.interaction(InteractionId{3})->virtual_hold);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 2);
  expect_healthy(router);
  // They are called back as soon as someone logs in, oldest first.
  auto offers = all_of_type<OfferToAgents>(router.on_agent_login(bob_));
  ASSERT_THAT(offers, SizeIs(1));
  EXPECT_EQ(index_of(offers[0].interaction), 2u);
  EXPECT_TRUE(offers[0].callback);
  expect_healthy(router);
}

TEST_F(RouterOverflow, ACallbackInVirtualHoldStaysWhenTheLastAgentLogsOut) {
  billing().overflow_when_no_agents = true;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  billing().callback_after = 30s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_arrived(call(2, billing_));
  router.on_arrived(call(3, billing_));
  clock_.advance(30s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{2});
  auto overflows = all_of_type<Overflow>(router.on_agent_logout(alice_));
  ASSERT_THAT(overflows, SizeIs(1));  // caller 3, on the line
  EXPECT_EQ(index_of(overflows[0].interaction), 3u);
  ASSERT_TRUE(router.interaction(InteractionId{2}));  // the promised callback is kept
  EXPECT_TRUE(router.interaction(InteractionId{2})->virtual_hold);
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(router.on_agent_login(bob_)), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterOverflow, MaxWaitWhileRingingOverflowsWhenTheOfferFails) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(55s);
  router.on_agent_login(alice_);  // rings alice
  router.on_agent_login(bob_);
  clock_.advance(10s);
  EXPECT_THAT(all_of_type<Overflow>(router.on_tick()), IsEmpty());  // ringing: not now
  auto actions = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_THAT(all_of_type<Overflow>(actions), SizeIs(1));  // not re-offered to bob
  EXPECT_THAT(all_of_type<OfferToAgents>(actions), IsEmpty());
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterOverflow, AnAnsweredCallIsNeverOverflowed) {
  billing().max_wait = 60s;
  billing().overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  clock_.advance(10min);
  EXPECT_THAT(all_of_type<Overflow>(router.on_tick()), IsEmpty());
  EXPECT_EQ(router.interaction(InteractionId{1})->state, detail::InteractionState::Connected);
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
