// app/config/ivr_section.cc: the IVR's sections (see ivr_settings.h): `prompts:` (directory and
// languages), `calendars:` (weekly hours and holidays, checked by BusinessHours::create), `ivr:`
// (flows of typed nodes, each kind with its own keys; node names resolved into indices) and
// `inbound:` (DID -> flow or queue). Runs after the queues, which flows and routes name.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <regex>
#include <unordered_set>

#include "app/config/references.h"
#include "app/config/section.h"
#include "app/config/sections.h"
#include "common/duration_text.h"
#include "ivr/expand.h"
#include "ivr/lookup_response.h"
#include "ivr/validators.h"

namespace sb::app {
namespace {

using ivr::NodeKind;

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view kDtmfKeys = "0123456789*#ABCD";
constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

// --- prompts ---

void read_prompts_section(YamlReader& reader, const Field& field, IvrSettings& out) {
  auto s = Section::open(reader, field, {"dir", "languages"});
  if (!s) {
    return;
  }
  if (s->read_string("dir", out.prompts_dir) && out.prompts_dir.empty()) {
    reader.error(*s->get("dir"), "expected a directory, got an empty string");
  }
  auto f = s->get("languages");
  auto items = f ? reader.string_items(*f, /*unique=*/true, "language") : std::nullopt;
  if (!items) {
    return;
  }
  if (items->empty()) {
    reader.error(*f, "expected at least one language");
    return;
  }
  out.languages.clear();
  for (const NamedItem& item : *items) {
    out.languages.push_back(item.name);
  }
}

// --- calendars ---

// "mon", or a range "mon-fri" (which may wrap: "fri-mon"); day indices Monday = 0.
std::optional<std::vector<size_t>> parse_days(std::string_view spec) {
  auto index = [](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < kDays.size(); ++i) {
      if (kDays[i] == name) {
        return i;
      }
    }
    return std::nullopt;
  };
  const size_t dash = spec.find('-');
  auto first = index(spec.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : index(spec.substr(dash + 1));
  if (!first || !last) {
    return std::nullopt;
  }
  std::vector<size_t> days = {*first};
  for (size_t d = *first; d != *last;) {
    d = (d + 1) % kDays.size();
    days.push_back(d);
  }
  return days;
}

// "08:00-20:00"; 24:00 may close the day.
std::optional<ivr::OpenRange> parse_range(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  auto open = parse_time_of_day(text.substr(0, dash));
  auto close = parse_time_of_day(text.substr(dash + 1));
  if (!open || !close || *close <= *open) {
    return std::nullopt;
  }
  return ivr::OpenRange{*open, *close};
}

std::vector<ivr::OpenRange> read_ranges(YamlReader& reader, const Field& field) {
  std::vector<ivr::OpenRange> ranges;
  auto items = reader.list_items(field);
  if (!items) {
    return ranges;
  }
  for (const Field& item : *items) {
    auto text = reader.string(item);
    if (!text) {
      continue;
    }
    if (auto range = parse_range(*text)) {
      ranges.push_back(*range);
    } else {
      reader.error(item, fmt::format("expected a time range \"HH:MM-HH:MM\" that closes after it "
                                     "opens, got \"{}\"",
                                     *text));
    }
  }
  return ranges;
}

// "12-25" (every year) or "2026-04-03".
bool parse_date(std::string_view text, ivr::Holiday& out) {
  auto number = [](std::string_view part, int& value) {
    if (part.empty()) {
      return false;
    }
    value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return true;
  };
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    if (!number(text.substr(0, 4), year) || year == 0) {
      return false;
    }
    text.remove_prefix(5);
  }
  if (text.size() != 5 || text[2] != '-' || !number(text.substr(0, 2), month) ||
      !number(text.substr(3, 2), day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return false;
  }
  out.year = year;
  out.month = static_cast<unsigned>(month);
  out.day = static_cast<unsigned>(day);
  return true;
}

// Where each part of a calendar was written, to report BusinessHours::create's errors there.
struct CalendarFields {
  std::optional<Field> time_zone;
  std::array<std::optional<Field>, 7> days;
  std::vector<Field> holidays;
};

void read_weekly(YamlReader& reader, const Field& field, ivr::BusinessCalendar& calendar,
                 CalendarFields& where) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return;
  }
  std::array<std::string, 7> given_by;
  for (const MapEntry& entry : *entries) {
    auto days = parse_days(entry.key);
    if (!days) {
      reader.error(entry.key_field(), fmt::format("expected a day ({}) or a range of days such as "
                                                  "mon-fri, got \"{}\"",
                                                  fmt::join(kDays, ", "), entry.key));
      continue;
    }
    const std::vector<ivr::OpenRange> ranges = read_ranges(reader, entry.value);
    for (size_t d : *days) {
      if (!given_by[d].empty()) {
        reader.error(entry.key_field(),
                     fmt::format("{} is already given by \"{}\"", kDays[d], given_by[d]));
        break;
      }
    }
    for (size_t d : *days) {
      if (given_by[d].empty()) {
        given_by[d] = entry.key;
        calendar.weekly[d] = ranges;
        where.days[d] = entry.key_field();
      }
    }
  }
}

