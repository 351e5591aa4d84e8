// acd/router_test_support.h: small builders for router tests: configs, a virtual clock at a
// fixed morning, and matchers on actions.
#pragma once

#include <gmock/gmock.h>

#include <optional>
#include <string>
#include <vector>

#include "acd/router.h"

namespace sb::acd::testing {

using namespace std::chrono_literals;

inline TimePoint at_nine() { return TimePoint{} + std::chrono::hours(24 * 20000 + 9); }

// A config with the given skills; queues and agents are added by the helpers below.
inline RoutingConfig config_with_skills(std::vector<std::string> skills) {
  RoutingConfig c;
  c.skills = std::move(skills);
  c.reason_codes = {"none", "break", "lunch", "missed"};
  c.missed.not_ready_reason = ReasonCode{3};
  c.missed.penalty = 0s;
  c.missed.auto_not_ready_after = 0;
  return c;
}

inline QueueId add_queue(RoutingConfig& c, std::string name, std::vector<SkillRequirement> skills,
                         Strategy strategy = Strategy::LongestIdle) {
  QueueConfig q;
  q.name = std::move(name);
  q.skills = std::move(skills);
  q.strategy = strategy;
  q.ring_timeout = 0s;  // tests drive ring timeouts explicitly unless they set one
  q.reoffer_exclusion = 30s;
  c.queues.push_back(std::move(q));
  return QueueId{static_cast<uint32_t>(c.queues.size() - 1)};
}

inline AgentId add_agent(RoutingConfig& c, std::string name, std::vector<AgentSkill> skills = {}) {
  AgentConfig a;
  a.name = std::move(name);
  a.skills = std::move(skills);
  c.agents.push_back(std::move(a));
  return AgentId{static_cast<uint32_t>(c.agents.size() - 1)};
}

inline NewInteraction call(uint64_t id, QueueId queue, int priority = 0) {
  return NewInteraction{InteractionId{id}, queue, priority, false};
}

template <typename T>
std::vector<T> all_of_type(const Actions& actions) {
  std::vector<T> out;
  for (const auto& a : actions) {
    if (const T* t = std::get_if<T>(&a)) {
      out.push_back(*t);
    }
  }
  return out;
}

// The single agent the actions offered the interaction to, or nullopt.
inline std::optional<AgentId> offered_agent(const Actions& actions) {
  auto offers = all_of_type<OfferToAgents>(actions);
  if (offers.size() != 1 || offers[0].agents.size() != 1) {
    return std::nullopt;
  }
  return offers[0].agents[0];
}

inline std::optional<uint64_t> offered_interaction(const Actions& actions) {
  auto offers = all_of_type<OfferToAgents>(actions);
  if (offers.size() != 1) {
    return std::nullopt;
  }
  return index_of(offers[0].interaction);
}

// Every agent one offer rang (several for ring-all), or empty when there was no single offer.
inline std::vector<AgentId> offered_agents(const Actions& actions) {
  auto offers = all_of_type<OfferToAgents>(actions);
  return offers.size() == 1 ? offers[0].agents : std::vector<AgentId>{};
}

// The last state the actions reported for the agent, or nullopt.
inline std::optional<AgentState> reported_state(const Actions& actions, AgentId agent) {
  std::optional<AgentState> state;
  for (const auto& change : all_of_type<AgentStateChanged>(actions)) {
    if (change.agent == agent) {
      state = change.state;
    }
  }
  return state;
}

inline bool cancels(const Actions& actions, uint64_t interaction, AgentId agent) {
  for (const auto& c : all_of_type<CancelOffer>(actions)) {
    if (index_of(c.interaction) == interaction && c.agent == agent) {
      return true;
    }
  }
  return false;
}

inline void set_penalty(RoutingConfig& c, AgentId agent, QueueId queue, int penalty) {
  c.agents[index_of(agent)].penalties.push_back({queue, penalty});
}

// Answer and end at once (no talk time): the agent is free again unless the queue has wrap-up.
inline Actions answer_and_end(Router& router, uint64_t interaction, AgentId agent) {
  Actions out = router.on_answered(InteractionId{interaction}, agent);
  Actions more = router.on_ended(InteractionId{interaction});
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

// Expansion steps (designated initializers would trip -Wmissing-field-initializers).
inline ExpansionStep lower_proficiency_after(Duration after, int min_proficiency) {
  ExpansionStep step;
  step.after = after;
  step.min_proficiency = min_proficiency;
  return step;
}
inline ExpansionStep drop_skill_after(Duration after, SkillId skill) {
  ExpansionStep step;
  step.after = after;
  step.drop_skills = {skill};
  return step;
}
inline ExpansionStep add_queue_after(Duration after, QueueId queue) {
  ExpansionStep step;
  step.after = after;
  step.add_queues = {queue};
  return step;
}
inline ExpansionStep widen_penalty_after(Duration after, int max_penalty) {
  ExpansionStep step;
  step.after = after;
  step.max_penalty = max_penalty;
  return step;
}

// Fails the test if the router's self-check finds anything.
inline void expect_healthy(const Router& router) {
  auto problems = router.check_invariants();
  EXPECT_THAT(problems, ::testing::IsEmpty());
}

}  // namespace sb::acd::testing
