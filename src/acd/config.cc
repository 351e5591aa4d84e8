// acd/config.cc: name look-ups on the routing configuration (start-up and tooling only).
#include "acd/config.h"

namespace sb::acd {
namespace {

template <typename Id, typename Range, typename NameOf>
std::optional<Id> find_by_name(const Range& items, std::string_view name, NameOf name_of) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (name_of(items[i]) == name) {
      return static_cast<Id>(i);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<QueueId> RoutingConfig::find_queue(std::string_view name) const {
  return find_by_name<QueueId>(queues, name, [](const QueueConfig& q) { return q.name; });
}

std::optional<AgentId> RoutingConfig::find_agent(std::string_view name) const {
  return find_by_name<AgentId>(agents, name, [](const AgentConfig& a) { return a.name; });
}

std::optional<SkillId> RoutingConfig::find_skill(std::string_view name) const {
  return find_by_name<SkillId>(skills, name, [](const std::string& s) { return s; });
}

std::optional<ReasonCode> RoutingConfig::find_reason(std::string_view name) const {
  return find_by_name<ReasonCode>(reason_codes, name, [](const std::string& s) { return s; });
}

}  // namespace sb::acd
