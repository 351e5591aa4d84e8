// call/agent_events.h: the agent events (events/event.h) that one change of an agent's state
// in the router makes: a login when the agent leaves logged-out (with its phone), then the
// state itself (ready, not ready with the reason's name, offered, busy, wrap-up, missed, or
// logout), each saying which state it left. Pure: the call center supplies names and the
// interaction the state concerns.
#pragma once

#include <string>
#include <vector>

#include "acd/agent_state.h"
#include "common/clock.h"
#include "events/event.h"

namespace sb::call {

struct AgentChange {
  std::string agent;
  acd::AgentState from = acd::AgentState::LoggedOut;
  acd::AgentState to = acd::AgentState::LoggedOut;
  std::string reason;       // the not-ready reason's name
  std::string from_reason;  // the reason it had, when it was not ready already
  std::string phone;        // the AOR the agent is logged in on
  std::string interaction;  // the call an offer, busy, missed or wrap-up state is about
  std::string queue;
  TimePoint at{};
};

std::vector<events::Event> agent_events(const AgentChange& change);

}  // namespace sb::call
