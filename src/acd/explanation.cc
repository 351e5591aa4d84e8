// acd/explanation.cc: routing explanations as text.
#include "acd/explanation.h"

#include <fmt/format.h>

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
         kind == Explanation::Kind::Reoffered;
}

}  // namespace

std::string describe(const Explanation& e, const RoutingConfig& config) {
  const std::string queue =
      index_of(e.queue) < config.queues.size() ? config.queues[index_of(e.queue)].name : "?";
  std::string out = fmt::format("{}: queue {} step {} ({}): {}",
                                e.at.time_since_epoch().count() / 1000000, queue, e.step,
                                strategy_name(e.strategy), kind_text(e.kind));
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
        out += fmt::format(" {} (penalty {}, key {:g})", agent_name(config, e.top[i].agent),
                           e.top[i].penalty, e.top[i].score);
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
