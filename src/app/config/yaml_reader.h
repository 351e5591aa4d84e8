// app/config/yaml_reader.h: checked, typed access to a parsed YAML tree for the config loader.
// Every failed check becomes a Diagnostic at the offending node; nothing throws or stops early.
// It knows YAML shapes only, not the switchboard schema (that is in the *_section.cc files).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/config/config_loader.h"
#include "common/clock.h"

namespace sb::app {

// A node and where it sits: its dotted path for messages ("queues.billing.strategy", "agents[2]";
// empty for the root) and the mark to report at.
struct Field {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;
};

// One entry of a map, in file order.
struct MapEntry {
  std::string key;
  YAML::Mark key_mark;
  Field value;

  // The key as a field, for errors about the key itself ("unknown skill" in a skill map).
  Field key_field() const { return Field{YAML::Node(), value.path, key_mark}; }
};

// A string item of a list, with its position for reference errors.
struct NamedItem {
  std::string name;
  Field field;
};

// Bounds for a floating-point value.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool exclusive_min = false;

  static NumberRange at_least(double v) { return {v, std::numeric_limits<double>::infinity()}; }
  static NumberRange above(double v) { return {v, std::numeric_limits<double>::infinity(), true}; }
  static NumberRange between(double lo, double hi) { return {lo, hi}; }
  bool contains(double v) const;
  std::string describe() const;  // "a number >= 0", "a number between 0 and 1"
};

// Collects diagnostics for one file and converts nodes into values. Not thread-safe.
class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Diagnostic>& out);

  void error(const YAML::Mark& mark, std::string message);
  // Reports "<path>: <message>" at the field (just the message for the root).
  void error(const Field& field, std::string_view message);
  // Every error reported, including those past the cap that were only counted.
  size_t error_count() const { return out_->size() + suppressed_; }
  // At most this many diagnostics are kept: a broken 10 MB file must not print 70 MB.
  static constexpr size_t kMaxDiagnostics = 100;
  size_t suppressed() const { return suppressed_; }

  static Field root(const YAML::Node& node);
  // The value under `key` of a map field. yaml-cpp places an empty value at the next token, so
  // an empty value is reported at its key.
  static Field child(const Field& parent, std::string_view key, const YAML::Node& value,
                     const YAML::Mark& key_mark);
  static Field item(const Field& parent, size_t index, const YAML::Node& value);
  // How a node reads in "got ..." messages: "a map", "a list", "nothing", or the quoted text.
  static std::string describe(const YAML::Node& node);

  // The entries of a map, in file order. Reports keys that are not strings and repeated keys
  // (keeping the first). An empty value counts as an empty map; anything else is reported and
  // gives nullopt.
  std::optional<std::vector<MapEntry>> map_entries(const Field& field);
  // The items of a list; an empty value counts as an empty list.
  std::optional<std::vector<Field>> list_items(const Field& field);
  // A list of non-empty strings; items of the wrong type are reported and left out. With
  // `unique`, repeats are reported (naming `what`) and left out.
  std::optional<std::vector<NamedItem>> string_items(const Field& field, bool unique,
                                                     std::string_view what);

  std::optional<std::string> string(const Field& field);
  std::optional<int64_t> integer(const Field& field, int64_t min = 0,
                                 int64_t max = std::numeric_limits<int64_t>::max());
  std::optional<double> number(const Field& field, NumberRange range);
  std::optional<bool> boolean(const Field& field);
  // With `positive`, zero is reported too.
  std::optional<Duration> duration(const Field& field, bool positive = false);
  std::optional<Duration> time_of_day(const Field& field);

 private:
  std::string file_;
  std::vector<Diagnostic>* out_;
  size_t suppressed_ = 0;
};

// "a, b, c" from names; at most `limit` of them, then ", ...".
std::string join_names(const std::vector<std::string>& names, size_t limit = 20);

}  // namespace sb::app