void read_holidays(YamlReader& reader, const Field& field, ivr::BusinessCalendar& calendar,
                   CalendarFields& where) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  for (const Field& item : *items) {
    auto s = Section::open(reader, item, {"date", "name", "hours"});
    if (!s) {
      continue;
    }
    ivr::Holiday holiday;
    auto date = s->require("date");
    auto text = date ? reader.string(*date) : std::nullopt;
    if (!text) {
      continue;
    }
    if (!parse_date(*text, holiday)) {
      reader.error(*date, fmt::format("expected a date \"MM-DD\" (every year) or \"YYYY-MM-DD\", "
                                      "got \"{}\"",
                                      *text));
      continue;
    }
    s->read_string("name", holiday.name);
    if (auto hours = s->get("hours")) {
      holiday.hours = read_ranges(reader, *hours);
    }
    calendar.holidays.push_back(std::move(holiday));
    where.holidays.push_back(*date);
  }
}

// BusinessHours::create names the part it refuses ("time_zone", "weekly[2]", "holidays[0]").
const Field& field_of(const std::string& part, const Field& calendar, const CalendarFields& where) {
  if (part == "time_zone" && where.time_zone) {
    return *where.time_zone;
  }
  size_t index = 0;
  if (std::sscanf(part.c_str(), "weekly[%zu]", &index) == 1 && index < where.days.size() &&
      where.days[index]) {
    return *where.days[index];
  }
  if (std::sscanf(part.c_str(), "holidays[%zu]", &index) == 1 && index < where.holidays.size()) {
    return where.holidays[index];
  }
  return calendar;
}

void read_calendar(YamlReader& reader, const Field& field, ivr::BusinessCalendar& calendar) {
  auto s = Section::open(reader, field, {"time_zone", "weekly", "holidays"});
  if (!s) {
    return;
  }
  CalendarFields where;
  // Required: a silent UTC default would open the center at the wrong hour.
  if ((where.time_zone = s->require("time_zone"))) {
    if (auto zone = reader.string(*where.time_zone)) {
      calendar.time_zone = *zone;
    } else {
      return;
    }
  }
  if (auto f = s->get("weekly")) {
    read_weekly(reader, *f, calendar, where);
  }
  if (auto f = s->get("holidays")) {
    read_holidays(reader, *f, calendar, where);
  }
  if (!where.time_zone) {
    return;
  }
  auto hours = ivr::BusinessHours::create(calendar);
  if (!hours) {
    reader.error(field_of(hours.error().where, field, where), hours.error().message);
  }
}

void read_calendars(YamlReader& reader, const Field& field, IvrSettings& out) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return;
  }
  for (const MapEntry& entry : *entries) {
    if (entry.key.empty()) {
      reader.error(entry.key_field(), "expected a calendar name, got an empty string");
      continue;
    }
    // Kept even when it has errors, so flows naming it are not reported as well.
    read_calendar(reader, entry.value, out.calendars[entry.key]);
  }
}

// --- flows ---

// What reading one flow needs: the settings read so far and the routing config for queues.
struct FlowContext {
  YamlReader& reader;
  const IvrSettings& settings;
  const acd::RoutingConfig& routing;
  ivr::Flow& flow;
  std::vector<std::string> node_names;
};

bool is_variable_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool is_dtmf_key(std::string_view text) {
  return text.size() == 1 && kDtmfKeys.find(text[0]) != std::string_view::npos;
}

