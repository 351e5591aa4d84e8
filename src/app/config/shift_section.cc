// app/config/shift_section.cc: `traffic.shifts:`: who works when (by name, name prefix or
// team), with breaks that must lie inside the shift and not overlap.
#include <fmt/format.h>

#include <algorithm>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

std::string clock_text(Duration time_of_day) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(time_of_day).count();
  if (s % 60 != 0) {
    return fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  }
  return fmt::format("{:02}:{:02}", s / 3600, s / 60 % 60);
}

void add_unique(std::vector<acd::AgentId>& to, const std::vector<acd::AgentId>& agents) {
  for (acd::AgentId agent : agents) {
    if (std::find(to.begin(), to.end(), agent) == to.end()) {
      to.push_back(agent);
    }
  }
}

void read_shift_agents(YamlReader& reader, const Section& s, const acd::RoutingConfig& config,
                       sim::Shift& shift) {
  if (s.has("agents") == s.has("team")) {
    reader.error(s.has("team") ? *s.get("team") : s.field(),
                 "expected either \"agents\" or \"team\" (exactly one)");
    return;
  }
  if (auto f = s.get("agents")) {
    if (auto items = reader.string_items(*f, /*unique=*/true, "agent")) {
      for (const NamedItem& item : *items) {
        add_unique(shift.agents, resolve_agents(reader, item.field, item.name, config));
      }
    }
    return;
  }
  const Field team_field = *s.get("team");
  auto name = reader.string(team_field);
  auto team = name ? resolve_team(reader, team_field, *name, config) : std::nullopt;
  if (!team) {
    return;
  }
  for (size_t i = 0; i < config.agents.size(); ++i) {
    if (config.agents[i].team == team) {
      shift.agents.push_back(static_cast<acd::AgentId>(i));
    }
  }
  if (shift.agents.empty()) {
    reader.error(team_field, fmt::format("team \"{}\" has no agents", *name));
  }
}

void read_breaks(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                 std::optional<Duration> start, std::optional<Duration> end, sim::Shift& shift) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  for (const Field& item : *items) {
    auto s = Section::open(reader, item, {"at", "length", "reason"});
    if (!s) {
      continue;
    }
    sim::Break pause;
    auto at_field = s->require("at");
    const bool at_ok = at_field && s->read_time_of_day("at", pause.start);
    const bool length_ok =
        s->require("length") && s->read_duration("length", pause.length, /*positive=*/true);
    if (auto f = s->require("reason")) {
      auto name = reader.string(*f);
      if (auto reason = name ? resolve_reason(reader, *f, *name, config) : std::nullopt) {
        pause.reason = *reason;
      }
    }
    if (!at_ok || !length_ok) {
      continue;
    }
    const Duration pause_end = pause.start + pause.length;
    if (start && end && (pause.start < *start || pause_end > *end)) {
      reader.error(*at_field,
                   fmt::format("break {}-{} is outside the shift {}-{}", clock_text(pause.start),
                               clock_text(pause_end), clock_text(*start), clock_text(*end)));
      continue;
    }
    for (const sim::Break& other : shift.breaks) {
      if (pause.start < other.start + other.length && other.start < pause_end) {
        reader.error(*at_field,
                     fmt::format("break {}-{} overlaps the break at {}", clock_text(pause.start),
                                 clock_text(pause_end), clock_text(other.start)));
        break;
      }
    }
    shift.breaks.push_back(pause);
  }
}

}  // namespace

void read_shifts(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                 std::vector<sim::Shift>& out) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  for (const Field& item : *items) {
    auto s = Section::open(reader, item, {"agents", "team", "start", "end", "breaks"});
    if (!s) {
      continue;
    }
    sim::Shift shift;
    read_shift_agents(reader, *s, config, shift);
    std::optional<Duration> start;
    std::optional<Duration> end;
    if (s->require("start") && s->read_time_of_day("start", shift.start)) {
      start = shift.start;
    }
    if (s->require("end") && s->read_time_of_day("end", shift.end)) {
      end = shift.end;
    }
    if (start && end && *end <= *start) {
      // Shifts are within one simulated day; one over midnight is two shifts.
      reader.error(*s->get("end"), fmt::format("end {} is not after start {}", clock_text(*end),
                                               clock_text(*start)));
      start.reset();
    }
    if (auto f = s->get("breaks")) {
      read_breaks(reader, *f, config, start, end, shift);
    }
    out.push_back(std::move(shift));
  }
}

}  // namespace sb::app
