// sip/parse/split.cc
#include "sip/parse/split.h"

namespace sb::sip {

std::string_view trim_lws(std::string_view text) {
  auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_ws(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ws(text.back())) text.remove_suffix(1);
  return text;
}

void split_comma_list(std::string_view value, std::vector<std::string_view>& out) {
  bool quoted = false;
  int angle = 0;
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
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
      if (auto part = trim_lws(value.substr(start, i - start)); !part.empty()) {
        out.push_back(part);
      }
      start = i + 1;
    }
  }
  if (start <= value.size()) {
    if (auto part = trim_lws(value.substr(start)); !part.empty()) {
      out.push_back(part);
    }
  }
}

}  // namespace sb::sip