// Reports a language that has no prompts; a value with ${...} is only known during a call.
void check_language(FlowContext& ctx, const Field& at, const std::string& language) {
  if (ivr::has_reference(language)) {
    return;
  }
  const auto& languages = ctx.settings.languages;
  if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
    ctx.reader.error(at, fmt::format("language \"{}\" is not in prompts.languages; expected one "
                                     "of {}",
                                     language, join_names(languages)));
  }
}

std::optional<std::string> read_variable_name(YamlReader& reader, const Field& at,
                                              const std::string& name) {
  if (!is_variable_name(name)) {
    reader.error(
        at, fmt::format("expected a variable name (letters, digits, _ - .), got \"{}\"", name));
    return std::nullopt;
  }
  return name;
}

// `{variable: value, ...}` in file order; values are text that may use ${var}.
std::vector<ivr::Assignment> read_assignments(FlowContext& ctx, const Field& field) {
  std::vector<ivr::Assignment> out;
  auto entries = ctx.reader.map_entries(field);
  if (!entries) {
    return out;
  }
  for (const MapEntry& entry : *entries) {
    auto name = read_variable_name(ctx.reader, entry.key_field(), entry.key);
    auto value = ctx.reader.string(entry.value);
    if (!name || !value) {
      continue;
    }
    if (*name == "language") {
      check_language(ctx, entry.value, *value);
    }
    out.push_back(ivr::Assignment{*name, *value});
  }
  return out;
}

ivr::NodeIndex resolve_node(FlowContext& ctx, const Field& at, const std::string& name) {
  const ivr::NodeIndex index = ctx.flow.find(name);
  if (index == ivr::kNoNode) {
    ctx.reader.error(at, fmt::format("no node \"{}\" in flow \"{}\"; expected one of {}", name,
                                     ctx.flow.name, join_names(ctx.node_names)));
  }
  return index;
}

// A node name, or `{next: name, set: {variable: value}}`.
ivr::Transition read_transition(FlowContext& ctx, const Field& field) {
  ivr::Transition t;
  if (field.node.IsMap()) {
    auto s = Section::open(ctx.reader, field, {"next", "set"});
    if (!s) {
      return t;
    }
    if (auto f = s->get("set")) {
      t.set = read_assignments(ctx, *f);
    }
    if (auto f = s->require("next")) {
      if (auto name = ctx.reader.string(*f)) {
        t.next = resolve_node(ctx, *f, *name);
      }
    }
    return t;
  }
  if (auto name = ctx.reader.string(field)) {
    t.next = resolve_node(ctx, field, *name);
  }
  return t;
}

void read_transition(FlowContext& ctx, const Section& s, std::string_view key, ivr::Transition& out,
                     bool required) {
  auto f = required ? s.require(key) : s.get(key);
  if (f) {
    out = read_transition(ctx, *f);
  }
}

void read_prompt_list(FlowContext& ctx, const Section& s, std::string_view key,
                      std::vector<std::string>& out, bool required = false) {
  auto f = required ? s.require(key) : s.get(key);
  auto items = f ? ctx.reader.string_items(*f, /*unique=*/false, "prompt") : std::nullopt;
  if (!items) {
    return;
  }
  out.clear();
  for (NamedItem& item : *items) {
    out.push_back(std::move(item.name));
  }
}

bool read_nonempty(FlowContext& ctx, const Section& s, std::string_view key, std::string& out,
                   std::string_view what) {
  auto f = s.require(key);
  auto text = f ? ctx.reader.string(*f) : std::nullopt;
  if (!text) {
    return false;
  }
  if (text->empty()) {
    ctx.reader.error(*f, fmt::format("expected {}, got an empty string", what));
    return false;
  }
  out = std::move(*text);
  return true;
}

void read_queue_name(FlowContext& ctx, const Section& s, std::string_view key, std::string& out) {
  auto f = s.require(key);
  auto name = f ? ctx.reader.string(*f) : std::nullopt;
  if (name && resolve_queue(ctx.reader, *f, *name, ctx.routing)) {
    out = *name;
  }
}

