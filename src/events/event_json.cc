// events/event_json.cc
#include "events/event_json.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sb::events {

std::string format_time(TimePoint at) {
  const auto us = at.time_since_epoch().count();
  const auto seconds = std::chrono::sys_seconds(std::chrono::seconds(us >= 0 ? us / 1'000'000 : (us - 999'999) / 1'000'000));
  const auto fraction = us - seconds.time_since_epoch().count() * 1'000'000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", seconds, fraction);
}

std::string to_json(const Event& event, uint64_t seq) {
  nlohmann::json data = nlohmann::json::parse(event.data.empty() ? "{}" : event.data, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) {
    data = nlohmann::json{{"invalid", event.data}};
  }
  nlohmann::json j = {
      {"v", kSchemaVersion},
      {"seq", seq},
      {"kind", event_kind_name(event.kind)},
      {"topic", topic_name(topic_of(event.kind))},
      {"at", format_time(event.at)},
      {"interaction", event.interaction_id},
      {"queue", event.queue},
      {"agent", event.agent},
      {"data", std::move(data)},
  };
  // Invalid UTF-8 from the network (a caller's display name) is replaced, never thrown.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb::events
