// acd/explanation.cc: routing explanations as text.
#include "acd/explanation.h"

#include <fmt/format.h>

#include "common/duration_text.h"

namespace sb::acd {
namespace {

std::string_view kind_text(Explanation::Kind kind) {
  switch (kind) {
    case Explanation::Kind::OfferedOnArrival: return "offered on arrival";
    case Explanation::Kind::OfferedWhenAgentFreed: return "offered when an agent became free";
    case Explanation::Kind::OfferedAfterExpansion: return "offered after eligibility widened";
    case Explanation::Kind::Queued: return "queued: no eligible agent free";
    case Explanation::Kind::Expanded: return "eligibility widened";
    case Explanation::Kind::Overflowed: return "overflowed";
    case Explanation::Kind::Reoffered: return "re-offered";
    case Explanation::Kind::Answered: return "answered";
    case Explanation::Kind::OfferedToNamedAgent: return "offered to the agent it was transferred to";
  }
  return "?";
}

std::string agent_name(const RoutingConfig& config, AgentId id) {
  return index_of(id) < config.agents.size() ? config.agents[index_of(id)].name : "?";
}

bool is_offer(Explanation::Kind kind) {
  return kind == Explanation::Kind::OfferedOnArrival ||
         kind == Explanation::Kind::OfferedWhenAgentFreed ||
         kind == Explanation::Kind::OfferedAfterExpansion ||
         kind == Explanation::Kind::Reoffered ||
         kind == Explanation::Kind::OfferedToNamedAgent;
}

// UTC time of day: explanations are read beside logs and call records.
std::string time_of_day(TimePoint t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  const auto day = ((seconds % 86400) + 86400) % 86400;
  return fmt::format("{:02}:{:02}:{:02}", day / 3600, day / 60 % 60, day % 60);
}

// What the strategy ranked the candidate by, in words.
std::string ranking_reason(Strategy strategy, const Candidate& c) {
  const std::string idle = "idle " + format_duration(c.idle);
  switch (strategy) {
    case Strategy::LongestIdle:
    case Strategy::RingAll:
      return idle;
    case Strategy::RoundRobin:
    case Strategy::Linear:
      return fmt::format("member #{}", static_cast<int>(c.score) + 1);
    case Strategy::FewestInteractions:
      return fmt::format("{} handled, {}", static_cast<int64_t>(c.score), idle);
    case Strategy::LeastTalkTime:
      return fmt::format("talked {}, {}", format_duration(from_seconds(c.score)), idle);
    case Strategy::BestSkillMatch:
      return fmt::format("proficiency {}, {}", static_cast<int>(-c.score), idle);
    case Strategy::Random:
    case Strategy::WeightedRandom:
      return fmt::format("draw {:.3f}", c.score);
  }
  return idle;
}

}  // namespace

std::string describe(const Explanation& e, const RoutingConfig& config) {
  const std::string queue =
      index_of(e.queue) < config.queues.size() ? config.queues[index_of(e.queue)].name : "?";
  std::string out = fmt::format("{} queue {} step {} ({}): {}", time_of_day(e.at), queue,
                                e.step, strategy_name(e.strategy), kind_text(e.kind));
  if (e.kind == Explanation::Kind::Answered) {
    return out + fmt::format(" by {} after {} (estimated {})", agent_name(config, e.chosen),
                             format_duration(e.actual_wait), format_duration(e.predicted_wait));
  }
  if (is_offer(e.kind)) {
    out += fmt::format(" -> {}; {} free eligible", agent_name(config, e.chosen),
                       e.available_candidates);
    if (e.competing_pools > 0) {
      out += fmt::format(", best of {} pool heads", e.competing_pools);
    }
    if (e.excluded > 0) {
      out += fmt::format(", {} skipped (recently missed)", e.excluded);
    }
    if (e.shown > 0) {
      out += "; ranking:";
      for (int i = 0; i < e.shown; ++i) {
        out += fmt::format("{} {} (penalty {}, {})", i ? "," : "", agent_name(config, e.top[i].agent),
                           e.top[i].penalty, ranking_reason(e.strategy, e.top[i]));
      }
    }
  }
  return out;
}

std::string describe_all(const std::vector<Explanation>& list, const RoutingConfig& config) {
  std::string out;
  for (const auto& e : list) {
    out += describe(e, config);
    out += '\n';
  }
  return out;
}

}  // namespace sb::acd