// Shared by menu and collect: how long to wait and how often to ask.
void read_asking(FlowContext& ctx, const Section& s, ivr::Node& node) {
  s.read_duration("timeout", node.timeout, /*positive=*/true);
  s.read_int("retries", 1, 10, node.retries);
  read_prompt_list(ctx, s, "invalid", node.invalid_prompts);
  read_prompt_list(ctx, s, "no_input", node.no_input_prompts);
  read_transition(ctx, s, "on_failure", node.on_failure, /*required=*/false);
}

void read_menu(FlowContext& ctx, const Section& s, ivr::Node& node) {
  read_prompt_list(ctx, s, "prompts", node.prompts, /*required=*/true);
  read_asking(ctx, s, node);
  auto f = s.require("options");
  auto entries = f ? ctx.reader.map_entries(*f) : std::nullopt;
  if (!entries) {
    return;
  }
  if (entries->empty()) {
    ctx.reader.error(*f, "expected at least one option");
  }
  for (const MapEntry& entry : *entries) {
    if (!is_dtmf_key(entry.key)) {
      ctx.reader.error(
          entry.key_field(),
          fmt::format("expected a single DTMF key (0-9, *, #, A-D), got \"{}\"", entry.key));
      continue;
    }
    node.options.emplace_back(entry.key[0], read_transition(ctx, entry.value));
  }
}

