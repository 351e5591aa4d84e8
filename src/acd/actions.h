// acd/actions.h: the decisions the router hands back. The router never calls out: every
// entry point returns the actions its caller (the call layer, or the simulator) must carry out.
#pragma once

#include <variant>
#include <vector>

#include "acd/agent_state.h"
#include "acd/config.h"
#include "acd/ids.h"
#include "common/clock.h"

namespace sb::acd {

// Ring these agents for this interaction (several only for ring-all). For a callback the
// agent is reserved and the caller must now be dialled.
struct OfferToAgents {
  InteractionId interaction{};
  QueueId queue{};
  std::vector<AgentId> agents;
  bool callback = false;
};

// Stop ringing an agent (ring-all loser, ring timeout, caller gone, agent logged out).
struct CancelOffer {
  InteractionId interaction{};
  AgentId agent{};
};

// The interaction entered a queue (on arrival, or after overflow into another queue).
struct Queued {
  InteractionId interaction{};
  QueueId queue{};
  int position = 0;
  Duration estimated_wait{};
};

// Periodic announcement for a waiting caller.
struct AnnouncePosition {
  InteractionId interaction{};
  int position = 0;
  Duration estimated_wait{};
};

// Offer the waiting caller a callback that keeps their place (virtual hold).
struct OfferCallback {
  InteractionId interaction{};
  QueueId queue{};
  Duration estimated_wait{};
};

// The interaction leaves its queue for the target: another queue (the router re-queues it
// itself and keeps its seniority), voicemail, a callback, or a message and hang-up.
struct Overflow {
  InteractionId interaction{};
  QueueId from{};
  OverflowTarget to;
  enum class Why : uint8_t { MaxWait, NoAgents } why = Why::MaxWait;
};

// An agent's state changed (including changes the router made itself: wrap-up ended,
// missed penalty, auto not-ready).
struct AgentStateChanged {
  AgentId agent{};
  AgentState state{};
  ReasonCode reason{};
};

using Action = std::variant<OfferToAgents, CancelOffer, Queued, AnnouncePosition, OfferCallback,
                            Overflow, AgentStateChanged>;
using Actions = std::vector<Action>;

}  // namespace sb::acd
