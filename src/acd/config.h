// acd/config.h: the routing configuration the router runs on: skills, agents, queues and
// their strategies, eligibility expansion and overflow. Plain data, validated by the loader
// (app/config) before it reaches the router; the router trusts it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "acd/ids.h"
#include "common/clock.h"

namespace sb::acd {

enum class Strategy : uint8_t {
  LongestIdle,          // the agent idle the longest (since last interaction or login)
  RoundRobin,           // the next agent after the last one offered, in member order ("rrmemory")
  FewestInteractions,   // the agent who handled the fewest interactions since login
  LeastTalkTime,        // the agent with the least talk time since login
  BestSkillMatch,       // the highest proficiency on the queue's skills, then longest idle
  Linear,               // always top-down in member order
  RingAll,              // offer to every eligible available agent at once; first answer wins
  Random,               // uniformly at random
  WeightedRandom,       // at random, proportional to AgentConfig::weight
};

struct SkillRequirement {
  SkillId skill{};
  int min_proficiency = 1;  // 1..5
};

// Eligibility that widens with wait time ("bullseye"). Steps apply cumulatively, in order.
struct ExpansionStep {
  Duration after{};                           // measured from entry into this queue
  std::optional<int> min_proficiency;         // accept this proficiency on every kept skill
  std::vector<SkillId> drop_skills;           // no longer required
  std::vector<QueueId> add_queues;            // also agents eligible for these queues
  std::optional<int> max_penalty;             // also agents with penalty up to this
};

enum class OverflowKind : uint8_t { None, Queue, Voicemail, Callback, Hangup };

struct OverflowTarget {
  OverflowKind kind = OverflowKind::None;
  QueueId queue{};            // for OverflowKind::Queue
  std::string message;        // prompt or note for voicemail / hangup
};

struct ServiceLevel {
  double target = 0.8;        // fraction
  Duration threshold = std::chrono::seconds(20);
};

struct QueueConfig {
  std::string name;
  Channel channel = Channel::Voice;
  int priority = 0;                          // higher is served first, across queues
  Strategy strategy = Strategy::LongestIdle;
  std::vector<SkillRequirement> skills;      // empty: every agent that lists the queue
  std::vector<AgentId> members;              // explicit members (order matters for Linear/RR)
  ServiceLevel service_level;
  Duration wrap_up = std::chrono::seconds(0);
  Duration ring_timeout = std::chrono::seconds(20);   // 0: the call layer decides
  Duration reoffer_exclusion = std::chrono::seconds(30);  // K: do not re-offer the same agent
  std::optional<Duration> max_wait;
  OverflowTarget overflow;
  // Leave for the overflow target when no eligible agent (any step) is staffed, i.e. logged
  // in and not not-ready: checked when a caller arrives and when an eligible agent logs out.
  bool overflow_when_no_agents = false;
  std::optional<Duration> announce_every;    // periodic position / estimated wait
  std::optional<Duration> callback_after;    // offer a callback after waiting this long
  std::optional<int> max_penalty;            // agents above this penalty wait for expansion
  std::vector<ExpansionStep> expansion;      // sorted by `after`
  Duration default_handle_time = std::chrono::seconds(180);  // EWT before history exists
};

struct AgentSkill {
  SkillId skill{};
  int proficiency = 1;  // 1..5
};

struct QueuePenalty {
  QueueId queue{};
  int penalty = 0;  // lower is tried first (Asterisk penalty / FreeSWITCH tier level)
};

struct AgentConfig {
  std::string name;       // login name / extension
  std::string display_name;
  std::optional<TeamId> team;
  std::vector<AgentSkill> skills;
  std::vector<QueuePenalty> penalties;
  int capacity[kChannelCount] = {1, 1, 1};  // concurrent interactions per channel
  double weight = 1.0;                      // for WeightedRandom
};

struct MissedPolicy {
  Duration penalty = std::chrono::seconds(10);  // agent stays "missed" this long after RNA
  int auto_not_ready_after = 3;                 // consecutive misses; 0 disables
  ReasonCode not_ready_reason{};                // reason given on auto not-ready
};

// A logged-in agent whose device cannot ring (its registration removed or expired, or a login
// from a phone that never registered) is never available: it goes not ready with `reason`, and
// back to ready when the device can ring again; or, with `log_out`, it is logged out.
struct NoDevicePolicy {
  bool log_out = false;
  ReasonCode reason{};
};

struct VipPolicy {
  std::string attribute = "vip";  // attached-data key; a truthy value boosts priority
  int boost = 10;
};

struct RoutingConfig {
  std::vector<std::string> skills;
  std::vector<std::string> teams;
  std::vector<std::string> reason_codes = {"none"};  // index 0 is "no reason"
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
  double aging_per_minute = 0.0;  // priority points gained per minute of waiting
  MissedPolicy missed;
  NoDevicePolicy without_phone;
  VipPolicy vip;
  size_t explanation_history = 10000;  // ended interactions whose explanations are kept
  // How often a live server runs Router::check_invariants (logged and counted; 0: never).
  Duration self_check_every = std::chrono::seconds(10);

  std::optional<QueueId> find_queue(std::string_view name) const;
  std::optional<AgentId> find_agent(std::string_view name) const;
  std::optional<SkillId> find_skill(std::string_view name) const;
  std::optional<ReasonCode> find_reason(std::string_view name) const;
};

// Names used in config files and explanations, in one registry (acd/strategy_names.cc).
std::string_view strategy_name(Strategy s);
std::optional<Strategy> parse_strategy(std::string_view name);
std::string strategy_choices();  // "longest-idle, round-robin, ..." for error messages
std::string_view channel_name(Channel c);
std::optional<Channel> parse_channel(std::string_view name);

}  // namespace sb::acd