void read_collect(FlowContext& ctx, const Section& s, ivr::Node& node) {
  read_prompt_list(ctx, s, "prompts", node.prompts);
  read_asking(ctx, s, node);
  if (auto f = s.require("variable")) {
    if (auto name = ctx.reader.string(*f)) {
      if (auto variable = read_variable_name(ctx.reader, *f, *name)) {
        node.variable = *variable;
      }
    }
  }
  const bool min_ok = s.read_int("min_digits", 1, 64, node.min_digits);
  s.read_int("max_digits", 1, 64, node.max_digits);
  if (node.min_digits > node.max_digits) {
    ctx.reader.error(*s.get(min_ok ? "min_digits" : "max_digits"),
                     fmt::format("min_digits ({}) is more than max_digits ({})", node.min_digits,
                                 node.max_digits));
  }
  if (auto f = s.get("terminator")) {
    if (auto text = ctx.reader.string(*f)) {
      if (text->empty()) {
        node.terminator = '\0';
      } else if (is_dtmf_key(*text)) {
        node.terminator = (*text)[0];
      } else {
        ctx.reader.error(*f, fmt::format("expected a single DTMF key (0-9, *, #, A-D), or \"\" "
                                         "for none, got \"{}\"",
                                         *text));
      }
    }
  }
  s.read_duration("inter_digit_timeout", node.inter_digit_timeout,
                  /*positive=*/true);
  if (s.read_string("pattern", node.pattern)) {
    try {
      std::regex check(node.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      ctx.reader.error(*s.get("pattern"), fmt::format("invalid regular expression \"{}\": {}",
                                                      node.pattern, e.what()));
    }
  }
  if (s.read_string("validator", node.validator) && !ivr::builtin_validator(node.validator)) {
    ctx.reader.error(*s.get("validator"),
                     fmt::format("unknown validator \"{}\"; expected one of {}", node.validator,
                                 ivr::builtin_validator_choices()));
  }
  read_transition(ctx, s, "next", node.next, /*required=*/true);
}

void read_branch(FlowContext& ctx, const Section& s, ivr::Node& node) {
  if (auto f = s.require("variable")) {
    if (auto text = ctx.reader.string(*f)) {
      // A variable name, or text with ${...} to compare a combination.
      if (ivr::has_reference(*text) || read_variable_name(ctx.reader, *f, *text)) {
        node.branch_variable = *text;
      }
    }
  }
  auto f = s.require("cases");
  if (auto entries = f ? ctx.reader.map_entries(*f) : std::nullopt) {
    for (const MapEntry& entry : *entries) {
      node.cases.emplace_back(entry.key, read_transition(ctx, entry.value));
    }
  }
  read_transition(ctx, s, "otherwise", node.otherwise, /*required=*/true);
}

void read_hours(FlowContext& ctx, const Section& s, ivr::Node& node) {
  if (auto f = s.require("calendar")) {
    if (auto name = ctx.reader.string(*f)) {
      std::vector<std::string> names;
      for (const auto& [calendar, unused] : ctx.settings.calendars) {
        names.push_back(calendar);
      }
      if (ctx.settings.calendars.contains(*name)) {
        node.calendar = *name;
      } else if (names.empty()) {
        ctx.reader.error(*f, fmt::format("unknown calendar \"{}\"; none are defined (add them to "
                                         "the top-level \"calendars:\" map)",
                                         *name));
      } else {
        ctx.reader.error(*f, fmt::format("unknown calendar \"{}\"; expected one of {}", *name,
                                         join_names(names)));
      }
    }
  }
  read_transition(ctx, s, "open", node.open, /*required=*/true);
  read_transition(ctx, s, "closed", node.closed, /*required=*/true);
  read_transition(ctx, s, "holiday", node.holiday, /*required=*/false);
}

void read_lookup(FlowContext& ctx, const Section& s, ivr::Node& node) {
  if (s.read_string("method", node.method) &&
      std::find(kMethods.begin(), kMethods.end(), node.method) == kMethods.end()) {
    ctx.reader.error(*s.get("method"), fmt::format("expected one of {}, got \"{}\"",
                                                   fmt::join(kMethods, ", "), node.method));
  }
  if (auto f = s.require("url")) {
    if (auto url = ctx.reader.string(*f)) {
      if (url->starts_with("http://") || url->starts_with("https://")) {
        node.url = *url;
      } else {
        ctx.reader.error(*f, fmt::format("expected an http:// or https:// URL, got \"{}\"", *url));
      }
    }
  }
  s.read_string("body", node.body);
  s.read_duration("timeout", node.lookup_timeout, /*positive=*/true);
  auto f = s.get("assign");
  if (auto entries = f ? ctx.reader.map_entries(*f) : std::nullopt) {
    for (const MapEntry& entry : *entries) {
      auto name = read_variable_name(ctx.reader, entry.key_field(), entry.key);
      auto path = ctx.reader.string(entry.value);
      if (!name || !path) {
        continue;
      }
      if (path->empty() || (path->starts_with('/') && !ivr::is_json_pointer(*path))) {
        ctx.reader.error(entry.value, fmt::format("expected a JSON pointer such as /tier or a "
                                                  "field name, got \"{}\"",
                                                  *path));
        continue;
      }
      node.assign.emplace_back(*name, *path);
    }
  }
  read_transition(ctx, s, "next", node.next, /*required=*/true);
  read_transition(ctx, s, "on_failure", node.on_failure, /*required=*/false);
}

void read_queue_node(FlowContext& ctx, const Section& s, ivr::Node& node) {
  read_queue_name(ctx, s, "queue", node.queue);
  s.read_int("priority", -1000, 1000, node.priority);
  if (auto f = s.get("data")) {
    node.attached = read_assignments(ctx, *f);
  }
}

// The keys each kind accepts besides `type`, and which of them it requires is in its reader.
std::vector<std::string_view> keys_of(NodeKind kind) {
  switch (kind) {
    case NodeKind::Play:
      return {"prompts", "next"};
    case NodeKind::Menu:
      return {"prompts", "options", "timeout", "retries", "invalid", "no_input", "on_failure"};
    case NodeKind::Collect:
      return {"prompts",
              "variable",
              "min_digits",
              "max_digits",
              "terminator",
              "timeout",
              "inter_digit_timeout",
              "retries",
              "invalid",
              "no_input",
              "pattern",
              "validator",
              "next",
              "on_failure"};
    case NodeKind::Set:
      return {"set", "next"};
    case NodeKind::Branch:
      return {"variable", "cases", "otherwise"};
    case NodeKind::Hours:
      return {"calendar", "open", "closed", "holiday"};
    case NodeKind::Language:
      return {"language", "next"};
    case NodeKind::Lookup:
      return {"method", "url", "body", "timeout", "assign", "next", "on_failure"};
    case NodeKind::Queue:
      return {"queue", "priority", "data"};
    case NodeKind::Voicemail:
      return {"prompts", "mailbox", "max_length", "next"};
    case NodeKind::Callback:
      return {"prompts", "queue", "number"};
    case NodeKind::Transfer:
      return {"number"};
    case NodeKind::Hangup:
      return {"prompts", "reason"};
  }
  return {};
}

void read_node_body(FlowContext& ctx, const Section& s, ivr::Node& node) {
  switch (node.kind) {
    case NodeKind::Play:
      read_prompt_list(ctx, s, "prompts", node.prompts, /*required=*/true);
      read_transition(ctx, s, "next", node.next, /*required=*/true);
      return;
    case NodeKind::Menu:
      read_menu(ctx, s, node);
      return;
    case NodeKind::Collect:
      read_collect(ctx, s, node);
      return;
    case NodeKind::Set:
      if (auto f = s.require("set")) {
        node.next.set = read_assignments(ctx, *f);
      }
      if (auto f = s.require("next")) {
        // `next: {next: x, set: ...}` works too: its assignments run after the node's own.
        ivr::Transition t = read_transition(ctx, *f);
        node.next.next = t.next;
        node.next.set.insert(node.next.set.end(), t.set.begin(), t.set.end());
      }
      return;
    case NodeKind::Branch:
      read_branch(ctx, s, node);
      return;
    case NodeKind::Hours:
      read_hours(ctx, s, node);
      return;
    case NodeKind::Language:
      if (read_nonempty(ctx, s, "language", node.language, "a language")) {
        check_language(ctx, *s.get("language"), node.language);
      }
      read_transition(ctx, s, "next", node.next, /*required=*/true);
      return;
    case NodeKind::Lookup:
      read_lookup(ctx, s, node);
      return;
    case NodeKind::Queue:
      read_queue_node(ctx, s, node);
      return;
    case NodeKind::Voicemail:
      read_prompt_list(ctx, s, "prompts", node.prompts);
      read_nonempty(ctx, s, "mailbox", node.mailbox, "a mailbox name");
      s.read_duration("max_length", node.max_length, /*positive=*/true);
      read_transition(ctx, s, "next", node.next, /*required=*/false);
      return;
    case NodeKind::Callback:
      read_prompt_list(ctx, s, "prompts", node.prompts);
      read_queue_name(ctx, s, "queue", node.callback_queue);
      if (s.read_string("number", node.callback_number) && node.callback_number.empty()) {
        ctx.reader.error(*s.get("number"), "expected a number, got an empty string");
      }
      return;
    case NodeKind::Transfer:
      read_nonempty(ctx, s, "number", node.number, "a number");
      return;
    case NodeKind::Hangup:
      read_prompt_list(ctx, s, "prompts", node.prompts);
      s.read_string("reason", node.reason);
      return;
  }
}

// The value of `key` in a map, without reporting anything: a node's type decides which keys it may
// have, so it is looked at before Section::open checks them.
std::optional<Field> peek(const Field& field, std::string_view key) {
  if (!field.node.IsMap()) {
    return std::nullopt;
  }
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    const YAML::Node k = it->first;
    if (k.IsScalar() && k.Scalar() == key) {
      return YamlReader::child(field, key, it->second, k.Mark());
    }
  }
  return std::nullopt;
}

