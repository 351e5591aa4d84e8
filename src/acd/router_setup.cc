// acd/router_setup.cc: builds the pools, one per (queue, eligibility step), from the static
// configuration. Runs once at start-up; O(queues x steps x agents).
#include <algorithm>

#include "acd/router.h"

namespace sb::acd {
namespace {

// The rule of one eligibility step, with every earlier step folded in (steps only widen).
struct StepRule {
  std::vector<SkillRequirement> skills;
  std::optional<int> max_penalty;
  std::vector<QueueId> extra_queues;
};

int proficiency_of(const AgentConfig& agent, SkillId skill) {
  for (const auto& s : agent.skills) {
    if (s.skill == skill) {
      return s.proficiency;
    }
  }
  return 0;
}

int penalty_of(const AgentConfig& agent, QueueId queue) {
  for (const auto& p : agent.penalties) {
    if (p.queue == queue) {
      return p.penalty;
    }
  }
  return 0;
}

bool is_member(const QueueConfig& queue, AgentId agent) {
  return queue.members.empty() ||
         std::find(queue.members.begin(), queue.members.end(), agent) != queue.members.end();
}

bool admits(const RoutingConfig& config, QueueId q, const StepRule& rule, AgentId id) {
  const QueueConfig& queue = config.queues[index_of(q)];
  const AgentConfig& agent = config.agents[index_of(id)];
  if (agent.capacity[static_cast<int>(queue.channel)] <= 0 || !is_member(queue, id)) {
    return false;
  }
  if (rule.max_penalty && penalty_of(agent, q) > *rule.max_penalty) {
    return false;
  }
  return std::all_of(rule.skills.begin(), rule.skills.end(), [&](const SkillRequirement& r) {
    return proficiency_of(agent, r.skill) >= r.min_proficiency;
  });
}

StepRule base_rule(const QueueConfig& queue) {
  return StepRule{queue.skills, queue.max_penalty, {}};
}

StepRule widen(StepRule rule, const ExpansionStep& step) {
  for (SkillId dropped : step.drop_skills) {
    std::erase_if(rule.skills, [&](const SkillRequirement& r) { return r.skill == dropped; });
  }
  if (step.min_proficiency) {
    for (auto& r : rule.skills) {
      r.min_proficiency = std::min(r.min_proficiency, *step.min_proficiency);
    }
  }
  // Only an existing limit can be raised: a rule without max_penalty admits every penalty
  // already, and a step's max_penalty must not narrow it (steps only widen; the wider pools
  // must hold every agent of the narrower ones, or a caller loses agents by waiting).
  if (step.max_penalty && rule.max_penalty) {
    rule.max_penalty = std::max(*rule.max_penalty, *step.max_penalty);
  }
  rule.extra_queues.insert(rule.extra_queues.end(), step.add_queues.begin(),
                           step.add_queues.end());
  return rule;
}

}  // namespace

void Router::build_pools() {
  const size_t queue_count = config_.queues.size();
  queue_pools_.assign(queue_count, {});
  for (size_t qi = 0; qi < queue_count; ++qi) {
    const QueueId q{static_cast<uint32_t>(qi)};
    const QueueConfig& queue = config_.queues[qi];
    StepRule rule = base_rule(queue);
    for (size_t step = 0; step <= queue.expansion.size(); ++step) {
      if (step > 0) {
        rule = widen(std::move(rule), queue.expansion[step - 1]);
      }
      const PoolIndex index = static_cast<PoolIndex>(pools_.size());
      detail::Pool& pool = pools_.emplace_back();
      pool.queue = q;
      pool.step = static_cast<int>(step);
      pool.channel = queue.channel;
      pool.strategy = queue.strategy;
      queue_pools_[qi].push_back(index);
      for (size_t ai = 0; ai < config_.agents.size(); ++ai) {
        const AgentId a{static_cast<uint32_t>(ai)};
        const AgentConfig& agent = config_.agents[ai];
        bool direct = admits(config_, q, rule, a);
        std::optional<QueueId> via;
        for (size_t e = 0; !direct && e < rule.extra_queues.size(); ++e) {
          const QueueId extra = rule.extra_queues[e];
          if (admits(config_, extra, base_rule(config_.queues[index_of(extra)]), a)) {
            via = extra;
            break;
          }
        }
        if (!direct && !via) {
          continue;
        }
        detail::Membership m;
        m.pool = index;
        m.penalty = penalty_of(agent, direct ? q : *via);
        auto it = std::find(queue.members.begin(), queue.members.end(), a);
        m.position = it != queue.members.end()
                         ? static_cast<int>(it - queue.members.begin())
                         : static_cast<int>(queue.members.size() + ai);
        for (const auto& r : queue.skills) {
          m.proficiency += proficiency_of(agent, r.skill);
        }
        agents_[ai].memberships.push_back(m);
        pool.members.push_back(a);
        if (step == 0 && direct) {
          agents_[ai].base_queues.push_back(q);
        }
      }
    }
  }
}

}  // namespace sb::acd
