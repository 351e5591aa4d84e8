// app/config/section.cc: key checks and typed reads for fixed-key maps of the config schema.
#include "app/config/section.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace sb::app {

std::optional<Section> Section::open(YamlReader& reader, const Field& field,
                                     std::vector<std::string_view> keys) {
  auto entries = reader.map_entries(field);
  if (!entries) {
    return std::nullopt;
  }
  std::vector<MapEntry> known;
  for (MapEntry& entry : *entries) {
    bool allowed = false;
    for (std::string_view k : keys) {
      allowed = allowed || k == entry.key;
    }
    if (!allowed) {
      reader.error(entry.key_mark,
                   fmt::format("unknown key \"{}\" {}; expected one of {}", entry.key,
                               field.path.empty() ? "at the top level" : "in " + field.path,
                               fmt::join(keys, ", ")));
      continue;
    }
    known.push_back(std::move(entry));
  }
  return Section(reader, field, std::move(known));
}

const MapEntry* Section::find(std::string_view key) const {
  for (const MapEntry& entry : entries_) {
    if (entry.key == key) {
      return &entry;
    }
  }
  return nullptr;
}

std::optional<Field> Section::get(std::string_view key) const {
  const MapEntry* entry = find(key);
  if (entry == nullptr) {
    return std::nullopt;
  }
  return entry->value;
}

std::optional<Field> Section::require(std::string_view key) const {
  auto value = get(key);
  if (!value) {
    reader_->error(field_, fmt::format("missing required key \"{}\"", key));
  }
  return value;
}

bool Section::read_string(std::string_view key, std::string& out) const {
  auto f = get(key);
  auto v = f ? reader_->string(*f) : std::nullopt;
  if (v) {
    out = std::move(*v);
  }
  return v.has_value();
}

bool Section::read_int(std::string_view key, int min, int max, int& out) const {
  auto f = get(key);
  auto v = f ? reader_->integer(*f, min, max) : std::nullopt;
  if (v) {
    out = static_cast<int>(*v);
  }
  return v.has_value();
}

bool Section::read_number(std::string_view key, NumberRange range, double& out) const {
  auto f = get(key);
  auto v = f ? reader_->number(*f, range) : std::nullopt;
  if (v) {
    out = *v;
  }
  return v.has_value();
}

bool Section::read_bool(std::string_view key, bool& out) const {
  auto f = get(key);
  auto v = f ? reader_->boolean(*f) : std::nullopt;
  if (v) {
    out = *v;
  }
  return v.has_value();
}

bool Section::read_duration(std::string_view key, Duration& out, bool positive) const {
  auto f = get(key);
  auto v = f ? reader_->duration(*f, positive) : std::nullopt;
  if (v) {
    out = *v;
  }
  return v.has_value();
}

bool Section::read_duration(std::string_view key, std::optional<Duration>& out,
                            bool positive) const {
  auto f = get(key);
  auto v = f ? reader_->duration(*f, positive) : std::nullopt;
  if (v) {
    out = *v;
  }
  return v.has_value();
}

bool Section::read_time_of_day(std::string_view key, Duration& out) const {
  auto f = get(key);
  auto v = f ? reader_->time_of_day(*f) : std::nullopt;
  if (v) {
    out = *v;
  }
  return v.has_value();
}

}  // namespace sb::app
