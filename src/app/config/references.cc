// app/config/references.cc: name-to-id look-ups with "unknown X; expected one of ..." errors.
#include "app/config/references.h"

#include <fmt/format.h>

namespace sb::app {
namespace {

template <typename Id>
std::optional<Id> find_name(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      return static_cast<Id>(i);
    }
  }
  return std::nullopt;
}

// `list_hint` says where the names come from, for the case where none are defined at all.
template <typename Id>
std::optional<Id> resolve(YamlReader& reader, const Field& at, const std::string& name,
                          const std::vector<std::string>& names, std::string_view what,
                          std::string_view list_hint) {
  auto id = find_name<Id>(names, name);
  if (id) {
    return id;
  }
  if (names.empty()) {
    reader.error(at, fmt::format("unknown {} \"{}\"; none are defined (add them to {})", what, name,
                                 list_hint));
  } else {
    reader.error(
        at, fmt::format("unknown {} \"{}\"; expected one of {}", what, name, join_names(names)));
  }
  return std::nullopt;
}

std::vector<std::string> queue_names(const acd::RoutingConfig& config) {
  std::vector<std::string> names;
  for (const acd::QueueConfig& q : config.queues) {
    names.push_back(q.name);
  }
  return names;
}

}  // namespace

std::optional<acd::SkillId> resolve_skill(YamlReader& reader, const Field& at,
                                          const std::string& name,
                                          const acd::RoutingConfig& config) {
  return resolve<acd::SkillId>(reader, at, name, config.skills, "skill",
                               "the top-level \"skills:\" list");
}

std::optional<acd::QueueId> resolve_queue(YamlReader& reader, const Field& at,
                                          const std::string& name,
                                          const acd::RoutingConfig& config) {
  return resolve<acd::QueueId>(reader, at, name, queue_names(config), "queue",
                               "the top-level \"queues:\" map");
}

std::optional<acd::TeamId> resolve_team(YamlReader& reader, const Field& at,
                                        const std::string& name, const acd::RoutingConfig& config) {
  return resolve<acd::TeamId>(reader, at, name, config.teams, "team",
                              "the top-level \"teams:\" list");
}

std::optional<acd::ReasonCode> resolve_reason(YamlReader& reader, const Field& at,
                                              const std::string& name,
                                              const acd::RoutingConfig& config) {
  return resolve<acd::ReasonCode>(reader, at, name, config.reason_codes, "reason code",
                                  "routing.reason_codes");
}

std::vector<acd::AgentId> resolve_agents(YamlReader& reader, const Field& at,
                                         const std::string& pattern,
                                         const acd::RoutingConfig& config) {
  std::vector<acd::AgentId> matches;
  const bool is_prefix = pattern.ends_with('*');
  const std::string_view prefix = std::string_view(pattern).substr(0, pattern.size() - 1);
  for (size_t i = 0; i < config.agents.size(); ++i) {
    const std::string& name = config.agents[i].name;
    if (is_prefix ? name.starts_with(prefix) : name == pattern) {
      matches.push_back(static_cast<acd::AgentId>(i));
    }
  }
  if (matches.empty()) {
    reader.error(at, is_prefix ? fmt::format("no agent matches \"{}\"", pattern)
                               : fmt::format("unknown agent \"{}\"", pattern));
  }
  return matches;
}

std::vector<std::pair<acd::SkillId, int>> read_skill_levels(YamlReader& reader,
                                                            const Field& field,
                                                            const acd::RoutingConfig& config) {
  std::vector<std::pair<acd::SkillId, int>> levels;
  auto entries = reader.map_entries(field);
  if (!entries) {
    return levels;
  }
  for (const MapEntry& entry : *entries) {
    auto skill = resolve_skill(reader, entry.key_field(), entry.key, config);
    auto level = reader.integer(entry.value, 1, 5);
    if (skill && level) {
      levels.emplace_back(*skill, static_cast<int>(*level));
    }
  }
  return levels;
}

}  // namespace sb::app
