// acd/router_test.cc: the router's basic flow: offers, answers, wrap-up, global order.
#include "acd/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::Optional;

class RouterBasics : public ::testing::Test {
 protected:
  RouterBasics() : clock_(at_nine()) {
    config_ = config_with_skills({"billing", "english"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 3}});
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{}, bob_{};
};

TEST_F(RouterBasics, LongestIdleAgentWinsWhenSkillsTie) {
  Router router = make();
  router.on_agent_login(alice_);
  clock_.advance(30s);
  router.on_agent_login(bob_);
  EXPECT_THAT(offered_agent(router.on_arrived(call(1, billing_))), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterBasics, CallerQueuesWhenNobodyIsFreeAndGoesToFirstFreedAgent) {
  Router router = make();
  auto queued = all_of_type<Queued>(router.on_arrived(call(1, billing_)));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].position, 1);
  EXPECT_EQ(router.queue_snapshot(billing_).waiting, 1);
  expect_healthy(router);
  EXPECT_THAT(offered_agent(router.on_agent_login(bob_)), Optional(bob_));
  EXPECT_EQ(router.agent_state(bob_), AgentState::Offered);
  expect_healthy(router);
}

TEST_F(RouterBasics, AnswerMakesAgentBusyAndEndStartsWrapUpForTheQueueTime) {
  config_.queues[0].wrap_up = 15s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Busy);
  clock_.advance(100s);
  router.on_ended(InteractionId{1});
  EXPECT_EQ(router.agent_state(alice_), AgentState::WrapUp);
  router.on_arrived(call(2, billing_));
  clock_.advance(14s);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::WrapUp);
  expect_healthy(router);
  clock_.advance(1s);
  auto actions = router.on_tick();
  EXPECT_THAT(offered_interaction(actions), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterBasics, HigherPriorityIsServedFirstThenSeniority) {
  Router router = make();
  router.on_arrived(call(1, billing_, 0));
  clock_.advance(5s);
  router.on_arrived(call(2, billing_, 5));
  clock_.advance(5s);
  router.on_arrived(call(3, billing_, 0));
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 2);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 3);
  EXPECT_THAT(offered_interaction(router.on_agent_login(alice_)), Optional(2u));
  EXPECT_THAT(offered_interaction(router.on_agent_login(bob_)), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterBasics, UnknownIdsAndDuplicatesAreIgnoredNotFatal) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  EXPECT_TRUE(router.on_arrived(call(1, billing_)).empty());
  EXPECT_TRUE(router.on_arrived(call(2, QueueId{99})).empty());
  EXPECT_TRUE(router.on_answered(InteractionId{7}, alice_).empty());
  EXPECT_TRUE(router.on_agent_login(AgentId{42}).empty());
  EXPECT_TRUE(router.on_answered(InteractionId{1}, alice_).empty());  // not offered to alice
  EXPECT_EQ(router.waiting_count(), 1u);
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
