// app/config/routing_section.cc: the `routing:` section (aging, reason codes, missed-offer,
// phone-less agent and VIP policies) and the plain name lists `skills:` and `teams:`.
#include <fmt/format.h>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

void read_missed(YamlReader& reader, const Field& field, acd::RoutingConfig& config) {
  auto s = Section::open(reader, field, {"penalty", "auto_not_ready_after", "reason"});
  if (!s) {
    return;
  }
  s->read_duration("penalty", config.missed.penalty);
  s->read_int("auto_not_ready_after", 0, 1000, config.missed.auto_not_ready_after);
  if (auto f = s->get("reason")) {
    if (auto name = reader.string(*f)) {
      if (auto reason = resolve_reason(reader, *f, *name, config)) {
        config.missed.not_ready_reason = *reason;
      }
    }
  }
}

// `without_phone: {state: not-ready, reason: no-phone}` or `{state: logged-out}`.
void read_without_phone(YamlReader& reader, const Field& field, acd::RoutingConfig& config) {
  auto s = Section::open(reader, field, {"state", "reason"});
  if (!s) {
    return;
  }
  std::string state = "not-ready";
  if (s->read_string("state", state) && state != "not-ready" && state != "logged-out") {
    reader.error(*s->get("state"), fmt::format("expected not-ready or logged-out, got \"{}\"", state));
  }
  config.without_phone.log_out = state == "logged-out";
  if (auto f = s->get("reason")) {
    if (config.without_phone.log_out) {
      reader.error(*f, "a reason applies to state: not-ready");
    } else if (auto name = reader.string(*f)) {
      if (auto reason = resolve_reason(reader, *f, *name, config)) {
        config.without_phone.reason = *reason;
      }
    }
  }
}

void read_vip(YamlReader& reader, const Field& field, acd::RoutingConfig& config) {
  auto s = Section::open(reader, field, {"attribute", "boost"});
  if (!s) {
    return;
  }
  if (s->read_string("attribute", config.vip.attribute) && config.vip.attribute.empty()) {
    reader.error(*s->get("attribute"), "expected an attached-data key, got an empty string");
  }
  s->read_int("boost", 0, 1000, config.vip.boost);
}

}  // namespace

void read_name_list(YamlReader& reader, const Field& field, std::string_view what,
                    std::vector<std::string>& out) {
  auto items = reader.string_items(field, /*unique=*/true, what);
  if (!items) {
    return;
  }
  for (NamedItem& item : *items) {
    out.push_back(std::move(item.name));
  }
}

void read_routing(YamlReader& reader, const Field& field, acd::RoutingConfig& config) {
  auto s = Section::open(
      reader, field,
      {"aging_per_minute", "reason_codes", "missed", "without_phone", "vip", "explanation_history", "self_check_every"});
  if (!s) {
    return;
  }
  s->read_number("aging_per_minute", NumberRange::at_least(0), config.aging_per_minute);
  if (auto f = s->get("reason_codes")) {
    if (auto items = reader.string_items(*f, /*unique=*/true, "reason code")) {
      for (NamedItem& item : *items) {
        // Index 0 is the implicit "no reason"; listing it would shift every other code.
        if (item.name == config.reason_codes.front()) {
          reader.error(item.field,
                       fmt::format("\"{}\" is implicit (reason code 0); leave it out", item.name));
          continue;
        }
        config.reason_codes.push_back(std::move(item.name));
      }
    }
  }
  if (auto f = s->get("missed")) {
    read_missed(reader, *f, config);
  }
  if (auto f = s->get("without_phone")) {
    read_without_phone(reader, *f, config);
  }
  if (auto f = s->get("vip")) {
    read_vip(reader, *f, config);
  }
  s->read_duration("self_check_every", config.self_check_every);
  int history = static_cast<int>(config.explanation_history);
  if (s->read_int("explanation_history", 0, 10'000'000, history)) {
    config.explanation_history = static_cast<size_t>(history);
  }
}

}  // namespace sb::app
