// acd/router_aging_test.cc: the waiting order: priority, aging (no starvation of low-priority
// callers) and the VIP boost. Not which agent is picked (router_strategy_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::Optional;

class RouterAging : public ::testing::Test {
 protected:
  RouterAging() : clock_(at_nine()) {
    config_ = config_with_skills({"billing"});
    config_.aging_per_minute = 1.0;
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
  }
  Router make() { return Router(clock_, config_); }
  // The interaction offered to alice when she logs in.
  std::optional<uint64_t> served_first(Router& router) {
    return offered_interaction(router.on_agent_login(alice_));
  }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{};
};

TEST_F(RouterAging, ALowPriorityCallerWhoWaitedLongEnoughBeatsANewHighPriorityCaller) {
  Router router = make();
  router.on_arrived(call(1, billing_, 0));
  clock_.advance(6min);  // 6 points gained, more than the 5 the newcomer has
  router.on_arrived(call(2, billing_, 5));
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 1);
  EXPECT_THAT(served_first(router), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterAging, ALowPriorityCallerIsNotPromotedBeforeItWaitedLongEnough) {
  Router router = make();
  router.on_arrived(call(1, billing_, 0));
  clock_.advance(4min);
  router.on_arrived(call(2, billing_, 5));
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 2);
  EXPECT_THAT(served_first(router), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAging, TimePassingNeverReordersCallersAlreadyWaiting) {
  // Every waiting caller ages at the same rate: only a newcomer's arrival time and priority
  // decide where it goes; the order of those already queued stays.
  Router router = make();
  router.on_arrived(call(1, billing_, 0));
  clock_.advance(3min);
  router.on_arrived(call(2, billing_, 5));  // ahead: 5 - 3 > 0
  clock_.advance(1h);
  router.on_tick();
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 1);
  EXPECT_THAT(served_first(router), Optional(2u));
}

TEST_F(RouterAging, WithoutAgingPriorityAlwaysWins) {
  config_.aging_per_minute = 0;
  Router router = make();
  router.on_arrived(call(1, billing_, 0));
  clock_.advance(3h);
  router.on_arrived(call(2, billing_, 1));
  EXPECT_THAT(served_first(router), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAging, QueuePriorityAgesLikeCallerPriority) {
  const QueueId vip_queue = add_queue(config_, "platinum", {{SkillId{0}, 1}});
  config_.queues[index_of(vip_queue)].priority = 3;
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(2min);
  router.on_arrived(call(2, vip_queue));
  clock_.advance(2min);
  router.on_arrived(call(3, vip_queue));
  // 1: 0 + 4 = 4 points; 2: 3 + 2 = 5; 3: 3 + 0 = 3. One agent in both queues.
  EXPECT_THAT(served_first(router), Optional(2u));
  router.on_answered(InteractionId{2}, alice_);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{2})), Optional(1u));
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{1})), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterAging, AVipMovesAheadOfEarlierCallers) {
  config_.aging_per_minute = 0;
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(1min);
  router.on_arrived(call(2, billing_, 3));
  clock_.advance(1min);
  router.on_arrived(NewInteraction{InteractionId{3}, billing_, 0, true});
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 2);
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 3);
  EXPECT_THAT(served_first(router), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterAging, AttachedDataNamedByTheVipPolicyGivesTheBoost) {
  config_.aging_per_minute = 0;
  config_.vip.attribute = "tier";
  Router router = make();
  router.on_arrived(call(1, billing_));
  NewInteraction plain{InteractionId{2}, billing_};
  plain.attached = {{"tier", "no"}, {"account", "4711"}};
  router.on_arrived(plain);
  NewInteraction gold{InteractionId{3}, billing_};
  gold.attached = {{"account", "42"}, {"tier", "gold"}};
  router.on_arrived(gold);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 2);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 3);
  expect_healthy(router);
}

TEST_F(RouterAging, TheVipBoostIsKeptButNotDoubledByOverflow) {
  config_.aging_per_minute = 0;
  config_.vip.boost = 10;
  const QueueId backup = add_queue(config_, "backup", {{SkillId{0}, 1}});
  config_.queues[index_of(billing_)].max_wait = 60s;
  config_.queues[index_of(billing_)].overflow = {OverflowKind::Queue, backup, ""};
  Router router = make();
  router.on_arrived(NewInteraction{InteractionId{1}, billing_, 0, true});  // 10 points
  router.on_arrived(call(2, backup, 9));
  router.on_arrived(call(3, backup, 11));
  clock_.advance(60s);
  router.on_tick();
  ASSERT_EQ(router.interaction(InteractionId{1})->queue, backup);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 2);
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 3);
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