void read_node(FlowContext& ctx, const Field& field, ivr::Node& node) {
  if (field.node.IsDefined() && !field.node.IsNull() && !field.node.IsMap()) {
    ctx.reader.error(field, fmt::format("expected a map with a \"type\" key, got {}",
                                        YamlReader::describe(field.node)));
    return;
  }
  auto type_field = peek(field, "type");
  if (!type_field) {
    ctx.reader.error(field, "missing required key \"type\"");
    return;
  }
  auto type = ctx.reader.string(*type_field);
  if (!type) {
    return;
  }
  auto kind = ivr::parse_node_kind(*type);
  if (!kind) {
    ctx.reader.error(*type_field, fmt::format("unknown node type \"{}\"; expected one of {}", *type,
                                              ivr::node_kind_choices()));
    return;
  }
  node.kind = *kind;
  std::vector<std::string_view> keys = {"type"};
  for (std::string_view k : keys_of(*kind)) {
    keys.push_back(k);
  }
  if (auto s = Section::open(ctx.reader, field, keys)) {
    read_node_body(ctx, *s, node);
  }
}

void read_flow(YamlReader& reader, const Field& field, const IvrSettings& settings,
               const acd::RoutingConfig& routing, ivr::Flow& flow) {
  auto s = Section::open(reader, field, {"language", "start", "nodes"});
  if (!s) {
    return;
  }
  FlowContext ctx{reader, settings, routing, flow, {}};
  flow.language = settings.languages.front();
  if (auto f = s->get("language")) {
    if (auto language = reader.string(*f)) {
      flow.language = *language;
      check_language(ctx, *f, flow.language);
    }
  }
  // Node names first: transitions may point forwards.
  auto nodes_field = s->require("nodes");
  auto entries = nodes_field ? reader.map_entries(*nodes_field) : std::nullopt;
  if (!entries) {
    return;
  }
  if (entries->empty()) {
    reader.error(*nodes_field, "expected at least one node");
    return;
  }
  std::vector<const MapEntry*> kept;
  for (const MapEntry& entry : *entries) {
    if (entry.key.empty()) {
      reader.error(entry.key_field(), "expected a node name, got an empty string");
      continue;
    }
    ivr::Node node;
    node.name = entry.key;
    flow.nodes.push_back(std::move(node));
    ctx.node_names.push_back(entry.key);
    kept.push_back(&entry);
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    read_node(ctx, kept[i]->value, flow.nodes[i]);
  }
  // Without `start` the flow begins at its first node.
  if (auto f = s->get("start")) {
    if (auto name = reader.string(*f)) {
      flow.start = resolve_node(ctx, *f, *name);
    }
  }
}

