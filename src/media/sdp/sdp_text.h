// media/sdp/sdp_text.h: the small text readers SDP lines and attribute values share: blanks,
// blank-separated fields, unsigned decimal numbers. Internal to media/sdp.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace sb::media::sdp {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The non-empty runs of non-blank characters, in order.
std::vector<std::string_view> split_blanks(std::string_view s);

// An unsigned decimal that fits T: digits only (leading zeros allowed), nothing else.
template <typename T>
std::optional<T> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 40 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  T value{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace sb::media::sdp
