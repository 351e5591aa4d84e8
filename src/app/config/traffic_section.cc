// app/config/traffic_section.cc: the `traffic:` section for the simulator: the day and its
// intervals, per-queue arrivals with an intraday profile, and handle-time / patience
// distributions. Shifts are in shift_section.cc.
#include <fmt/format.h>

#include <numeric>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"
#include "common/duration_text.h"

namespace sb::app {
namespace {

constexpr std::string_view kDistributions = "exponential, lognormal, fixed, empirical";

std::optional<sim::DurationDistribution::Kind> parse_kind(std::string_view text) {
  using Kind = sim::DurationDistribution::Kind;
  if (text == "exponential") {
    return Kind::Exponential;
  }
  if (text == "lognormal") {
    return Kind::Lognormal;
  }
  if (text == "fixed") {
    return Kind::Fixed;
  }
  if (text == "empirical") {
    return Kind::Empirical;
  }
  return std::nullopt;
}

void read_samples(YamlReader& reader, const Field& field, sim::DurationDistribution& out) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  if (items->empty()) {
    reader.error(field, "expected at least one sample duration");
    return;
  }
  for (const Field& item : *items) {
    if (auto d = reader.duration(item, /*positive=*/true)) {
      out.samples.push_back(*d);
    }
  }
  if (!out.samples.empty()) {
    // Consumers that need only a mean (estimated wait, Erlang checks) get the samples' mean.
    out.mean = std::accumulate(out.samples.begin(), out.samples.end(), Duration::zero()) /
               static_cast<int64_t>(out.samples.size());
  }
}

std::optional<sim::DurationDistribution> read_distribution(YamlReader& reader, const Field& field) {
  using Kind = sim::DurationDistribution::Kind;
  auto s = Section::open(reader, field, {"distribution", "mean", "stddev", "samples"});
  if (!s) {
    return std::nullopt;
  }
  auto kind_field = s->require("distribution");
  auto text = kind_field ? reader.string(*kind_field) : std::nullopt;
  if (!text) {
    return std::nullopt;
  }
  auto kind = parse_kind(*text);
  if (!kind) {
    reader.error(*kind_field, fmt::format("unknown distribution \"{}\"; expected one of {}", *text,
                                          kDistributions));
    return std::nullopt;
  }
  sim::DurationDistribution out;
  out.kind = *kind;
  // Each kind takes exactly its own parameters; a stray one is a misunderstanding to point out.
  auto only_for = [&](std::string_view key, bool allowed, std::string_view which) {
    if (s->has(key) && !allowed) {
      reader.error(*s->get(key), fmt::format("\"{}\" applies to {} only", key, which));
    }
  };
  only_for("mean", *kind != Kind::Empirical, "exponential, lognormal and fixed");
  only_for("stddev", *kind == Kind::Lognormal, "lognormal");
  only_for("samples", *kind == Kind::Empirical, "empirical");
  if (*kind == Kind::Empirical) {
    if (auto f = s->require("samples")) {
      read_samples(reader, *f, out);
    }
    return out;
  }
  if (s->require("mean")) {
    s->read_duration("mean", out.mean, /*positive=*/true);
  }
  if (*kind == Kind::Lognormal && s->require("stddev")) {
    s->read_duration("stddev", out.stddev, /*positive=*/true);
  }
  return out;
}

void read_profile(YamlReader& reader, const Field& field, std::optional<size_t> intervals,
                  const sim::TrafficModel& model, sim::QueueTraffic& out) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  double sum = 0;
  bool all_valid = true;
  for (const Field& item : *items) {
    auto weight = reader.number(item, NumberRange::at_least(0));
    all_valid = all_valid && weight.has_value();
    sum += weight.value_or(0);
    out.profile.push_back(weight.value_or(0));
  }
  if (intervals && items->size() != *intervals) {
    reader.error(field, fmt::format("expected one weight per interval: {} (day_length {} / "
                                    "interval {}), got {}",
                                    *intervals, format_duration(model.day_length),
                                    format_duration(model.interval), items->size()));
  } else if (all_valid && sum <= 0) {
    reader.error(field, "expected at least one weight above 0");
  }
}

