// call/agent_events.cc
#include "call/agent_events.h"

#include "call/json_text.h"

namespace sb::call {
namespace {

events::EventKind kind_of(acd::AgentState state) {
  switch (state) {
    case acd::AgentState::LoggedOut: return events::EventKind::AgentLogout;
    case acd::AgentState::Available: return events::EventKind::AgentReady;
    case acd::AgentState::Offered: return events::EventKind::AgentOffered;
    case acd::AgentState::Busy: return events::EventKind::AgentBusy;
    case acd::AgentState::WrapUp: return events::EventKind::AgentWrapUp;
    case acd::AgentState::NotReady: return events::EventKind::AgentNotReady;
    case acd::AgentState::Missed: return events::EventKind::AgentMissed;
  }
  return events::EventKind::AgentReady;
}

bool concerns_a_call(acd::AgentState state) {
  return state == acd::AgentState::Offered || state == acd::AgentState::Busy || state == acd::AgentState::WrapUp ||
         state == acd::AgentState::Missed;
}

events::Event event(const AgentChange& c, events::EventKind kind, nlohmann::json data) {
  events::Event e;
  e.kind = kind;
  e.at = c.at;
  e.agent = c.agent;
  e.data = json_text(data);
  return e;
}

}  // namespace

std::vector<events::Event> agent_events(const AgentChange& c) {
  std::vector<events::Event> out;
  // Not ready for another reason is a change too (lunch after a meeting).
  if (c.from == c.to && !(c.to == acd::AgentState::NotReady && c.reason != c.from_reason)) {
    return out;
  }
  if (c.from == acd::AgentState::LoggedOut) {
    out.push_back(event(c, events::EventKind::AgentLogin, {{"phone", c.phone}}));
  }
  nlohmann::json data = {{"from", acd::agent_state_name(c.from)}};
  if (c.to == acd::AgentState::NotReady) {
    data["reason"] = c.reason;
  }
  if (c.from == acd::AgentState::NotReady) {
    data["from_reason"] = c.from_reason;
  }
  if (c.to == acd::AgentState::LoggedOut) {
    data["phone"] = c.phone;
  }
  events::Event e = event(c, kind_of(c.to), std::move(data));
  if (concerns_a_call(c.to)) {
    e.interaction_id = c.interaction;
    e.queue = c.queue;
  }
  out.push_back(std::move(e));
  return out;
}

}  // namespace sb::call
