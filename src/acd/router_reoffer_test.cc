// acd/router_reoffer_test.cc: ring-no-answer and rejection: re-offering to the next agent, the
// re-offer exclusion (K), the missed penalty and automatic not-ready. Not logout while ringing
// (router_agent_state_test.cc).
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

class RouterReoffer : public ::testing::Test {
 protected:
  RouterReoffer() : clock_(at_nine()) {
    config_ = config_with_skills({"billing"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 3}});
  }
  QueueConfig& billing() { return config_.queues[index_of(billing_)]; }
  Router make() { return Router(clock_, config_); }
  // Logs in alice, then bob a second later (alice is the longest idle).
  void login_both(Router& router) {
    router.on_agent_login(alice_);
    clock_.advance(1s);
    router.on_agent_login(bob_);
  }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{}, bob_{};
};

TEST_F(RouterReoffer, TheQueuesRingTimeoutReoffersToTheNextAgent) {
  billing().ring_timeout = 20s;
  Router router = make();
  login_both(router);
  EXPECT_THAT(offered_agent(router.on_arrived(call(1, billing_))), Optional(alice_));
  clock_.advance(19s);
  EXPECT_THAT(router.on_tick(), IsEmpty());
  clock_.advance(1s);
  auto actions = router.on_tick();
  EXPECT_TRUE(cancels(actions, 1, alice_));
  EXPECT_THAT(offered_agent(actions), Optional(bob_));
  EXPECT_EQ(router.explanations(InteractionId{1})->back().kind, Explanation::Kind::Reoffered);
  expect_healthy(router);
  // The call layer's own timeout for alice, arriving late, changes nothing.
  EXPECT_THAT(router.on_ring_timeout(InteractionId{1}, alice_), IsEmpty());
  EXPECT_THAT(router.on_answered(InteractionId{1}, alice_), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterReoffer, TheCallLayersRingTimeoutReoffersToTheNextAgent) {
  Router router = make();
  login_both(router);
  router.on_arrived(call(1, billing_));
  auto actions = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_TRUE(cancels(actions, 1, alice_));
  EXPECT_THAT(offered_agent(actions), Optional(bob_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, EachRingTimeoutRunsFromItsOwnOffer) {
  billing().ring_timeout = 20s;
  Router router = make();
  login_both(router);
  router.on_arrived(call(1, billing_));
  clock_.advance(20s);
  router.on_tick();  // now ringing bob until 40 s
  clock_.advance(19s);
  EXPECT_THAT(router.on_tick(), IsEmpty());
  clock_.advance(1s);
  EXPECT_TRUE(cancels(router.on_tick(), 1, bob_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, TheSameAgentIsNotReofferedWithinTheExclusionEvenIfOnlyFree) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  auto actions = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_THAT(all_of_type<OfferToAgents>(actions), IsEmpty());
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::Available));
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 1);
  expect_healthy(router);
  clock_.advance(29s);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_tick()), IsEmpty());
  expect_healthy(router);
  clock_.advance(1s);
  EXPECT_THAT(offered_agent(router.on_tick()), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, WithTheQueueTimerTheExclusionRunsFromTheMiss) {
  billing().ring_timeout = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  clock_.advance(20s);
  router.on_tick();  // missed at 20 s: excluded until 50 s
  clock_.advance(29s);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_tick()), IsEmpty());
  clock_.advance(1s);
  EXPECT_THAT(offered_agent(router.on_tick()), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, AnExcludedAgentStillTakesOtherCallers) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_THAT(offered_agent(router.on_arrived(call(2, billing_))), Optional(alice_));
  router.on_answered(InteractionId{2}, alice_);
  router.on_ended(InteractionId{2});
  // Caller 1 waits behind nobody but still may not have alice within K.
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  expect_healthy(router);
}

TEST_F(RouterReoffer, AnExcludedHeadDoesNotBlockTheCallerBehindIt) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  router.on_ring_timeout(InteractionId{1}, alice_);
  // Caller 1 keeps the head of the queue but cannot have alice; caller 2 can.
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{2})->state, detail::InteractionState::Offered);
  expect_healthy(router);
}

