// acd/router_named_agent_test.cc: transfers to one agent by name (Router::on_arrived_for_agent):
// offered to that agent only, refused when the agent cannot take it, and back in the queue's
// hands when the agent lets it ring.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

class RouterNamedAgent : public ::testing::Test {
 protected:
  RouterNamedAgent() : clock_(at_nine()) {
    config_ = config_with_skills({"billing", "sales"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 3}});
    carol_ = add_agent(config_, "carol", {{SkillId{1}, 3}});  // not a billing agent
    config_.queues[index_of(billing_)].ring_timeout = 20s;
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{}, bob_{}, carol_{};
};

TEST_F(RouterNamedAgent, OffersToTheNamedAgentEvenWhenAnotherHasWaitedLonger) {
  Router router = make();
  router.on_agent_login(alice_);  // idle the longest: the queue's choice
  clock_.advance(5s);
  router.on_agent_login(bob_);
  auto actions = router.on_arrived_for_agent(call(1, billing_), bob_);
  EXPECT_THAT(offered_agents(actions), ElementsAre(bob_));
  EXPECT_EQ(router.agent_state(bob_), AgentState::Offered);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  EXPECT_EQ(router.explanations(InteractionId{1})->back().kind, Explanation::Kind::OfferedToNamedAgent);
  expect_healthy(router);
  router.on_answered(InteractionId{1}, bob_);
  EXPECT_EQ(router.agent_state(bob_), AgentState::Busy);
  expect_healthy(router);
}

TEST_F(RouterNamedAgent, AnAgentOutsideTheQueuesSkillsCanStillBeNamed) {
  Router router = make();
  router.on_agent_login(carol_);
  EXPECT_THAT(offered_agents(router.on_arrived_for_agent(call(1, billing_), carol_)), ElementsAre(carol_));
  expect_healthy(router);
}

TEST_F(RouterNamedAgent, ABusyNotReadyOrAbsentAgentIsRefusedAndNothingIsCreated) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));  // alice rings for call 1
  EXPECT_THAT(offered_agents(router.on_arrived_for_agent(call(2, billing_), alice_)), IsEmpty());
  EXPECT_FALSE(router.interaction(InteractionId{2}).has_value());
  EXPECT_THAT(offered_agents(router.on_arrived_for_agent(call(3, billing_), bob_)), IsEmpty());  // logged out
  router.on_agent_login(bob_, false);
  EXPECT_THAT(offered_agents(router.on_arrived_for_agent(call(4, billing_), bob_)), IsEmpty());  // not ready
  EXPECT_FALSE(router.interaction(InteractionId{4}).has_value());
  expect_healthy(router);
}

TEST_F(RouterNamedAgent, RingNoAnswerLeavesTheCallToTheQueue) {
  Router router = make();
  router.on_agent_login(bob_);
  router.on_arrived_for_agent(call(1, billing_), bob_);
  clock_.advance(1s);
  router.on_agent_login(alice_);  // free, but the call is bob's while he rings
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  expect_healthy(router);
  clock_.advance(20s);
  auto actions = router.on_tick();
  EXPECT_TRUE(cancels(actions, 1, bob_));
  EXPECT_THAT(offered_agent(actions), Optional(alice_));
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
