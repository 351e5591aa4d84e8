// acd/agent_state.h: what an agent is doing, as the router sees it.
#pragma once

#include <string_view>

namespace sb::acd {

enum class AgentState : uint8_t {
  LoggedOut,
  Available,  // ready and free (or, for chat/email, ready with spare capacity)
  Offered,    // reserved: an interaction is ringing them
  Busy,       // connected to at least one interaction
  WrapUp,     // after-interaction work, for the queue's wrap-up time
  NotReady,   // logged in but not taking work, with a reason code
  Missed,     // did not answer an offer; out of rotation for the missed penalty
};

constexpr std::string_view agent_state_name(AgentState s) {
  switch (s) {
    case AgentState::LoggedOut: return "logged-out";
    case AgentState::Available: return "available";
    case AgentState::Offered: return "offered";
    case AgentState::Busy: return "busy";
    case AgentState::WrapUp: return "wrap-up";
    case AgentState::NotReady: return "not-ready";
    case AgentState::Missed: return "missed";
  }
  return "unknown";
}

}  // namespace sb::acd
