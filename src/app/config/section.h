// app/config/section.h: a YAML map with a fixed set of keys, as the config schema uses them.
// Opening one reports unknown keys; the read_* helpers fill struct fields with checked values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/config/yaml_reader.h"

namespace sb::app {

// A map with a fixed set of keys. Opening it reports every unknown key at the key, listing the
// allowed ones; the read_* helpers fill a struct field when the key is present and valid, and
// leave the default otherwise (the error, if any, is already reported).
class Section {
 public:
  // nullopt (reported) when `field` is not a map; an empty value gives an empty section.
  static std::optional<Section> open(YamlReader& reader, const Field& field,
                                     std::vector<std::string_view> keys);

  const Field& field() const { return field_; }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  std::optional<Field> get(std::string_view key) const;
  // Like get(), and reports a missing key at the map.
  std::optional<Field> require(std::string_view key) const;

  bool read_string(std::string_view key, std::string& out) const;
  bool read_int(std::string_view key, int min, int max, int& out) const;
  bool read_number(std::string_view key, NumberRange range, double& out) const;
  bool read_bool(std::string_view key, bool& out) const;
  bool read_duration(std::string_view key, Duration& out, bool positive = false) const;
  bool read_duration(std::string_view key, std::optional<Duration>& out,
                     bool positive = false) const;
  bool read_time_of_day(std::string_view key, Duration& out) const;

 private:
  Section(YamlReader& reader, Field field, std::vector<MapEntry> entries)
      : reader_(&reader), field_(std::move(field)), entries_(std::move(entries)) {}
  const MapEntry* find(std::string_view key) const;

  YamlReader* reader_;
  Field field_;
  std::vector<MapEntry> entries_;
};

}  // namespace sb::app
