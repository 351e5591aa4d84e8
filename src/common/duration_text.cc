#include "common/duration_text.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace sb {
namespace {

std::optional<double> parse_number(std::string_view& text) {
  size_t n = 0;
  while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.')) {
    ++n;
  }
  if (n == 0) {
    return std::nullopt;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc{} || ptr != text.data() + n) {
    return std::nullopt;
  }
  text.remove_prefix(n);
  return value;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) {
    return std::nullopt;
  }
  double total_seconds = 0;
  bool bare = true;
  while (!text.empty()) {
    auto number = parse_number(text);
    if (!number) {
      return std::nullopt;
    }
    double scale = 1;
    if (text.starts_with("ms")) {
      scale = 0.001;
      text.remove_prefix(2);
    } else if (!text.empty() && (text[0] == 's' || text[0] == 'm' || text[0] == 'h' || text[0] == 'd')) {
      scale = text[0] == 's' ? 1 : text[0] == 'm' ? 60 : text[0] == 'h' ? 3600 : 86400;
      text.remove_prefix(1);
    } else if (!text.empty() || !bare) {
      return std::nullopt;  // a unit is missing between parts ("1h30"), or junk follows
    }
    bare = false;
    total_seconds += *number * scale;
  }
  if (!std::isfinite(total_seconds) || total_seconds > 1e9) {
    return std::nullopt;
  }
  return from_seconds(total_seconds);
}

std::string format_duration(Duration d) {
  using namespace std::chrono;
  if (d < seconds(1) && d > Duration::zero()) {
    return std::to_string(duration_cast<milliseconds>(d).count()) + "ms";
  }
  auto s = duration_cast<seconds>(d).count();
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
  }
  if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  if (s > 0 || out.empty()) {
    out += std::to_string(s) + "s";
  }
  return out;
}

std::optional<Duration> parse_time_of_day(std::string_view text) {
  int parts[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    size_t used = static_cast<size_t>(ptr - text.data());
    if (ec != std::errc{} || used == 0 || used > 2) {
      return std::nullopt;
    }
    parts[count++] = value;
    text.remove_prefix(used);
    if (text.empty()) {
      break;
    }
    if (text[0] != ':') {
      return std::nullopt;
    }
    text.remove_prefix(1);
  }
  if (!text.empty() || count < 2 || parts[0] > 24 || parts[1] > 59 || parts[2] > 59 ||
      (parts[0] == 24 && (parts[1] != 0 || parts[2] != 0))) {
    return std::nullopt;
  }
  return std::chrono::hours(parts[0]) + std::chrono::minutes(parts[1]) +
         std::chrono::seconds(parts[2]);
}

}  // namespace sb
