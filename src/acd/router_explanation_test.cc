// acd/router_explanation_test.cc: "why did this call go to Bob": explain() names the decision,
// the chosen agent, the strategy and the eligibility step, and survives the interaction's end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class RouterExplanation : public ::testing::Test {
 protected:
  RouterExplanation() : clock_(at_nine()) {
    config_ = config_with_skills({"billing"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 4}}, Strategy::BestSkillMatch);
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 5}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 4}});
    junior_ = add_agent(config_, "junior", {{SkillId{0}, 2}});
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{}, bob_{}, junior_{};
};

TEST_F(RouterExplanation, NamesTheChosenAgentTheStrategyAndTheStep) {
  Router router = make();
  router.on_agent_login(bob_);
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  const std::string text = router.explain(InteractionId{1});
  EXPECT_THAT(text, HasSubstr("queue billing step 0 (best-skill-match)"));
  EXPECT_THAT(text, HasSubstr("offered on arrival -> alice"));
  EXPECT_THAT(text, HasSubstr("2 free eligible"));
  EXPECT_THAT(text, HasSubstr("ranking: alice"));
  const auto* list = router.explanations(InteractionId{1});
  ASSERT_NE(list, nullptr);
  ASSERT_THAT(*list, SizeIs(1));
  EXPECT_EQ(list->front().chosen, alice_);
  EXPECT_EQ(list->front().strategy, Strategy::BestSkillMatch);
  EXPECT_EQ(list->front().step, 0);
}

TEST_F(RouterExplanation, TellsTheStoryOfAQueuedThenWidenedCall) {
  config_.queues[0].expansion = {lower_proficiency_after(30s, 2)};
  Router router = make();
  router.on_agent_login(junior_);
  router.on_arrived(call(1, billing_));
  clock_.advance(30s);
  router.on_tick();
  const std::string text = router.explain(InteractionId{1});
  EXPECT_THAT(text, HasSubstr("queued: no eligible agent free"));
  EXPECT_THAT(text, HasSubstr("step 1 (best-skill-match): eligibility widened"));
  EXPECT_THAT(text, HasSubstr("step 1 (best-skill-match): offered after eligibility widened -> junior"));
}

TEST_F(RouterExplanation, SaysWhenAFreedAgentTookTheCall) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_agent_login(bob_);
  EXPECT_THAT(router.explain(InteractionId{1}),
              HasSubstr("offered when an agent became free -> bob"));
}

TEST_F(RouterExplanation, SaysTheCallWasReofferedAfterAMiss) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_agent_login(bob_);
  router.on_arrived(call(1, billing_));  // alice
  router.on_ring_timeout(InteractionId{1}, alice_);
  const std::string text = router.explain(InteractionId{1});
  EXPECT_THAT(text, HasSubstr("re-offered -> bob"));
}

TEST_F(RouterExplanation, StaysAvailableAfterTheInteractionEnded) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  EXPECT_THAT(router.explain(InteractionId{1}), HasSubstr("-> alice"));
}

TEST_F(RouterExplanation, StaysAvailableAfterAbandonAndOverflow) {
  config_.queues[0].max_wait = 60s;
  config_.queues[0].overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  router.on_abandoned(InteractionId{1});
  clock_.advance(60s);
  router.on_tick();
  EXPECT_THAT(router.explain(InteractionId{1}), HasSubstr("queued"));
  EXPECT_THAT(router.explain(InteractionId{2}), HasSubstr("overflowed"));
}

TEST_F(RouterExplanation, OnlyTheConfiguredNumberOfEndedInteractionsIsKept) {
  config_.explanation_history = 2;
  Router router = make();
  for (uint64_t id = 1; id <= 3; ++id) {
    router.on_arrived(call(id, billing_));
    router.on_abandoned(InteractionId{id});
  }
  EXPECT_EQ(router.explain(InteractionId{1}), "unknown interaction\n");
  EXPECT_THAT(router.explain(InteractionId{2}), Not(HasSubstr("unknown")));
  EXPECT_THAT(router.explain(InteractionId{3}), Not(HasSubstr("unknown")));
}

TEST_F(RouterExplanation, AnUnknownInteractionSaysSo) {
  Router router = make();
  EXPECT_EQ(router.explain(InteractionId{404}), "unknown interaction\n");
  EXPECT_EQ(router.explanations(InteractionId{404}), nullptr);
}

TEST_F(RouterExplanation, ALongStoryIsBoundedButKeepsItsBeginning) {
  config_.queues[0].reoffer_exclusion = 0s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  for (int i = 0; i < 100; ++i) {
    router.on_ring_timeout(InteractionId{1}, alice_);  // re-offered to alice each time
  }
  const auto* list = router.explanations(InteractionId{1});
  ASSERT_NE(list, nullptr);
  EXPECT_LE(list->size(), 32u);
  EXPECT_EQ(list->front().kind, Explanation::Kind::OfferedOnArrival);
  // With no exclusion and no missed penalty alice is free again at once and takes it back.
  EXPECT_EQ(list->back().kind, Explanation::Kind::OfferedWhenAgentFreed);
  EXPECT_EQ(list->back().chosen, alice_);
  expect_healthy(router);
}

TEST_F(RouterExplanation, KeepsThePromisedAndTheRealWaitAndWhyTheAgentRanked) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(40s);
  router.on_agent_login(alice_);
  clock_.advance(5s);
  router.on_answered(InteractionId{1}, alice_);
  router.on_ended(InteractionId{1});
  const auto* list = router.explanations(InteractionId{1});
  ASSERT_NE(list, nullptr);
  const auto& answered = list->back();
  EXPECT_EQ(answered.kind, Explanation::Kind::Answered);
  EXPECT_EQ(answered.actual_wait, 45s);
  const std::string text = router.explain(InteractionId{1});
  EXPECT_THAT(text, HasSubstr("answered by alice after 45s (estimated "));
  EXPECT_THAT(text, HasSubstr("09:00:45"));  // time of day, not an epoch count

  router.on_agent_login(bob_);
  clock_.advance(70s);
  router.on_arrived(call(2, billing_));
  EXPECT_THAT(router.explain(InteractionId{2}), HasSubstr("bob (penalty 0, proficiency 4, idle 1m10s)"));
}

}  // namespace
}  // namespace sb::acd
