// app/config/references.h: resolves names used in the config (skills, queues, teams, reason
// codes, agents) into ids, reporting unknown ones with the valid choices.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "acd/config.h"
#include "app/config/yaml_reader.h"

namespace sb::app {

// A `{skill: level}` map with levels 1..5 (an agent's proficiency, a queue's minimum); the
// entries that resolve, in file order. Errors are reported at the offending key or value.
std::vector<std::pair<acd::SkillId, int>> read_skill_levels(YamlReader& reader,
                                                            const Field& field,
                                                            const acd::RoutingConfig& config);

// Each returns nullopt and reports at `at` when `name` is not defined in `config`.
std::optional<acd::SkillId> resolve_skill(YamlReader& reader, const Field& at,
                                          const std::string& name,
                                          const acd::RoutingConfig& config);
std::optional<acd::QueueId> resolve_queue(YamlReader& reader, const Field& at,
                                          const std::string& name,
                                          const acd::RoutingConfig& config);
std::optional<acd::TeamId> resolve_team(YamlReader& reader, const Field& at,
                                        const std::string& name, const acd::RoutingConfig& config);
std::optional<acd::ReasonCode> resolve_reason(YamlReader& reader, const Field& at,
                                              const std::string& name,
                                              const acd::RoutingConfig& config);

// An agent name, or a prefix pattern ending in '*' ("bill-*"). Returns the matching agents in
// agent order; empty (and reported) when none match.
std::vector<acd::AgentId> resolve_agents(YamlReader& reader, const Field& at,
                                         const std::string& pattern,
                                         const acd::RoutingConfig& config);

}  // namespace sb::app
