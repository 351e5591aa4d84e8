// app/config/yaml_reader.cc: node shape checks and scalar conversions with diagnostics.
// Scalars are parsed here (not with yaml-cpp's as<T>) so nothing throws and "1.5" is no int.
#include "app/config/yaml_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "common/duration_text.h"

namespace sb::app {
namespace {

std::string prefixed(const std::string& path, std::string_view message) {
  return path.empty() ? std::string(message) : fmt::format("{}: {}", path, message);
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<int64_t> parse_int(std::string_view text) {
  text = trimmed(text);
  if (text.starts_with('+')) {
    text.remove_prefix(1);
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  text = trimmed(text);
  if (text.starts_with('+')) {
    text.remove_prefix(1);
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string describe_int_range(int64_t min, int64_t max) {
  const bool no_max = max >= std::numeric_limits<int>::max();
  if (min == std::numeric_limits<int64_t>::min() && no_max) {
    return "an integer";
  }
  if (no_max) {
    return fmt::format("an integer >= {}", min);
  }
  return fmt::format("an integer between {} and {}", min, max);
}

bool is_empty(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

}  // namespace

bool NumberRange::contains(double v) const {
  return (exclusive_min ? v > min : v >= min) && v <= max;
}

std::string NumberRange::describe() const {
  if (std::isinf(max)) {
    if (std::isinf(min)) {
      return "a number";
    }
    return fmt::format("a number {} {}", exclusive_min ? ">" : ">=", min);
  }
  if (exclusive_min) {
    return fmt::format("a number > {} and <= {}", min, max);
  }
  return fmt::format("a number between {} and {}", min, max);
}

YamlReader::YamlReader(std::string file, std::vector<Diagnostic>& out)
    : file_(std::move(file)), out_(&out) {}

void YamlReader::error(const YAML::Mark& mark, std::string message) {
  if (out_->size() >= kMaxDiagnostics) {
    ++suppressed_;
    return;
  }
  // yaml-cpp marks are 0-based; a null mark (-1) means "no position".
  out_->push_back(Diagnostic{file_, mark.is_null() ? 0 : mark.line + 1,
                             mark.is_null() ? 0 : mark.column + 1, std::move(message)});
}

void YamlReader::error(const Field& field, std::string_view message) {
  error(field.mark, prefixed(field.path, message));
}

Field YamlReader::root(const YAML::Node& node) { return Field{node, "", node.Mark()}; }

Field YamlReader::child(const Field& parent, std::string_view key, const YAML::Node& value,
                        const YAML::Mark& key_mark) {
  std::string path =
      parent.path.empty() ? std::string(key) : fmt::format("{}.{}", parent.path, key);
  YAML::Mark mark = is_empty(value) || value.Mark().is_null() ? key_mark : value.Mark();
  return Field{value, std::move(path), mark};
}

Field YamlReader::item(const Field& parent, size_t index, const YAML::Node& value) {
  YAML::Mark mark = value.Mark().is_null() ? parent.mark : value.Mark();
  return Field{value, fmt::format("{}[{}]", parent.path, index), mark};
}

std::string YamlReader::describe(const YAML::Node& node) {
  if (is_empty(node)) {
    return "nothing";
  }
  if (node.IsMap()) {
    return "a map";
  }
  if (node.IsSequence()) {
    return "a list";
  }
  return fmt::format("\"{}\"", node.Scalar());
}

std::optional<std::vector<MapEntry>> YamlReader::map_entries(const Field& field) {
  std::vector<MapEntry> entries;
  if (is_empty(field.node)) {
    return entries;
  }
  if (!field.node.IsMap()) {
    error(field, fmt::format("expected a map, got {}", describe(field.node)));
    return std::nullopt;
  }
  std::unordered_map<std::string, int> first_line;
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // Copies: it-> returns a proxy that dies at the end of the full expression.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar()) {
      error(key.Mark(),
            prefixed(field.path, fmt::format("keys must be strings, got {}", describe(key))));
      continue;
    }
    // yaml-cpp keeps repeated keys; YAML forbids them and a silent "last one wins" hides typos.
    auto [seen, inserted] = first_line.emplace(key.Scalar(), key.Mark().line + 1);
    if (!inserted) {
      error(key.Mark(), prefixed(field.path, fmt::format("duplicate key \"{}\" (first at line {})",
                                                         key.Scalar(), seen->second)));
      continue;
    }
    entries.push_back(
        MapEntry{key.Scalar(), key.Mark(), child(field, key.Scalar(), value, key.Mark())});
  }
  return entries;
}

std::optional<std::vector<Field>> YamlReader::list_items(const Field& field) {
  std::vector<Field> items;
  if (is_empty(field.node)) {
    return items;
  }
  if (!field.node.IsSequence()) {
    error(field, fmt::format("expected a list, got {}", describe(field.node)));
    return std::nullopt;
  }
  size_t index = 0;
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    items.push_back(item(field, index++, *it));
  }
  return items;
}

std::optional<std::vector<NamedItem>> YamlReader::string_items(const Field& field, bool unique,
                                                               std::string_view what) {
  auto items = list_items(field);
  if (!items) {
    return std::nullopt;
  }
  std::vector<NamedItem> out;
  std::unordered_set<std::string> seen;  // linear in the list's length, whatever its size
  for (const Field& f : *items) {
    auto text = string(f);
    if (!text) {
      continue;
    }
    if (text->empty()) {
      error(f, fmt::format("expected a {} name, got an empty string", what));
      continue;
    }
    if (unique && !seen.insert(*text).second) {
      error(f, fmt::format("duplicate {} \"{}\"", what, *text));
      continue;
    }
    out.push_back(NamedItem{std::move(*text), f});
  }
  return out;
}

std::optional<std::string> YamlReader::string(const Field& field) {
  if (!field.node.IsScalar()) {
    error(field, fmt::format("expected a string, got {}", describe(field.node)));
    return std::nullopt;
  }
  return field.node.Scalar();
}

std::optional<int64_t> YamlReader::integer(const Field& field, int64_t min, int64_t max) {
  std::optional<int64_t> value;
  if (field.node.IsScalar()) {
    value = parse_int(field.node.Scalar());
  }
  if (!value || *value < min || *value > max) {
    error(field,
          fmt::format("expected {}, got {}", describe_int_range(min, max), describe(field.node)));
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::number(const Field& field, NumberRange range) {
  std::optional<double> value;
  if (field.node.IsScalar()) {
    value = parse_double(field.node.Scalar());
  }
  if (!value || !range.contains(*value)) {
    error(field, fmt::format("expected {}, got {}", range.describe(), describe(field.node)));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::boolean(const Field& field) {
  bool value = false;
  if (!field.node.IsScalar() || !YAML::convert<bool>::decode(field.node, value)) {
    error(field, fmt::format("expected true or false, got {}", describe(field.node)));
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> YamlReader::duration(const Field& field, bool positive) {
  std::optional<Duration> value;
  if (field.node.IsScalar()) {
    value = parse_duration(field.node.Scalar());
  }
  if (!value) {
    error(field,
          fmt::format("expected a duration such as 30s, 2m, 1h30m or a number of seconds, got {}",
                      describe(field.node)));
  } else if (positive && *value <= Duration::zero()) {
    error(field, fmt::format("expected a duration > 0, got {}", describe(field.node)));
    value.reset();
  }
  return value;
}

std::optional<Duration> YamlReader::time_of_day(const Field& field) {
  std::optional<Duration> value;
  if (field.node.IsScalar()) {
    value = parse_time_of_day(field.node.Scalar());
  }
  if (!value) {
    error(field, fmt::format("expected a time of day \"HH:MM\" or \"HH:MM:SS\", got {}",
                             describe(field.node)));
  }
  return value;
}

std::string join_names(const std::vector<std::string>& names, size_t limit) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < limit; ++i) {
    out += i == 0 ? "" : ", ";
    out += names[i];
  }
  if (names.size() > limit) {
    out += ", ...";
  }
  return out;
}

}  // namespace sb::app