TEST_F(RouterReoffer, AMissPutsTheAgentInMissedForThePenalty) {
  config_.missed.penalty = 10s;
  Router router = make();
  login_both(router);
  router.on_arrived(call(1, billing_));  // alice
  auto missed = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_THAT(reported_state(missed, alice_), Optional(AgentState::Missed));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Missed);
  EXPECT_THAT(offered_agent(missed), Optional(bob_));
  router.on_answered(InteractionId{1}, bob_);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(2, billing_))), IsEmpty());
  expect_healthy(router);
  clock_.advance(9s);
  EXPECT_THAT(router.on_tick(), IsEmpty());
  EXPECT_EQ(router.agent_state(alice_), AgentState::Missed);
  clock_.advance(1s);
  auto back = router.on_tick();
  EXPECT_THAT(reported_state(back, alice_), Optional(AgentState::Offered));
  EXPECT_THAT(offered_interaction(back), Optional(2u));
  EXPECT_THAT(offered_agent(back), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, MissedAgentsKeepTheirIdlePlace) {
  config_.missed.penalty = 10s;
  Router router = make();
  login_both(router);
  router.on_arrived(call(1, billing_));  // alice
  router.on_ring_timeout(InteractionId{1}, alice_);  // goes to bob
  router.on_answered(InteractionId{1}, bob_);
  router.on_ended(InteractionId{1});
  clock_.advance(10s);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  // alice has been idle since login, bob only since his call: alice first.
  EXPECT_THAT(offered_agent(router.on_arrived(call(2, billing_))), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, ConsecutiveMissesPutTheAgentNotReadyWithTheConfiguredReason) {
  config_.missed.auto_not_ready_after = 3;
  Router router = make();
  router.on_agent_login(alice_);
  Actions last;
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_THAT(offered_agent(router.on_arrived(call(id, billing_))), Optional(alice_));
    last = router.on_ring_timeout(InteractionId{id}, alice_);
    expect_healthy(router);
    if (id < 3) {
      EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
    }
  }
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  EXPECT_EQ(router.agent_reason(alice_), ReasonCode{3});
  auto changes = all_of_type<AgentStateChanged>(last);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().state, AgentState::NotReady);
  EXPECT_EQ(changes.back().reason, ReasonCode{3});
  // Not offered anything while not ready.
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(4, billing_))), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterReoffer, AnAnswerResetsTheMissCount) {
  config_.missed.auto_not_ready_after = 3;
  Router router = make();
  router.on_agent_login(alice_);
  uint64_t id = 0;
  auto miss_one = [&] {
    router.on_arrived(call(++id, billing_));
    router.on_ring_timeout(InteractionId{id}, alice_);
  };
  miss_one();
  miss_one();
  router.on_arrived(call(++id, billing_));
  answer_and_end(router, id, alice_);
  miss_one();
  miss_one();
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  miss_one();
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  expect_healthy(router);
}

TEST_F(RouterReoffer, ARejectionCountsAsAMiss) {
  config_.missed.auto_not_ready_after = 1;
  Router router = make();
  login_both(router);
  router.on_arrived(call(1, billing_));
  auto actions = router.on_rejected(InteractionId{1}, alice_);
  EXPECT_TRUE(cancels(actions, 1, alice_));
  EXPECT_THAT(offered_agent(actions), Optional(bob_));
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  EXPECT_EQ(router.agent_reason(alice_), ReasonCode{3});
  expect_healthy(router);
  // And it excludes alice from that caller like a ring-no-answer.
  router.on_rejected(InteractionId{1}, bob_);
  router.on_agent_ready(alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  expect_healthy(router);
}

TEST_F(RouterReoffer, ANotReadyAskedForWhileRingingAppliesWhenTheOfferIsMissed) {
  config_.missed.penalty = 10s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_agent_not_ready(alice_, ReasonCode{2});
  EXPECT_EQ(router.agent_state(alice_), AgentState::Offered);  // still ringing
  auto actions = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  EXPECT_EQ(router.agent_reason(alice_), ReasonCode{2});
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::NotReady));
  clock_.advance(1min);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  expect_healthy(router);
}

TEST_F(RouterReoffer, ANotReadyAskedForWhileRingingAppliesWithoutAMissedPenaltyToo) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_agent_not_ready(alice_, ReasonCode{2});
  router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  EXPECT_EQ(router.agent_reason(alice_), ReasonCode{2});
  expect_healthy(router);
}

TEST_F(RouterReoffer, TheExclusionStillEndsAfterTheCallerOverflowedToAnotherQueue) {
  const QueueId backup = add_queue(config_, "backup", {{SkillId{0}, 1}});
  billing().max_wait = 10s;
  billing().overflow = {OverflowKind::Queue, backup, ""};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_ring_timeout(InteractionId{1}, alice_);  // alice excluded until 30 s
  clock_.advance(10s);
  auto moved = router.on_tick();
  EXPECT_THAT(all_of_type<Overflow>(moved), SizeIs(1));
  EXPECT_THAT(all_of_type<OfferToAgents>(moved), IsEmpty());
  EXPECT_EQ(router.interaction(InteractionId{1})->queue, backup);
  expect_healthy(router);
  clock_.advance(20s);
  EXPECT_THAT(offered_agent(router.on_tick()), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterReoffer, AZeroExclusionReoffersToTheSameAgentAtOnce) {
  billing().reoffer_exclusion = 0s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  auto actions = router.on_ring_timeout(InteractionId{1}, alice_);
  EXPECT_THAT(offered_agent(actions), Optional(alice_));
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