void read_flows(YamlReader& reader, const Field& field, const acd::RoutingConfig& routing,
                IvrSettings& out) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return;
  }
  for (const MapEntry& entry : *entries) {
    if (entry.key.empty()) {
      reader.error(entry.key_field(), "expected a flow name, got an empty string");
      continue;
    }
    ivr::Flow flow;
    flow.name = entry.key;
    read_flow(reader, entry.value, out, routing, flow);
    out.flows.flows.push_back(std::move(flow));
  }
}

// --- inbound ---

void read_inbound(YamlReader& reader, const Field& field, const acd::RoutingConfig& routing,
                  IvrSettings& out) {
  auto items = reader.list_items(field);
  if (!items) {
    return;
  }
  std::vector<std::string> flow_names;
  for (const ivr::Flow& flow : out.flows.flows) {
    flow_names.push_back(flow.name);
  }
  std::unordered_set<std::string> dids;
  for (const Field& item : *items) {
    auto s = Section::open(reader, item, {"did", "flow", "queue", "early_media"});
    if (!s) {
      continue;
    }
    InboundRoute route;
    auto did_field = s->require("did");
    auto did = did_field ? reader.string(*did_field) : std::nullopt;
    bool ok = did.has_value();
    if (did && did->empty()) {
      reader.error(*did_field, "expected a dialled number or \"*\", got an empty string");
      ok = false;
    }
    if (ok && !dids.insert(*did).second) {
      reader.error(*did_field, fmt::format("DID \"{}\" is listed twice", *did));
      ok = false;
    }
    if (ok) {
      route.did = *did;
    }
    if (s->has("flow") == s->has("queue")) {
      reader.error(item, "expected exactly one of flow or queue");
      ok = false;
    }
    if (auto f = s->get("flow")) {
      auto name = reader.string(*f);
      if (name && out.flows.find(*name) != nullptr) {
        route.flow = *name;
      } else if (name) {
        reader.error(*f, flow_names.empty()
                             ? fmt::format("unknown flow \"{}\"; none are defined (add them to "
                                           "the top-level \"ivr:\" map)",
                                           *name)
                             : fmt::format("unknown flow \"{}\"; expected one of {}", *name,
                                           join_names(flow_names)));
      }
    }
    if (auto f = s->get("queue")) {
      auto name = reader.string(*f);
      if (name && resolve_queue(reader, *f, *name, routing)) {
        route.queue = *name;
      }
    }
    s->read_bool("early_media", route.early_media);
    if (ok) {
      out.inbound.push_back(std::move(route));
    }
  }
}

}  // namespace

void read_ivr(YamlReader& reader, const Section& top, const acd::RoutingConfig& routing,
              IvrSettings& out) {
  // Languages before flows (they check them), calendars before flows (hours nodes name them), flows
  // before inbound routes (routes name them).
  if (auto f = top.get("prompts")) {
    read_prompts_section(reader, *f, out);
  }
  if (auto f = top.get("calendars")) {
    read_calendars(reader, *f, out);
  }
  if (auto f = top.get("ivr")) {
    read_flows(reader, *f, routing, out);
  }
  if (auto f = top.get("inbound")) {
    read_inbound(reader, *f, routing, out);
  }
}

}  // namespace sb::app
