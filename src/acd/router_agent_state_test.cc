// acd/router_agent_state_test.cc: the agent state machine (login, ready, not-ready with reason,
// wrap-up, logout), the edge cases around it (nobody there, logout while ringing, abandon while
// offered), agents in several queues, and chat capacity. Not re-offers after a miss.
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

constexpr ReasonCode kBreak{1};
constexpr ReasonCode kLunch{2};

class RouterAgentState : public ::testing::Test {
 protected:
  RouterAgentState() : clock_(at_nine()) {
    config_ = config_with_skills({"billing", "sales"});
    billing_ = add_queue(config_, "billing", {{SkillId{0}, 1}});
    sales_ = add_queue(config_, "sales", {{SkillId{1}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    bob_ = add_agent(config_, "bob", {{SkillId{0}, 3}});
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId billing_{}, sales_{};
  AgentId alice_{}, bob_{};
};

TEST_F(RouterAgentState, LoginReadyMakesTheAgentAvailable) {
  Router router = make();
  EXPECT_EQ(router.agent_state(alice_), AgentState::LoggedOut);
  auto actions = router.on_agent_login(alice_);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::Available));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  EXPECT_EQ(router.queue_snapshot(billing_).staffed, 1);
  EXPECT_EQ(router.queue_snapshot(billing_).available, 1);
  expect_healthy(router);
}

TEST_F(RouterAgentState, LoginNotReadyTakesNoWork) {
  Router router = make();
  router.on_arrived(call(1, billing_));
  auto actions = router.on_agent_login(alice_, false);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::NotReady));
  EXPECT_THAT(all_of_type<OfferToAgents>(actions), IsEmpty());
  EXPECT_EQ(router.queue_snapshot(billing_).staffed, 0);
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(router.on_agent_ready(alice_)), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, NotReadyCarriesItsReasonAndReadyTakesWaitingWork) {
  Router router = make();
  router.on_agent_login(alice_);
  auto actions = router.on_agent_not_ready(alice_, kLunch);
  auto changes = all_of_type<AgentStateChanged>(actions);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].state, AgentState::NotReady);
  EXPECT_EQ(changes[0].reason, kLunch);
  EXPECT_EQ(router.agent_reason(alice_), kLunch);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(1, billing_))), IsEmpty());
  expect_healthy(router);
  auto ready = router.on_agent_ready(alice_);
  EXPECT_THAT(offered_interaction(ready), Optional(1u));
  EXPECT_EQ(router.agent_reason(alice_), ReasonCode{});
  expect_healthy(router);
}

TEST_F(RouterAgentState, AnUnknownReasonCodeIsIgnored) {
  Router router = make();
  router.on_agent_login(alice_);
  EXPECT_THAT(router.on_agent_not_ready(alice_, ReasonCode{77}), IsEmpty());
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
}

TEST_F(RouterAgentState, NotReadyWhileBusyIsPendingAndAppliesAfterWrapUp) {
  config_.queues[0].wrap_up = 15s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_THAT(all_of_type<AgentStateChanged>(router.on_agent_not_ready(alice_, kLunch)),
              IsEmpty());
  EXPECT_EQ(router.agent_state(alice_), AgentState::Busy);
  expect_healthy(router);
  router.on_arrived(call(2, billing_));
  clock_.advance(60s);
  auto ended = router.on_ended(InteractionId{1});
  EXPECT_THAT(reported_state(ended, alice_), Optional(AgentState::WrapUp));
  clock_.advance(15s);
  auto after = router.on_tick();
  EXPECT_THAT(reported_state(after, alice_), Optional(AgentState::NotReady));
  EXPECT_THAT(all_of_type<OfferToAgents>(after), IsEmpty());  // call 2 keeps waiting
  EXPECT_EQ(router.agent_reason(alice_), kLunch);
  expect_healthy(router);
}

TEST_F(RouterAgentState, ReadyWhileBusyCancelsAPendingNotReady) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_agent_not_ready(alice_, kBreak);
  router.on_agent_ready(alice_);
  router.on_ended(InteractionId{1});
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  expect_healthy(router);
}

TEST_F(RouterAgentState, NotReadyWhileRingingAppliesAfterTheAnsweredCall) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_agent_not_ready(alice_, kBreak);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Offered);
  router.on_answered(InteractionId{1}, alice_);
  router.on_arrived(call(2, billing_));
  auto ended = router.on_ended(InteractionId{1});
  EXPECT_THAT(reported_state(ended, alice_), Optional(AgentState::NotReady));
  EXPECT_THAT(all_of_type<OfferToAgents>(ended), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterAgentState, WrapUpEndsByTheTimer) {
  config_.queues[0].wrap_up = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::WrapUp);
  clock_.advance(19s);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::WrapUp);
  clock_.advance(1s);
  EXPECT_THAT(reported_state(router.on_tick(), alice_), Optional(AgentState::Available));
  expect_healthy(router);
}

