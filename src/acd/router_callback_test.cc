// acd/router_callback_test.cc: callbacks that keep the caller's place (virtual hold): when
// they are offered, what accepting changes, and when the callback is released to an agent.
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

class RouterCallback : public ::testing::Test {
 protected:
  RouterCallback() : clock_(at_nine()) {
    config_ = config_with_skills({"billing"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    config_.queues[0].callback_after = 60s;
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 3}});
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{};
  AgentId alice_{}, bob_{};
};

TEST_F(RouterCallback, IsOfferedOnceAfterCallbackAfter) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(59s);
  EXPECT_THAT(all_of_type<OfferCallback>(router.on_tick()), IsEmpty());
  clock_.advance(1s);
  auto offers = all_of_type<OfferCallback>(router.on_tick());
  ASSERT_THAT(offers, SizeIs(1));
  EXPECT_EQ(index_of(offers[0].interaction), 1u);
  EXPECT_EQ(offers[0].queue, billing_);
  clock_.advance(10min);
  EXPECT_THAT(all_of_type<OfferCallback>(router.on_tick()), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterCallback, IsNotOfferedToACallerAlreadyWithAnAgent) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));  // ringing alice
  router.on_arrived(call(2, billing_));
  router.on_agent_login(bob_);
  router.on_answered(InteractionId{2}, bob_);
  clock_.advance(60s);
  EXPECT_THAT(all_of_type<OfferCallback>(router.on_tick()), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterCallback, IsNotOfferedOnChat) {
  config_.queues[0].channel = Channel::Chat;
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  EXPECT_THAT(all_of_type<OfferCallback>(router.on_tick()), IsEmpty());
}

TEST_F(RouterCallback, AcceptingKeepsThePlaceAndIsNotAnAbandon) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(1s);
  router.on_arrived(call(2, billing_));
  clock_.advance(1s);
  router.on_arrived(call(3, billing_));
  clock_.advance(60s);
  router.on_tick();
  EXPECT_THAT(router.on_callback_accepted(InteractionId{2}), IsEmpty());
  auto snap = router.interaction(InteractionId{2});
  ASSERT_TRUE(snap);
  EXPECT_TRUE(snap->virtual_hold);
  EXPECT_EQ(snap->position, 2);
  EXPECT_EQ(snap->state, detail::InteractionState::Waiting);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 3);
  EXPECT_EQ(router.waiting_count(), 3u);
  EXPECT_EQ(router.queue_snapshot(billing_).waiting, 3);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 1);
  expect_healthy(router);
  // Accepting twice, or for an unknown caller, changes nothing.
  EXPECT_THAT(router.on_callback_accepted(InteractionId{2}), IsEmpty());
  EXPECT_THAT(router.on_callback_accepted(InteractionId{42}), IsEmpty());
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 1);
}

TEST_F(RouterCallback, IsReleasedOnlyWhenAnAgentIsReserved) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{1});
  clock_.advance(5min);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_tick()), IsEmpty());
  auto offers = all_of_type<OfferToAgents>(router.on_agent_login(alice_));
  ASSERT_THAT(offers, SizeIs(1));
  EXPECT_TRUE(offers[0].callback);
  EXPECT_THAT(offers[0].agents, ::testing::ElementsAre(alice_));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Offered);
  expect_healthy(router);
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_FALSE(router.interaction(InteractionId{1})->virtual_hold);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 0);
  expect_healthy(router);
}

TEST_F(RouterCallback, NeverReleasesMoreCallbacksThanFreeAgents) {
  Router router = make();
  for (uint64_t id = 1; id <= 3; ++id) {
    router.on_arrived(call(id, billing_));
    clock_.advance(1s);
  }
  clock_.advance(60s);
  router.on_tick();
  for (uint64_t id = 1; id <= 3; ++id) {
    router.on_callback_accepted(InteractionId{id});
  }
  auto first = all_of_type<OfferToAgents>(router.on_agent_login(alice_));
  auto second = all_of_type<OfferToAgents>(router.on_agent_login(bob_));
  ASSERT_THAT(first, SizeIs(1));
  ASSERT_THAT(second, SizeIs(1));
  EXPECT_EQ(index_of(first[0].interaction), 1u);
  EXPECT_EQ(index_of(second[0].interaction), 2u);
  EXPECT_TRUE(first[0].callback && second[0].callback);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 1);
  EXPECT_TRUE(router.interaction(InteractionId{3})->virtual_hold);
  expect_healthy(router);
}

TEST_F(RouterCallback, ACallbackInVirtualHoldDoesNotOverflowOnMaxWait) {
  config_.queues[0].max_wait = 120s;
  config_.queues[0].overflow = {OverflowKind::Voicemail, {}, ""};
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  clock_.advance(60s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{1});
  clock_.advance(60s);
  auto overflows = all_of_type<Overflow>(router.on_tick());
  ASSERT_THAT(overflows, SizeIs(1));
  EXPECT_EQ(index_of(overflows[0].interaction), 2u);
  EXPECT_TRUE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterCallback, ACallbackInVirtualHoldGetsNoAnnouncements) {
  config_.queues[0].announce_every = 30s;
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  clock_.advance(60s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{1});
  clock_.advance(30s);
  auto announcements = all_of_type<AnnouncePosition>(router.on_tick());
  ASSERT_THAT(announcements, SizeIs(1));
  EXPECT_EQ(index_of(announcements[0].interaction), 2u);
  EXPECT_EQ(announcements[0].position, 2);
}

TEST_F(RouterCallback, AnUnansweredCallbackOfferKeepsTheVirtualPlace) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  clock_.advance(60s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{1});
  router.on_agent_login(alice_);  // callback 1 reserves alice
  router.on_ring_timeout(InteractionId{1}, alice_);
  // Back in its place; alice is excluded for it, so caller 2 gets her.
  auto snap = router.interaction(InteractionId{1});
  ASSERT_TRUE(snap);
  EXPECT_TRUE(snap->virtual_hold);
  EXPECT_EQ(snap->position, 1);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Offered);
  EXPECT_EQ(router.interaction(InteractionId{2})->state, detail::InteractionState::Offered);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 1);
  expect_healthy(router);
}

TEST_F(RouterCallback, ACallbackTheCustomerDoesNotPickUpFreesTheAgent) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  clock_.advance(60s);
  router.on_tick();
  router.on_callback_accepted(InteractionId{1});
  router.on_agent_login(alice_);
  router.on_abandoned(InteractionId{1});
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  EXPECT_EQ(router.queue_snapshot(billing_).virtual_hold, 0);
  EXPECT_EQ(router.queue_snapshot(billing_).waiting, 0);
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
