// app/config/agent_section.cc: the `agents:` list: skills, queue penalties, capacity, and
// templates ("bill-{n}" with count) that stand for many identical agents.
#include <fmt/format.h>

#include <unordered_map>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

constexpr std::string_view kNumberSlot = "{n}";

void read_agent_skills(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                       acd::AgentConfig& agent) {
  for (const auto& [skill, level] : read_skill_levels(reader, field, config)) {
    agent.skills.push_back(acd::AgentSkill{skill, level});
  }
}

void read_penalties(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                    acd::AgentConfig& agent) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return;
  }
  for (const MapEntry& entry : *entries) {
    auto queue = resolve_queue(reader, entry.key_field(), entry.key, config);
    auto penalty = reader.integer(entry.value, 0, 100);
    if (queue && penalty) {
      agent.penalties.push_back(acd::QueuePenalty{*queue, static_cast<int>(*penalty)});
    }
  }
}

void read_capacity(YamlReader& reader, const Field& field, acd::AgentConfig& agent) {
  auto s = Section::open(reader, field, {"voice", "chat", "email"});
  if (!s) {
    return;
  }
  // One voice call at a time is a property of a headset, not a setting.
  s->read_int("voice", 0, 1, agent.capacity[static_cast<int>(acd::Channel::Voice)]);
  s->read_int("chat", 0, 100, agent.capacity[static_cast<int>(acd::Channel::Chat)]);
  s->read_int("email", 0, 100, agent.capacity[static_cast<int>(acd::Channel::Email)]);
}

std::string substitute(std::string text, std::string_view number) {
  for (size_t at = text.find(kNumberSlot); at != std::string::npos;
       at = text.find(kNumberSlot, at + number.size())) {
    text.replace(at, kNumberSlot.size(), number);
  }
  return text;
}

// The agents one list item stands for: itself, or one per number for a template. Reports a
// template without "{n}" and "{n}" without count; empty when the item is unusable.
std::vector<acd::AgentConfig> instances(YamlReader& reader, const Section& s,
                                        const Field& name_field, const acd::AgentConfig& agent) {
  const bool has_slot = agent.name.find(kNumberSlot) != std::string::npos;
  int count = 0;
  int first = 1;
  const bool has_count = s.read_int("count", 1, 10'000, count);
  s.read_int("first", 0, 1'000'000, first);
  if (s.has("first") && !s.has("count")) {
    reader.error(*s.get("first"), "\"first\" only applies to a template with \"count\"");
  }
  if (s.has("count") && !has_slot) {
    reader.error(name_field, fmt::format("a template with count needs \"{{n}}\" in its name where "
                                         "the number goes, e.g. \"{}-{{n}}\"",
                                         agent.name));
    return {};
  }
  if (has_slot && !s.has("count")) {
    reader.error(name_field,
                 fmt::format("\"{{n}}\" in \"{}\" needs a count of agents to make", agent.name));
    return {};
  }
  if (!has_slot) {
    return {agent};
  }
  std::vector<acd::AgentConfig> out;
  for (int n = first; has_count && n < first + count; ++n) {
    acd::AgentConfig copy = agent;
    copy.name = substitute(agent.name, std::to_string(n));
    copy.display_name = substitute(agent.display_name, std::to_string(n));
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace

void read_agents(YamlReader& reader, const Field& field, acd::RoutingConfig& config) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  std::unordered_map<std::string, int> first_line;  // agent name -> line it was defined on
  for (const Field& item : *items) {
    auto s = Section::open(reader, item,
                           {"name", "display_name", "team", "skills", "penalties", "capacity",
                            "weight", "count", "first"});
    if (!s) {
      continue;
    }
    acd::AgentConfig agent;
    auto name_field = s->require("name");
    auto name = name_field ? reader.string(*name_field) : std::nullopt;
    if (name && name->empty()) {
      reader.error(*name_field, "expected an agent name, got an empty string");
      name.reset();
    } else if (name && name->find('*') != std::string::npos) {
      // '*' selects agents by prefix in members and shifts, so a name cannot contain it.
      reader.error(*name_field, fmt::format("agent name \"{}\" cannot contain '*'", *name));
      name.reset();
    }
    s->read_string("display_name", agent.display_name);
    if (auto f = s->get("team")) {
      if (auto team_name = reader.string(*f)) {
        agent.team = resolve_team(reader, *f, *team_name, config);
      }
    }
    if (auto f = s->get("skills")) {
      read_agent_skills(reader, *f, config, agent);
    }
    if (auto f = s->get("penalties")) {
      read_penalties(reader, *f, config, agent);
    }
    if (auto f = s->get("capacity")) {
      read_capacity(reader, *f, agent);
    }
    s->read_number("weight", NumberRange::above(0), agent.weight);
    if (!name) {
      continue;
    }
    agent.name = *name;
    const int line = name_field->mark.line + 1;
    for (acd::AgentConfig& instance : instances(reader, *s, *name_field, agent)) {
      auto [seen, inserted] = first_line.emplace(instance.name, line);
      if (!inserted) {
        reader.error(*name_field, fmt::format("duplicate agent \"{}\" (first at line {})",
                                              instance.name, seen->second));
        continue;
      }
      config.agents.push_back(std::move(instance));
    }
  }
}

}  // namespace sb::app
