// sip/parse/split.cc
#include "sip/parse/split.h"

namespace sb::sip {

std::string_view trim_lws(std::string_view text) {
  auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_ws(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ws(text.back())) text.remove_suffix(1);
  return text;
}

namespace {

// The index of the next comma at the top level of `value` from `from` (not inside a quoted
// string or angle brackets), or npos. With `open`, also whether a scan that found no comma
// ended inside a quoted string or angle brackets.
size_t next_separator(std::string_view value, size_t from, bool* open = nullptr) {
  bool quoted = false;
  int angle = 0;
  for (size_t i = from; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted) {
      if (c == '\\') {
        ++i;  // quoted-pair: the next character is literal
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == ',' && angle == 0) {
      return i;
    }
  }
  if (open != nullptr) {
    *open = quoted || angle > 0;
  }
  return std::string_view::npos;
}

}  // namespace

void split_comma_list(std::string_view value, std::vector<std::string_view>& out) {
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = next_separator(value, start);
    const size_t end = comma == std::string_view::npos ? value.size() : comma;
    if (auto part = trim_lws(value.substr(start, end - start)); !part.empty()) out.push_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

std::string_view first_list_element(std::string_view value) {
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = next_separator(value, start);
    const size_t end = comma == std::string_view::npos ? value.size() : comma;
    if (auto part = trim_lws(value.substr(start, end - start)); !part.empty()) return part;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return {};
}

bool is_one_list_element(std::string_view text) {
  bool open = false;
  return !text.empty() && trim_lws(text).size() == text.size() &&
         next_separator(text, 0, &open) == std::string_view::npos && !open;
}

}  // namespace sb::sip
