// acd/router_expansion_test.cc: eligibility that widens with wait time ("bullseye"): lower
// proficiency, dropped skills, agents of other queues, higher penalties. Not overflow.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr SkillId kBilling{0};
constexpr SkillId kSpanish{1};
constexpr SkillId kSales{2};

class RouterExpansion : public ::testing::Test {
 protected:
  RouterExpansion() : clock_(at_nine()) {
    config_ = config_with_skills({"billing", "spanish", "sales"});
    billing_ = add_queue(config_, "billing", {{kBilling, 4}, {kSpanish, 1}});
    sales_ = add_queue(config_, "sales", {{kSales, 1}});
    expert_ = add_agent(config_, "expert", {{kBilling, 5}, {kSpanish, 3}});
    junior_ = add_agent(config_, "junior", {{kBilling, 2}, {kSpanish, 3}});
    english_ = add_agent(config_, "english", {{kBilling, 5}});
    seller_ = add_agent(config_, "seller", {{kSales, 3}});
  }
  Router make() { return Router(clock_, config_); }
  std::vector<ExpansionStep>& steps() { return config_.queues[index_of(billing_)].expansion; }

  // Advances to `t` after the start and runs the timers.
  Actions tick_at(Duration t) {
    clock_.set(start_ + t);
    return router_->on_tick();
  }

  VirtualClock clock_;
  TimePoint start_ = at_nine();
  RoutingConfig config_;
  QueueId billing_{}, sales_{};
  AgentId expert_{}, junior_{}, english_{}, seller_{};
  Router* router_ = nullptr;
};

TEST_F(RouterExpansion, AcceptsLowerProficiencyOnceTheStepFires) {
  steps() = {lower_proficiency_after(30s, 2)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(junior_);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(1, billing_))), IsEmpty());
  EXPECT_EQ(router.next_deadline(), start_ + 30s);
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(29s)), IsEmpty());
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 0);
  expect_healthy(router);
  EXPECT_THAT(offered_agent(tick_at(30s)), Optional(junior_));
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 1);
  ASSERT_NE(router.explanations(InteractionId{1}), nullptr);
  EXPECT_EQ(router.explanations(InteractionId{1})->back().kind,
            Explanation::Kind::OfferedAfterExpansion);
  expect_healthy(router);
}

TEST_F(RouterExpansion, DropsASkillOnceTheStepFires) {
  steps() = {drop_skill_after(60s, kSpanish)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(english_);
  router.on_arrived(call(1, billing_));
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(59s)), IsEmpty());
  EXPECT_THAT(offered_agent(tick_at(60s)), Optional(english_));
  expect_healthy(router);
}

TEST_F(RouterExpansion, AddsAnotherQueuesAgentsOnceTheStepFires) {
  steps() = {add_queue_after(90s, sales_)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(seller_);
  router.on_arrived(call(1, billing_));
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(89s)), IsEmpty());
  EXPECT_THAT(offered_agent(tick_at(90s)), Optional(seller_));
  expect_healthy(router);
}

TEST_F(RouterExpansion, WidensMaxPenaltyOnceTheStepFires) {
  config_.queues[index_of(billing_)].max_penalty = 0;
  set_penalty(config_, expert_, billing_, 2);
  steps() = {widen_penalty_after(45s, 2)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(expert_);
  router.on_arrived(call(1, billing_));
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(44s)), IsEmpty());
  EXPECT_THAT(offered_agent(tick_at(45s)), Optional(expert_));
  expect_healthy(router);
}

TEST_F(RouterExpansion, AStepsMaxPenaltyNeverNarrowsAQueueWithoutALimit) {
  // The queue takes any penalty; a step that mentions max_penalty 1 must not shut out an
  // agent with penalty 3 who was eligible before it (steps only widen).
  set_penalty(config_, expert_, billing_, 3);
  ExpansionStep step = lower_proficiency_after(30s, 2);
  step.max_penalty = 1;
  steps() = {step};
  Router router = make();
  router_ = &router;
  router.on_agent_login(expert_);
  router.on_agent_login(junior_);
  EXPECT_THAT(offered_agent(router.on_arrived(call(1, billing_))), Optional(expert_));
  router.on_answered(InteractionId{1}, expert_);
  router.on_arrived(call(2, billing_));  // waits: junior is below proficiency 4
  tick_at(30s);                          // junior (penalty 0) takes it at step 1
  router.on_arrived(call(3, billing_));
  tick_at(60s);  // call 3 is at step 1 now
  expect_healthy(router);
  EXPECT_EQ(router.interaction(InteractionId{3})->step, 1);
  // The expert, penalty 3, frees up: call 3 at step 1 must still be able to take them.
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{1})), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterExpansion, StepsAreCumulativeAndEachAdmitsItsAgentAtItsTime) {
  steps() = {lower_proficiency_after(30s, 2),
             drop_skill_after(60s, kSpanish),
             add_queue_after(90s, sales_)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(seller_);
  router.on_agent_login(english_);
  router.on_agent_login(junior_);
  router.on_agent_not_ready(english_, ReasonCode{1});
  router.on_agent_not_ready(junior_, ReasonCode{1});
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  router.on_arrived(call(3, billing_));
  // Only the seller is free: nobody is offered until the third step.
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(30s)), IsEmpty());
  EXPECT_THAT(all_of_type<OfferToAgents>(tick_at(60s)), IsEmpty());
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 2);
  EXPECT_THAT(offered_agent(tick_at(90s)), Optional(seller_));
  // At step 3 the earlier widenings still hold: junior (proficiency 2) and english (no
  // Spanish) may both take the others.
  EXPECT_THAT(offered_interaction(router.on_agent_ready(junior_)), Optional(2u));
  EXPECT_THAT(offered_interaction(router.on_agent_ready(english_)), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterExpansion, AFreedAgentTakesOnlyCallersWhoseStepAdmitsThem) {
  steps() = {lower_proficiency_after(30s, 2)};
  Router router = make();
  router_ = &router;
  router.on_arrived(call(1, billing_));
  tick_at(40s);  // call 1 at step 1
  router.on_arrived(call(2, billing_));  // call 2 at step 0 until 70 s
  router.on_agent_login(junior_);
  EXPECT_EQ(router.agent_state(junior_), AgentState::Offered);
  expect_healthy(router);
  answer_and_end(router, 1, junior_);
  EXPECT_EQ(router.agent_state(junior_), AgentState::Available);  // call 2 is not for them yet
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(tick_at(70s)), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterExpansion, AStepWhileOfferedAppliesWhenTheOfferFails) {
  steps() = {lower_proficiency_after(30s, 2)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(expert_);
  router.on_agent_login(junior_);
  EXPECT_THAT(offered_agent(router.on_arrived(call(1, billing_))), Optional(expert_));
  tick_at(35s);  // still ringing the expert
  EXPECT_EQ(router.interaction(InteractionId{1})->step, 1);
  // Ring-no-answer: the step-1 pool admits junior, who is free.
  EXPECT_THAT(offered_agent(router.on_ring_timeout(InteractionId{1}, expert_)),
              Optional(junior_));
  expect_healthy(router);
}

TEST_F(RouterExpansion, CallersReachingAStepTogetherAreServedInTheirOrder) {
  steps() = {lower_proficiency_after(30s, 2)};
  Router router = make();
  router_ = &router;
  router.on_agent_login(junior_);
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  tick_at(30s);
  // Both reach step 1 at the same time; only one agent: the older caller gets it.
  EXPECT_EQ(router.interaction(InteractionId{1})->state, detail::InteractionState::Offered);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 1);
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