TEST_F(RouterAgentState, WrapUpEndsEarlyByWrapUpDoneAndTheOldTimerIsHarmless) {
  config_.queues[0].wrap_up = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  clock_.advance(5s);
  EXPECT_THAT(reported_state(router.on_wrap_up_done(alice_), alice_),
              Optional(AgentState::Available));
  // A second call and wrap-up; the first wrap-up's timer must not cut this one short.
  router.on_arrived(call(2, billing_));
  answer_and_end(router, 2, alice_);
  clock_.advance(15s);  // the first timer's time
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::WrapUp);
  clock_.advance(5s);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  expect_healthy(router);
}

TEST_F(RouterAgentState, WrapUpEndsEarlyByReady) {
  config_.queues[0].wrap_up = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  router.on_arrived(call(2, billing_));
  EXPECT_THAT(offered_interaction(router.on_agent_ready(alice_)), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, NotReadyDuringWrapUpAppliesAtOnce) {
  config_.queues[0].wrap_up = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  router.on_agent_not_ready(alice_, kBreak);
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);
  clock_.advance(20s);
  router.on_tick();
  EXPECT_EQ(router.agent_state(alice_), AgentState::NotReady);  // the wrap-up timer is void
  expect_healthy(router);
}

TEST_F(RouterAgentState, LogoutTakesTheAgentOutAndRepeatsAreIgnored) {
  Router router = make();
  router.on_agent_login(alice_);
  EXPECT_THAT(router.on_agent_login(alice_), IsEmpty());
  auto actions = router.on_agent_logout(alice_);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::LoggedOut));
  EXPECT_THAT(router.on_agent_logout(alice_), IsEmpty());
  EXPECT_EQ(router.queue_snapshot(billing_).staffed, 0);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(1, billing_))), IsEmpty());
  expect_healthy(router);
}

TEST_F(RouterAgentState, LogoutWhileTalkingLetsTheCallFinish) {
  config_.queues[0].wrap_up = 20s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_agent_logout(alice_);
  EXPECT_EQ(router.interaction(InteractionId{1})->state, detail::InteractionState::Connected);
  expect_healthy(router);
  router.on_ended(InteractionId{1});
  EXPECT_EQ(router.agent_state(alice_), AgentState::LoggedOut);
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
}

TEST_F(RouterAgentState, WithNoAgentsAtAllCallersWaitAndNothingBreaks) {
  RoutingConfig empty = config_with_skills({});
  const QueueId q = add_queue(empty, "lonely", {});
  Router router(clock_, empty);
  for (uint64_t id = 1; id <= 3; ++id) {
    auto actions = router.on_arrived(call(id, q));
    EXPECT_THAT(all_of_type<Queued>(actions), SizeIs(1));
  }
  clock_.advance(1h);
  router.on_tick();
  EXPECT_EQ(router.waiting_count(), 3u);
  EXPECT_EQ(router.queue_snapshot(q).oldest_wait, Duration(1h));
  router.on_abandoned(InteractionId{2});
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 2);
  expect_healthy(router);
}

TEST_F(RouterAgentState, WhenEveryAgentIsNotReadyCallersWait) {
  Router router = make();
  router.on_agent_login(alice_, false);
  router.on_agent_login(bob_);
  router.on_agent_not_ready(bob_, kBreak);
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(id, billing_))), IsEmpty());
  }
  clock_.advance(10min);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_tick()), IsEmpty());
  EXPECT_EQ(router.waiting_count(billing_), 3u);
  expect_healthy(router);
}

TEST_F(RouterAgentState, LogoutWhileRingingSendsTheCallToTheNextAgentWithoutAMiss) {
  config_.missed.auto_not_ready_after = 1;
  Router router = make();
  router.on_agent_login(alice_);
  clock_.advance(1s);
  router.on_agent_login(bob_);
  router.on_arrived(call(1, billing_));  // alice
  auto actions = router.on_agent_logout(alice_);
  EXPECT_TRUE(cancels(actions, 1, alice_));
  EXPECT_THAT(offered_agent(actions), Optional(bob_));
  EXPECT_EQ(router.agent_state(alice_), AgentState::LoggedOut);
  expect_healthy(router);
}

