// acd/router_strategy_test.cc: which free agent each strategy picks, and queue penalties.
// Not the waiting side (priority, aging): see router_aging_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::UnorderedElementsAre;

class RouterStrategy : public ::testing::Test {
 protected:
  RouterStrategy() : clock_(at_nine()) {
    config_ = config_with_skills({"billing"});
    queue_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    a_ = add_agent(config_, "a", {{SkillId{0}, 3}});
    b_ = add_agent(config_, "b", {{SkillId{0}, 3}});
    c_ = add_agent(config_, "c", {{SkillId{0}, 3}});
  }
  Router make(Strategy strategy, uint64_t seed = 1) {
    config_.queues[0].strategy = strategy;
    return Router(clock_, config_, seed);
  }
  // Arrives, returns the single agent offered (nullopt when none or several).
  std::optional<AgentId> arrive(Router& router, uint64_t id) {
    return offered_agent(router.on_arrived(call(id, queue_)));
  }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId queue_{};
  AgentId a_{}, b_{}, c_{};
};

TEST_F(RouterStrategy, LongestIdleOffersInIdleOrderAndAFinishedAgentGoesToTheBack) {
  Router router = make(Strategy::LongestIdle);
  router.on_agent_login(b_);
  clock_.advance(10s);
  router.on_agent_login(a_);
  clock_.advance(10s);
  router.on_agent_login(c_);
  EXPECT_THAT(arrive(router, 1), Optional(b_));
  clock_.advance(5s);
  answer_and_end(router, 1, b_);  // b is now the most recently idle
  EXPECT_THAT(arrive(router, 2), Optional(a_));
  EXPECT_THAT(arrive(router, 3), Optional(c_));
  EXPECT_THAT(arrive(router, 4), Optional(b_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, RoundRobinStartsAtTheFirstMemberNotTheLongestIdle) {
  config_.queues[0].members = {a_, b_, c_};
  Router router = make(Strategy::RoundRobin);
  router.on_agent_login(c_);
  clock_.advance(10s);
  router.on_agent_login(b_);
  clock_.advance(10s);
  router.on_agent_login(a_);
  EXPECT_THAT(arrive(router, 1), Optional(a_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, RoundRobinContinuesAfterTheLastOfferedAgentAndWraps) {
  config_.queues[0].members = {a_, b_, c_};
  Router router = make(Strategy::RoundRobin);
  router.on_agent_login(c_);
  router.on_agent_login(b_);
  router.on_agent_login(a_);
  const std::vector<AgentId> expected = {a_, b_, c_, a_, b_, c_, a_};
  for (uint64_t i = 0; i < expected.size(); ++i) {
    clock_.advance(1s);
    EXPECT_THAT(arrive(router, i + 1), Optional(expected[i])) << "call " << i + 1;
    answer_and_end(router, i + 1, expected[i]);
    expect_healthy(router);
  }
}

TEST_F(RouterStrategy, RoundRobinSkipsBusyMembersAndRemembersWhereItStopped) {
  config_.queues[0].members = {a_, b_, c_};
  Router router = make(Strategy::RoundRobin);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_);
  EXPECT_THAT(arrive(router, 1), Optional(a_));
  router.on_answered(InteractionId{1}, a_);
  EXPECT_THAT(arrive(router, 2), Optional(b_));
  router.on_answered(InteractionId{2}, b_);
  router.on_ended(InteractionId{1});  // a is free again, but b was offered last: c is next
  EXPECT_THAT(arrive(router, 3), Optional(c_));
  router.on_answered(InteractionId{3}, c_);
  EXPECT_THAT(arrive(router, 4), Optional(a_));  // wraps, skipping busy b
  expect_healthy(router);
}

TEST_F(RouterStrategy, FewestInteractionsPrefersTheAgentWhoHandledFewest) {
  Router router = make(Strategy::FewestInteractions);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_, false);
  clock_.advance(1s);
  EXPECT_THAT(arrive(router, 1), Optional(a_));  // tie at 0: longest idle
  answer_and_end(router, 1, a_);
  clock_.advance(1s);
  EXPECT_THAT(arrive(router, 2), Optional(b_));  // 0 < 1
  answer_and_end(router, 2, b_);
  clock_.advance(1s);
  EXPECT_THAT(arrive(router, 3), Optional(a_));  // tie at 1: a idle longer
  answer_and_end(router, 3, a_);
  clock_.advance(1s);
  router.on_agent_ready(c_);
  EXPECT_THAT(arrive(router, 4), Optional(c_));  // 0 handled
  answer_and_end(router, 4, c_);
  clock_.advance(1s);
  EXPECT_THAT(arrive(router, 5), Optional(b_));  // b and c at 1, b idle longer; a has 2
  expect_healthy(router);
}

TEST_F(RouterStrategy, FewestInteractionsCountsOnlySinceLogin) {
  Router router = make(Strategy::FewestInteractions);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  for (uint64_t id = 1; id <= 4; ++id) {
    clock_.advance(1s);
    auto agent = arrive(router, id);
    ASSERT_TRUE(agent);
    answer_and_end(router, id, *agent);
  }
  // Both handled 2. a logs out and back in: 0 since login.
  router.on_agent_logout(a_);
  clock_.advance(1s);
  router.on_agent_login(a_);
  clock_.advance(1s);
  EXPECT_THAT(arrive(router, 5), Optional(a_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, LeastTalkTimePrefersTheAgentWhoTalkedLeast) {
  Router router = make(Strategy::LeastTalkTime);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  EXPECT_THAT(arrive(router, 1), Optional(a_));
  router.on_answered(InteractionId{1}, a_);
  EXPECT_THAT(arrive(router, 2), Optional(b_));
  router.on_answered(InteractionId{2}, b_);
  clock_.advance(50s);
  router.on_ended(InteractionId{2});  // b: 50 s
  clock_.advance(50s);
  router.on_ended(InteractionId{1});  // a: 100 s
  EXPECT_THAT(arrive(router, 3), Optional(b_));
  router.on_answered(InteractionId{3}, b_);
  clock_.advance(60s);
  router.on_ended(InteractionId{3});  // b: 110 s
  EXPECT_THAT(arrive(router, 4), Optional(a_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, BestSkillMatchPrefersHighestProficiencyThenLongestIdle) {
  config_.agents[index_of(a_)].skills = {{SkillId{0}, 3}};
  config_.agents[index_of(b_)].skills = {{SkillId{0}, 5}};
  config_.agents[index_of(c_)].skills = {{SkillId{0}, 5}};
  Router router = make(Strategy::BestSkillMatch);
  router.on_agent_login(a_);  // idle longest, but least proficient
  clock_.advance(10s);
  router.on_agent_login(c_);
  clock_.advance(10s);
  router.on_agent_login(b_);
  EXPECT_THAT(arrive(router, 1), Optional(c_));
  EXPECT_THAT(arrive(router, 2), Optional(b_));
  EXPECT_THAT(arrive(router, 3), Optional(a_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, LinearAlwaysStartsAtTheTopOfTheMemberList) {
  config_.queues[0].members = {c_, a_, b_};
  Router router = make(Strategy::Linear);
  router.on_agent_login(a_);
  clock_.advance(10s);
  router.on_agent_login(b_);
  clock_.advance(10s);
  router.on_agent_login(c_);
  EXPECT_THAT(arrive(router, 1), Optional(c_));
  answer_and_end(router, 1, c_);
  EXPECT_THAT(arrive(router, 2), Optional(c_));  // top-down again, no memory
  router.on_answered(InteractionId{2}, c_);
  EXPECT_THAT(arrive(router, 3), Optional(a_));
  EXPECT_THAT(arrive(router, 4), Optional(b_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, LinearIgnoresAgentsNotInTheMemberList) {
  config_.queues[0].members = {b_};
  Router router = make(Strategy::Linear);
  router.on_agent_login(a_);
  router.on_agent_login(c_);
  EXPECT_EQ(arrive(router, 1), std::nullopt);
  EXPECT_THAT(offered_interaction(router.on_agent_login(b_)), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterStrategy, RingAllOffersEveryFreeAgentAtTheLowestPenalty) {
  set_penalty(config_, c_, queue_, 1);
  Router router = make(Strategy::RingAll);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_);
  auto actions = router.on_arrived(call(1, queue_));
  EXPECT_THAT(offered_agents(actions), UnorderedElementsAre(a_, b_));
  EXPECT_EQ(router.agent_state(a_), AgentState::Offered);
  EXPECT_EQ(router.agent_state(b_), AgentState::Offered);
  EXPECT_EQ(router.agent_state(c_), AgentState::Available);
  expect_healthy(router);
}

TEST_F(RouterStrategy, RingAllFirstAnswerWinsAndTheOthersAreCancelledAndFreed) {
  Router router = make(Strategy::RingAll);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_);
  EXPECT_THAT(offered_agents(router.on_arrived(call(1, queue_))), UnorderedElementsAre(a_, b_, c_));
  auto actions = router.on_answered(InteractionId{1}, b_);
  EXPECT_TRUE(cancels(actions, 1, a_));
  EXPECT_TRUE(cancels(actions, 1, c_));
  EXPECT_FALSE(cancels(actions, 1, b_));
  EXPECT_EQ(router.agent_state(b_), AgentState::Busy);
  EXPECT_EQ(router.agent_state(a_), AgentState::Available);
  EXPECT_EQ(router.agent_state(c_), AgentState::Available);
  // The losers' return is reported, so whoever tracks agent states sees them free again.
  EXPECT_THAT(reported_state(actions, a_), Optional(AgentState::Available));
  EXPECT_THAT(reported_state(actions, c_), Optional(AgentState::Available));
  EXPECT_TRUE(router.on_answered(InteractionId{1}, a_).empty());  // too late
  expect_healthy(router);
  EXPECT_THAT(offered_agents(router.on_arrived(call(2, queue_))), UnorderedElementsAre(a_, c_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, RingAllReoffersToTheWholeNextPenaltyGroupWhenTheFirstAllMissed) {
  AgentId d = add_agent(config_, "d", {{SkillId{0}, 3}});
  set_penalty(config_, c_, queue_, 1);
  set_penalty(config_, d, queue_, 1);
  Router router = make(Strategy::RingAll);
  for (AgentId agent : {a_, b_, c_, d}) {
    router.on_agent_login(agent);
  }
  EXPECT_THAT(offered_agents(router.on_arrived(call(1, queue_))), UnorderedElementsAre(a_, b_));
  router.on_ring_timeout(InteractionId{1}, a_);
  auto actions = router.on_ring_timeout(InteractionId{1}, b_);
  // a and b are excluded from this caller for a while; c and d share the next group.
  EXPECT_THAT(offered_agents(actions), UnorderedElementsAre(c_, d));
  expect_healthy(router);
}

TEST_F(RouterStrategy, RandomPicksEveryAgentRoughlyUniformly) {
  AgentId d = add_agent(config_, "d", {{SkillId{0}, 3}});
  Router router = make(Strategy::Random, 42);
  for (AgentId agent : {a_, b_, c_, d}) {
    router.on_agent_login(agent);
  }
  constexpr int kDraws = 4000;
  std::map<AgentId, int> picks;
  for (uint64_t id = 1; id <= kDraws; ++id) {
    clock_.advance(1s);
    auto agent = arrive(router, id);
    ASSERT_TRUE(agent);
    ++picks[*agent];
    answer_and_end(router, id, *agent);
  }
  expect_healthy(router);
  ASSERT_EQ(picks.size(), 4u);
  // Chi-square with 3 degrees of freedom: 30 has p < 2e-6, so this only fails if the
  // strategy is biased (the seed is fixed anyway, the bound only has to be honest).
  const double expected = kDraws / 4.0;
  double chi2 = 0;
  for (const auto& [agent, n] : picks) {
    chi2 += (n - expected) * (n - expected) / expected;
  }
  EXPECT_LT(chi2, 30.0);
}

TEST_F(RouterStrategy, RandomIsNotLongestIdleInDisguise) {
  // The longest-idle agent is picked about 1/3 of the time, not always.
  Router router = make(Strategy::Random, 7);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_);
  int first_of_three = 0;
  constexpr int kDraws = 900;
  for (uint64_t id = 1; id <= kDraws; ++id) {
    clock_.advance(1s);
    auto agent = arrive(router, id);
    ASSERT_TRUE(agent);
    first_of_three += *agent == a_;
    answer_and_end(router, id, *agent);
  }
  EXPECT_GT(first_of_three, 200);
  EXPECT_LT(first_of_three, 400);
}

TEST_F(RouterStrategy, WeightedRandomPicksInProportionToWeights) {
  config_.agents[index_of(a_)].weight = 1;
  config_.agents[index_of(b_)].weight = 2;
  config_.agents[index_of(c_)].weight = 5;
  Router router = make(Strategy::WeightedRandom, 3);
  router.on_agent_login(a_);
  router.on_agent_login(b_);
  router.on_agent_login(c_);
  constexpr int kDraws = 8000;
  std::map<AgentId, int> picks;
  for (uint64_t id = 1; id <= kDraws; ++id) {
    clock_.advance(1s);
    auto agent = arrive(router, id);
    ASSERT_TRUE(agent);
    ++picks[*agent];
    answer_and_end(router, id, *agent);
  }
  expect_healthy(router);
  // Standard deviation of a share is below 0.006 here; 0.03 is five of them.
  EXPECT_NEAR(picks[a_] / double(kDraws), 1.0 / 8, 0.03);
  EXPECT_NEAR(picks[b_] / double(kDraws), 2.0 / 8, 0.03);
  EXPECT_NEAR(picks[c_] / double(kDraws), 5.0 / 8, 0.03);
}

TEST_F(RouterStrategy, LowerPenaltyIsOfferedFirstEvenIfIdleShorter) {
  set_penalty(config_, a_, queue_, 2);
  set_penalty(config_, b_, queue_, 1);
  Router router = make(Strategy::LongestIdle);
  router.on_agent_login(a_);
  clock_.advance(60s);
  router.on_agent_login(b_);
  clock_.advance(60s);
  router.on_agent_login(c_);  // penalty 0, idle shortest
  EXPECT_THAT(arrive(router, 1), Optional(c_));
  EXPECT_THAT(arrive(router, 2), Optional(b_));
  EXPECT_THAT(arrive(router, 3), Optional(a_));
  expect_healthy(router);
}

TEST_F(RouterStrategy, PenaltyGroupsComeBeforeTheStrategyForEveryStrategy) {
  for (Strategy s : {Strategy::LongestIdle, Strategy::RoundRobin, Strategy::FewestInteractions,
                     Strategy::LeastTalkTime, Strategy::BestSkillMatch, Strategy::Linear,
                     Strategy::Random, Strategy::WeightedRandom}) {
    RoutingConfig config = config_;
    config.queues[0].strategy = s;
    config.agents[index_of(a_)].penalties = {{queue_, 1}};
    config.agents[index_of(b_)].penalties = {{queue_, 1}};
    Router router(clock_, config);
    router.on_agent_login(a_);
    router.on_agent_login(b_);
    router.on_agent_login(c_);
    EXPECT_THAT(arrive(router, 1), Optional(c_)) << strategy_name(s);
  }
}

TEST_F(RouterStrategy, AgentsAboveMaxPenaltyAreNeverOffered) {
  config_.queues[0].max_penalty = 1;
  set_penalty(config_, a_, queue_, 2);
  Router router = make(Strategy::LongestIdle);
  router.on_agent_login(a_);
  auto actions = router.on_arrived(call(1, queue_));
  EXPECT_THAT(all_of_type<OfferToAgents>(actions), IsEmpty());
  EXPECT_THAT(all_of_type<Queued>(actions), ::testing::SizeIs(1));
  clock_.advance(10min);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_tick()), IsEmpty());
  EXPECT_EQ(router.agent_state(a_), AgentState::Available);
  // An agent within the limit takes it.
  EXPECT_THAT(offered_agent(router.on_agent_login(b_)), Optional(b_));
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