void read_queue_traffic(YamlReader& reader, const Field& field, std::optional<size_t> intervals,
                        const sim::TrafficModel& model, sim::QueueTraffic& out) {
  auto s = Section::open(reader, field,
                         {"calls_per_day", "calls_per_hour", "profile", "handle_time", "patience",
                          "callback_accept", "vip_share", "priority"});
  if (!s) {
    return;
  }
  if (s->has("calls_per_day") && s->has("calls_per_hour")) {
    reader.error(*s->get("calls_per_hour"), "give calls_per_day or calls_per_hour, not both");
  } else if (s->has("calls_per_hour")) {
    double per_hour = 0;
    if (s->read_number("calls_per_hour", NumberRange::above(0), per_hour)) {
      out.calls_per_day = per_hour * to_seconds(model.day_length) / 3600;
    }
  } else if (s->has("calls_per_day")) {
    s->read_number("calls_per_day", NumberRange::above(0), out.calls_per_day);
  } else {
    reader.error(field, "missing required key \"calls_per_day\" (or \"calls_per_hour\")");
  }
  if (auto f = s->get("profile")) {
    read_profile(reader, *f, intervals, model, out);
  }
  if (auto f = s->get("handle_time")) {
    if (auto d = read_distribution(reader, *f)) {
      out.handle_time = std::move(*d);
    }
  }
  if (auto f = s->get("patience")) {
    out.patience = read_distribution(reader, *f);
  }
  s->read_number("callback_accept", NumberRange::between(0, 1), out.callback_accept);
  s->read_number("vip_share", NumberRange::between(0, 1), out.vip_share);
  s->read_int("priority", -1000, 1000, out.priority);
}

// The number of profile intervals in the day, when day_length and interval are both usable.
std::optional<size_t> interval_count(YamlReader& reader, const Section& s,
                                     const sim::TrafficModel& model) {
  if (model.day_length > std::chrono::hours(24)) {
    reader.error(*s.get("day_length"),
                 fmt::format("expected at most 24h, got {}", format_duration(model.day_length)));
    return std::nullopt;
  }
  if (model.day_length % model.interval != Duration::zero()) {
    reader.error(s.has("interval") ? *s.get("interval") : s.field(),
                 fmt::format("interval {} does not divide day_length {}",
                             format_duration(model.interval), format_duration(model.day_length)));
    return std::nullopt;
  }
  return static_cast<size_t>(model.day_length / model.interval);
}

}  // namespace

std::optional<sim::TrafficModel> read_traffic(YamlReader& reader, const Field& field,
                                              const acd::RoutingConfig& config) {
  auto s = Section::open(
      reader, field,
      {"seed", "day_start", "day_length", "interval", "answer_delay", "queues", "shifts"});
  if (!s) {
    return std::nullopt;
  }
  sim::TrafficModel model;
  if (auto f = s->get("seed")) {
    if (auto seed = reader.integer(*f)) {
      model.seed = static_cast<uint64_t>(*seed);
    }
  }
  s->read_time_of_day("day_start", model.day_start);
  const bool day_ok = !s->has("day_length") || s->read_duration("day_length", model.day_length,
                                                                /*positive=*/true);
  const bool interval_ok =
      !s->has("interval") || s->read_duration("interval", model.interval, /*positive=*/true);
  s->read_duration("answer_delay", model.answer_delay);
  std::optional<size_t> intervals;
  if (day_ok && interval_ok) {
    intervals = interval_count(reader, *s, model);
  }
  if (auto f = s->get("queues")) {
    if (auto entries = reader.map_entries(*f)) {
      for (const MapEntry& entry : *entries) {
        sim::QueueTraffic traffic;
        auto queue = resolve_queue(reader, entry.key_field(), entry.key, config);
        read_queue_traffic(reader, entry.value, intervals, model, traffic);
        if (queue) {
          traffic.queue = *queue;
          model.queues.push_back(std::move(traffic));
        }
      }
    }
  }
  if (auto f = s->get("shifts")) {
    read_shifts(reader, *f, config, model.shifts);
  }
  return model;
}

}  // namespace sb::app