TEST_F(RouterAgentState, LogoutWhileRingingLeavesNoExclusion) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  auto out = router.on_agent_logout(alice_);
  EXPECT_TRUE(cancels(out, 1, alice_));
  EXPECT_EQ(router.interaction(InteractionId{1})->position, 1);
  expect_healthy(router);
  // Back at once: not a miss, so the caller may have alice again straight away.
  EXPECT_THAT(offered_interaction(router.on_agent_login(alice_)), Optional(1u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, AbandonWhileOfferedCancelsAndFreesTheAgentInItsIdlePlace) {
  Router router = make();
  router.on_agent_login(alice_);
  clock_.advance(10s);
  router.on_agent_login(bob_);
  router.on_arrived(call(1, billing_));  // alice, idle longest
  auto actions = router.on_abandoned(InteractionId{1});
  EXPECT_TRUE(cancels(actions, 1, alice_));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Available);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::Available));
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  expect_healthy(router);
  clock_.advance(10s);
  EXPECT_THAT(offered_agent(router.on_arrived(call(2, billing_))), Optional(alice_));
  expect_healthy(router);
}

TEST_F(RouterAgentState, AbandonWhileOfferedGivesTheAgentTheNextCaller) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_arrived(call(2, billing_));
  auto actions = router.on_abandoned(InteractionId{1});
  EXPECT_THAT(offered_interaction(actions), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, AbandonWhileWaitingRemovesTheCaller) {
  Router router = make();
  for (uint64_t id = 1; id <= 3; ++id) {
    router.on_arrived(call(id, billing_));
  }
  EXPECT_THAT(router.on_abandoned(InteractionId{1}), IsEmpty());
  EXPECT_FALSE(router.interaction(InteractionId{1}));
  EXPECT_EQ(router.interaction(InteractionId{2})->position, 1);
  EXPECT_EQ(router.interaction(InteractionId{3})->position, 2);
  EXPECT_EQ(router.waiting_count(), 2u);
  EXPECT_THAT(router.on_abandoned(InteractionId{1}), IsEmpty());  // twice: nothing
  EXPECT_THAT(offered_interaction(router.on_agent_login(alice_)), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, AnAgentInTwoQueuesTakesTheLongestWaitingCallerOfEither) {
  config_.agents[index_of(alice_)].skills = {{SkillId{0}, 3}, {SkillId{1}, 3}};
  Router router = make();
  router.on_arrived(call(1, sales_));
  clock_.advance(10s);
  router.on_arrived(call(2, billing_));
  clock_.advance(10s);
  router.on_arrived(call(3, sales_));
  EXPECT_THAT(offered_interaction(router.on_agent_login(alice_)), Optional(1u));
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{1})), Optional(2u));
  router.on_answered(InteractionId{2}, alice_);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{2})), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, WrapUpAfterACallInOneQueueHoldsTheAgentForTheOther) {
  config_.agents[index_of(alice_)].skills = {{SkillId{0}, 3}, {SkillId{1}, 3}};
  config_.queues[index_of(billing_)].wrap_up = 30s;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  answer_and_end(router, 1, alice_);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(2, sales_))), IsEmpty());
  clock_.advance(30s);
  EXPECT_THAT(offered_interaction(router.on_tick()), Optional(2u));
  expect_healthy(router);
}

TEST_F(RouterAgentState, LongestIdleCountsTheLastCallInAnyQueue) {
  // alice serves billing and sales, bob only sales. alice logged in first, but her billing
  // call ended after bob logged in: bob has been idle longer for a sales call.
  config_.agents[index_of(alice_)].skills = {{SkillId{0}, 3}, {SkillId{1}, 3}};
  config_.agents[index_of(bob_)].skills = {{SkillId{1}, 3}};
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, billing_));
  router.on_answered(InteractionId{1}, alice_);
  clock_.advance(10s);
  router.on_agent_login(bob_);
  clock_.advance(10s);
  router.on_ended(InteractionId{1});
  EXPECT_THAT(offered_agent(router.on_arrived(call(2, sales_))), Optional(bob_));
  expect_healthy(router);
}

class RouterChatCapacity : public ::testing::Test {
 protected:
  RouterChatCapacity() : clock_(at_nine()) {
    config_ = config_with_skills({"support"});
    chat_ = add_queue(config_, "chat", {{SkillId{0}, 1}});
    config_.queues[index_of(chat_)].channel = Channel::Chat;
    voice_ = add_queue(config_, "voice", {{SkillId{0}, 1}});
    alice_ = add_agent(config_, "alice", {{SkillId{0}, 3}});
    config_.agents[index_of(alice_)].capacity[static_cast<int>(Channel::Chat)] = 3;
  }
  Router make() { return Router(clock_, config_); }

