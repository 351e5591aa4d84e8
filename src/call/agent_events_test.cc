#include "call/agent_events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sb::call {
namespace {

using acd::AgentState;
using events::EventKind;

AgentChange change(AgentState from, AgentState to) {
  AgentChange c;
  c.agent = "alice";
  c.from = from;
  c.to = to;
  c.phone = "sip:1001@pbx";
  c.interaction = "i1";
  c.queue = "sales";
  c.at = TimePoint{std::chrono::seconds(100)};
  return c;
}

nlohmann::json data(const events::Event& e) { return nlohmann::json::parse(e.data); }

TEST(AgentEvents, LeavingLoggedOutIsALoginWithThePhoneThenTheState) {
  auto out = agent_events(change(AgentState::LoggedOut, AgentState::Available));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, EventKind::AgentLogin);
  EXPECT_EQ(data(out[0])["phone"], "sip:1001@pbx");
  EXPECT_EQ(out[1].kind, EventKind::AgentReady);
  EXPECT_EQ(data(out[1])["from"], "logged-out");
  EXPECT_EQ(out[1].interaction_id, "") << "ready concerns no call";
}

TEST(AgentEvents, NotReadyNamesTheReason) {
  AgentChange c = change(AgentState::Available, AgentState::NotReady);
  c.reason = "lunch";
  auto out = agent_events(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, EventKind::AgentNotReady);
  EXPECT_EQ(data(out[0])["reason"], "lunch");
  EXPECT_EQ(data(out[0])["from"], "available");
}

TEST(AgentEvents, NotReadyForAnotherReasonIsAChange) {
  AgentChange c = change(AgentState::NotReady, AgentState::NotReady);
  c.from_reason = "meeting";
  c.reason = "lunch";
  auto out = agent_events(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(data(out[0])["reason"], "lunch");
  EXPECT_EQ(data(out[0])["from_reason"], "meeting");
  c.reason = "meeting";
  EXPECT_TRUE(agent_events(c).empty());
}

TEST(AgentEvents, OfferBusyMissedAndWrapUpCarryTheirInteractionAndQueue) {
  for (AgentState s : {AgentState::Offered, AgentState::Busy, AgentState::Missed, AgentState::WrapUp}) {
    auto out = agent_events(change(AgentState::Available, s));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].interaction_id, "i1");
    EXPECT_EQ(out[0].queue, "sales");
    EXPECT_EQ(events::topic_of(out[0].kind), events::Topic::Agent);
  }
  EXPECT_EQ(agent_events(change(AgentState::Offered, AgentState::Missed))[0].kind, EventKind::AgentMissed);
}

TEST(AgentEvents, LogoutSaysWhichPhoneAndNoChangeSaysNothing) {
  auto out = agent_events(change(AgentState::NotReady, AgentState::LoggedOut));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, EventKind::AgentLogout);
  EXPECT_EQ(data(out[0])["phone"], "sip:1001@pbx");
  EXPECT_TRUE(agent_events(change(AgentState::Busy, AgentState::Busy)).empty());
}

}  // namespace
}  // namespace sb::call
