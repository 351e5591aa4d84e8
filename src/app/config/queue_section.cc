// app/config/queue_section.cc: the `queues:` map: names first (so anything may refer to any
// queue), then each queue's channel, strategy, skills, members, timers and overflow.
// Eligibility expansion is in expansion_section.cc.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"
#include "common/duration_text.h"

namespace sb::app {
namespace {

constexpr std::string_view kOverflowChoices = "queue:<name>, voicemail, callback, hangup";

void read_channel(YamlReader& reader, const Section& s, acd::QueueConfig& queue) {
  auto f = s.get("channel");
  auto text = f ? reader.string(*f) : std::nullopt;
  if (!text) {
    return;
  }
  if (auto channel = acd::parse_channel(*text)) {
    queue.channel = *channel;
  } else {
    reader.error(*f,
                 fmt::format("unknown channel \"{}\"; expected one of voice, chat, email", *text));
  }
}

void read_strategy(YamlReader& reader, const Section& s, acd::QueueConfig& queue) {
  auto f = s.get("strategy");
  auto text = f ? reader.string(*f) : std::nullopt;
  if (!text) {
    return;
  }
  if (auto strategy = acd::parse_strategy(*text)) {
    queue.strategy = *strategy;
  } else {
    reader.error(*f, fmt::format("unknown strategy \"{}\"; expected one of {}", *text,
                                 acd::strategy_choices()));
  }
}

void read_skills(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                 acd::QueueConfig& queue) {
  for (const auto& [skill, level] : read_skill_levels(reader, field, config)) {
    queue.skills.push_back(acd::SkillRequirement{skill, level});
  }
}

void read_members(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                  acd::QueueConfig& queue) {
  auto items = reader.string_items(field, /*unique=*/true, "member");
  if (!items) {
    return;
  }
  for (const NamedItem& item : *items) {
    // A pattern adds the agents it matches that are not members yet, in agent order, so
    // "alice, bill-*" puts alice first even if she also matches.
    for (acd::AgentId agent : resolve_agents(reader, item.field, item.name, config)) {
      if (std::find(queue.members.begin(), queue.members.end(), agent) == queue.members.end()) {
        queue.members.push_back(agent);
      } else if (!item.name.ends_with('*')) {
        reader.error(item.field, fmt::format("agent \"{}\" is already a member", item.name));
      }
    }
  }
}

// "80/20" (percent / seconds; "80%/20s" also reads) or {target: 80, threshold: 20s}.
void read_service_level(YamlReader& reader, const Field& field, acd::ServiceLevel& out) {
  if (field.node.IsMap()) {
    auto s = Section::open(reader, field, {"target", "threshold"});
    if (!s) {
      return;
    }
    double percent = out.target * 100;
    if (s->read_number("target", NumberRange{0, 100, true}, percent)) {
      out.target = percent / 100;
    }
    s->read_duration("threshold", out.threshold);
    return;
  }
  std::optional<double> percent;
  std::optional<Duration> threshold;
  if (field.node.IsScalar()) {
    std::string_view text = field.node.Scalar();
    const size_t slash = text.find('/');
    if (slash != std::string_view::npos) {
      std::string_view p = text.substr(0, slash);
      if (p.ends_with('%')) {
        p.remove_suffix(1);
      }
      char* end = nullptr;
      const std::string p_text(p);
      const double value = std::strtod(p_text.c_str(), &end);
      if (!p_text.empty() && end == p_text.c_str() + p_text.size() && value > 0 && value <= 100) {
        percent = value;
      }
      threshold = parse_duration(text.substr(slash + 1));
    }
  }
  if (!percent || !threshold) {
    reader.error(field, fmt::format("expected \"percent/seconds\" such as 80/20 (percent above 0 "
                                    "and up to 100), or {{target: 80, threshold: 20s}}, got {}",
                                    YamlReader::describe(field.node)));
    return;
  }
  out.target = *percent / 100;
  out.threshold = *threshold;
}

// `overflow: voicemail`, or with the prompt played first:
// `overflow: {to: hangup, message: closed-for-today}`.
void read_overflow(YamlReader& reader, const Field& field, acd::QueueId self,
                   const acd::RoutingConfig& config, acd::OverflowTarget& out) {
  if (field.node.IsMap()) {
    auto s = Section::open(reader, field, {"to", "message"});
    if (!s) {
      return;
    }
    s->read_string("message", out.message);
    if (auto to = s->require("to")) {
      read_overflow(reader, *to, self, config, out);
    }
    return;
  }
  auto text = reader.string(field);
  if (!text) {
    return;
  }
  if (*text == "voicemail") {
    out.kind = acd::OverflowKind::Voicemail;
  } else if (*text == "callback") {
    out.kind = acd::OverflowKind::Callback;
  } else if (*text == "hangup") {
    out.kind = acd::OverflowKind::Hangup;
  } else if (text->starts_with("queue:")) {
    auto queue = resolve_queue(reader, field, text->substr(6), config);
    if (queue == self) {
      reader.error(field, "a queue cannot overflow to itself");
    } else if (queue) {
      out.kind = acd::OverflowKind::Queue;
      out.queue = *queue;
    }
  } else {
    reader.error(
        field, fmt::format("unknown overflow \"{}\"; expected one of {}", *text, kOverflowChoices));
  }
}

void read_queue(YamlReader& reader, const Field& field, acd::QueueId id,
                acd::RoutingConfig& config, QueueCallSettings& calls) {
  std::vector<std::string_view> keys = {
      "channel", "priority", "strategy", "skills", "members", "service_level", "wrap_up",
      "ring_timeout", "reoffer_exclusion", "max_wait", "overflow", "overflow_when_no_agents",
      "announce_every", "callback_after", "default_handle_time", "expand"};
  keys.insert(keys.end(), queue_call_keys().begin(), queue_call_keys().end());
  auto s = Section::open(reader, field, keys);
  if (!s) {
    return;
  }
  read_queue_calls(reader, *s, calls);
  acd::QueueConfig& queue = config.queues[acd::index_of(id)];
  read_channel(reader, *s, queue);
  s->read_int("priority", -1000, 1000, queue.priority);
  read_strategy(reader, *s, queue);
  if (auto f = s->get("skills")) {
    read_skills(reader, *f, config, queue);
  }
  if (auto f = s->get("members")) {
    read_members(reader, *f, config, queue);
  }
  if (auto f = s->get("service_level")) {
    read_service_level(reader, *f, queue.service_level);
  }
  s->read_duration("wrap_up", queue.wrap_up);
  s->read_duration("ring_timeout", queue.ring_timeout);
  s->read_duration("reoffer_exclusion", queue.reoffer_exclusion);
  s->read_duration("max_wait", queue.max_wait);
  if (auto f = s->get("overflow")) {
    read_overflow(reader, *f, id, config, queue.overflow);
  }
  s->read_bool("overflow_when_no_agents", queue.overflow_when_no_agents);
  // A queue that can make callers leave needs somewhere to send them; without a target they
  // are told so and released, which is what "hangup" means.
  if (!s->has("overflow") && (queue.max_wait || queue.overflow_when_no_agents)) {
    queue.overflow.kind = acd::OverflowKind::Hangup;
  }
  s->read_duration("announce_every", queue.announce_every, /*positive=*/true);
  s->read_duration("callback_after", queue.callback_after);
  s->read_duration("default_handle_time", queue.default_handle_time, /*positive=*/true);
  if (auto f = s->get("expand")) {
    read_expansion(reader, *f, id, config);
  }
}

// Queue-to-queue overflow that comes back to where it started would bounce a caller forever.
// Each cycle is reported once, at the queue with the lowest id in it.
void check_overflow_cycles(YamlReader& reader, const std::vector<MapEntry>& entries,
                           const acd::RoutingConfig& config) {
  const size_t n = config.queues.size();
  for (size_t start = 0; start < n && start < entries.size(); ++start) {
    std::vector<std::string> path = {config.queues[start].name};
    size_t at = start;
    bool lowest = true;
    for (size_t steps = 0; steps < n; ++steps) {
      const acd::OverflowTarget& next = config.queues[at].overflow;
      if (next.kind != acd::OverflowKind::Queue) {
        break;
      }
      at = acd::index_of(next.queue);
      lowest = lowest && at >= start;
      path.push_back(config.queues[at].name);
      if (at == start) {
        if (lowest) {
          reader.error(entries[start].key_field(),
                       fmt::format("overflow goes round in a circle: {}", fmt::join(path, " -> ")));
        }
        break;
      }
    }
  }
}

}  // namespace

std::vector<MapEntry> read_queue_names(YamlReader& reader, const Field& field,
                                       acd::RoutingConfig& config) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return {};
  }
  std::vector<MapEntry> kept;
  for (MapEntry& entry : *entries) {
    if (entry.key.empty()) {
      reader.error(entry.key_field(), "expected a queue name, got an empty string");
      continue;
    }
    acd::QueueConfig queue;
    queue.name = entry.key;
    config.queues.push_back(std::move(queue));
    kept.push_back(std::move(entry));
  }
  return kept;
}

void read_queues(YamlReader& reader, const std::vector<MapEntry>& entries,
                 acd::RoutingConfig& config, std::vector<QueueCallSettings>& calls) {
  calls.assign(config.queues.size(), QueueCallSettings{});
  for (size_t i = 0; i < entries.size(); ++i) {
    read_queue(reader, entries[i].value, static_cast<acd::QueueId>(i), config, calls[i]);
  }
  check_overflow_cycles(reader, entries, config);
}

}  // namespace sb::app
