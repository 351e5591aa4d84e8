// app/config/expansion_section.cc: a queue's `expand:` steps, the eligibility that widens with
// wait time. Steps must be in strictly increasing order of `after` and each must change something.
#include <fmt/format.h>

#include <algorithm>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"
#include "common/duration_text.h"

namespace sb::app {
namespace {

void read_drop_skills(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                      const acd::QueueConfig& queue, acd::ExpansionStep& step) {
  auto items = reader.string_items(field, /*unique=*/true, "skill");
  if (!items) {
    return;
  }
  std::vector<std::string> required;
  for (const acd::SkillRequirement& r : queue.skills) {
    required.push_back(config.skills[acd::index_of(r.skill)]);
  }
  for (const NamedItem& item : *items) {
    auto skill = config.find_skill(item.name);
    bool on_queue = false;
    for (const acd::SkillRequirement& r : queue.skills) {
      on_queue = on_queue || (skill && r.skill == *skill);
    }
    if (on_queue) {
      step.drop_skills.push_back(*skill);
    } else if (required.empty()) {
      reader.error(item.field, fmt::format("cannot drop skill \"{}\"; queue {} requires no skills",
                                           item.name, queue.name));
    } else {
      reader.error(item.field, fmt::format("cannot drop skill \"{}\"; queue {} requires only {}",
                                           item.name, queue.name, join_names(required)));
    }
  }
}

void read_add_queues(YamlReader& reader, const Field& field, acd::QueueId self,
                     const acd::RoutingConfig& config, acd::ExpansionStep& step) {
  auto items = reader.string_items(field, /*unique=*/true, "queue");
  if (!items) {
    return;
  }
  for (const NamedItem& item : *items) {
    auto queue = resolve_queue(reader, item.field, item.name, config);
    if (queue == self) {
      reader.error(item.field, "a queue's agents are already eligible for it; add other queues");
    } else if (queue) {
      step.add_queues.push_back(*queue);
    }
  }
}

}  // namespace

void read_expansion(YamlReader& reader, const Field& field, acd::QueueId id,
                    acd::RoutingConfig& config) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  acd::QueueConfig& queue = config.queues[acd::index_of(id)];
  std::optional<Duration> previous;
  for (const Field& item : *items) {
    auto s = Section::open(
        reader, item, {"after", "min_proficiency", "drop_skills", "add_queues", "max_penalty"});
    if (!s) {
      continue;
    }
    acd::ExpansionStep step;
    auto after_field = s->require("after");
    auto after = after_field ? reader.duration(*after_field) : std::nullopt;
    if (after && previous && *after <= *previous) {
      // Steps apply cumulatively in order; an out-of-order step would silently never apply.
      reader.error(*after_field,
                   fmt::format("{} is not after the previous step's {}; steps must be in "
                               "increasing order of \"after\"",
                               format_duration(*after), format_duration(*previous)));
    }
    if (after) {
      step.after = *after;
      previous = previous ? std::max(*previous, *after) : *after;
    }
    int level = 0;
    if (s->read_int("min_proficiency", 1, 5, level)) {
      step.min_proficiency = level;
    }
    if (auto f = s->get("drop_skills")) {
      read_drop_skills(reader, *f, config, queue, step);
    }
    if (auto f = s->get("add_queues")) {
      read_add_queues(reader, *f, id, config, step);
    }
    int penalty = 0;
    if (s->read_int("max_penalty", 0, 100, penalty)) {
      step.max_penalty = penalty;
    }
    if (!s->has("min_proficiency") && !s->has("drop_skills") && !s->has("add_queues") &&
        !s->has("max_penalty")) {
      reader.error(item,
                   "step changes nothing; expected at least one of min_proficiency, "
                   "drop_skills, add_queues, max_penalty");
    }
    queue.expansion.push_back(std::move(step));
  }
}

}  // namespace sb::app
