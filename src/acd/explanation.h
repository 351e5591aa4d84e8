// acd/explanation.h: why the router did what it did, kept per interaction so an operator can
// ask "why did this call go to Bob". Structured when recorded (cheap), text only on demand.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "acd/config.h"
#include "acd/ids.h"
#include "common/clock.h"

namespace sb::acd {

struct Candidate {
  AgentId agent{};
  int penalty = 0;
  double score = 0;  // the strategy's ordering key (lower wins); its meaning depends on it
  Duration idle{};   // how long the agent had been idle at the decision
};

struct Explanation {
  enum class Kind : uint8_t {
    OfferedOnArrival,      // an agent was free when the interaction arrived or was re-queued
    OfferedWhenAgentFreed, // the interaction was the best waiting one for a freed agent
    OfferedAfterExpansion, // a wider eligibility step found an agent
    Queued,                // nobody eligible was free
    Expanded,              // the interaction moved to the next eligibility step
    Overflowed,
    Reoffered,             // after ring-no-answer, rejection or the agent leaving
    Answered,              // connected: the wait the caller was promised and the real one
    OfferedToNamedAgent,   // transferred to one agent by name, outside the queue's strategy
  };
  Kind kind{};
  TimePoint at{};
  QueueId queue{};
  int step = 0;            // eligibility step in force (0 = base rule)
  Strategy strategy{};
  AgentId chosen{};        // for offers
  int available_candidates = 0;  // free eligible agents in the step's pool
  int competing_pools = 0;       // for OfferedWhenAgentFreed: pools whose heads were compared
  uint8_t shown = 0;             // how many of `top` are filled
  std::array<Candidate, 3> top{};
  int excluded = 0;              // candidates skipped by the re-offer exclusion
  Duration predicted_wait{};     // for Answered: the estimate given when queued
  Duration actual_wait{};        // for Answered: from entering the queue to the answer
};

// One line of text per decision, for logs, the CLI and the API.
std::string describe(const Explanation& e, const RoutingConfig& config);
std::string describe_all(const std::vector<Explanation>& list, const RoutingConfig& config);

}  // namespace sb::acd