  VirtualClock clock_;
  RoutingConfig config_;
  QueueId chat_{}, voice_{};
  AgentId alice_{};
};

TEST_F(RouterChatCapacity, AnAgentTakesUpToItsChatCapacityAtOnce) {
  Router router = make();
  router.on_agent_login(alice_);
  for (uint64_t id = 1; id <= 3; ++id) {
    EXPECT_THAT(offered_agent(router.on_arrived(call(id, chat_))), Optional(alice_)) << id;
    expect_healthy(router);
  }
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(4, chat_))), IsEmpty());
  for (uint64_t id = 1; id <= 3; ++id) {
    router.on_answered(InteractionId{id}, alice_);
  }
  EXPECT_EQ(router.agent_state(alice_), AgentState::Busy);
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{2})), Optional(4u));
  expect_healthy(router);
}

TEST_F(RouterChatCapacity, WaitingChatsAreAllTakenWhenTheAgentComes) {
  Router router = make();
  for (uint64_t id = 1; id <= 4; ++id) {
    router.on_arrived(call(id, chat_));
  }
  auto offers = all_of_type<OfferToAgents>(router.on_agent_login(alice_));
  ASSERT_THAT(offers, SizeIs(3));
  EXPECT_EQ(index_of(offers[0].interaction), 1u);
  EXPECT_EQ(index_of(offers[2].interaction), 3u);
  EXPECT_EQ(router.interaction(InteractionId{4})->position, 1);
  expect_healthy(router);
}

TEST_F(RouterChatCapacity, NoVoiceWhileChattingAndNoChatWhileOnTheVoice) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, chat_));
  router.on_answered(InteractionId{1}, alice_);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(2, voice_))), IsEmpty());
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{1})), Optional(2u));
  router.on_answered(InteractionId{2}, alice_);
  EXPECT_THAT(all_of_type<OfferToAgents>(router.on_arrived(call(3, chat_))), IsEmpty());
  expect_healthy(router);
  EXPECT_THAT(offered_interaction(router.on_ended(InteractionId{2})), Optional(3u));
  expect_healthy(router);
}

TEST_F(RouterChatCapacity, AChatAgentWhoMissesOneOfferStaysBusyAndTakesTheNextChat) {
  config_.agents[index_of(alice_)].capacity[static_cast<int>(Channel::Chat)] = 2;
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, chat_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_arrived(call(2, chat_));     // rings alice: she is full now
  router.on_arrived(call(3, chat_));     // waits
  auto actions = router.on_ring_timeout(InteractionId{2}, alice_);
  // Room again: chat 2 excludes her for a while, chat 3 does not.
  EXPECT_THAT(offered_interaction(actions), Optional(3u));
  EXPECT_EQ(router.agent_state(alice_), AgentState::Offered);
  expect_healthy(router);
  router.on_answered(InteractionId{3}, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Busy);
  expect_healthy(router);
}

TEST_F(RouterChatCapacity, AMissedChatLeavesTheAgentReportedBusyWithItsOtherChats) {
  Router router = make();
  router.on_agent_login(alice_);
  router.on_arrived(call(1, chat_));
  router.on_answered(InteractionId{1}, alice_);
  router.on_arrived(call(2, chat_));
  auto actions = router.on_ring_timeout(InteractionId{2}, alice_);
  EXPECT_EQ(router.agent_state(alice_), AgentState::Busy);
  EXPECT_THAT(reported_state(actions, alice_), Optional(AgentState::Busy));
  expect_healthy(router);
}

TEST_F(RouterChatCapacity, AChatAgentsIdlePlaceStartsWhenItsLastChatEnds) {
  const AgentId bob = add_agent(config_, "bob", {{SkillId{0}, 3}});
  config_.agents[index_of(bob)].capacity[static_cast<int>(Channel::Chat)] = 3;
  Router router = make();
  router.on_agent_login(alice_);
  clock_.advance(10s);
  router.on_agent_login(bob);
  router.on_arrived(call(1, chat_));  // alice: idle longest
  router.on_answered(InteractionId{1}, alice_);
  clock_.advance(60s);
  router.on_ended(InteractionId{1});  // alice idle from now; bob since his login
  EXPECT_THAT(offered_agent(router.on_arrived(call(2, chat_))), Optional(bob));
  expect_healthy(router);
}

}  // namespace
}  // namespace sb::acd
