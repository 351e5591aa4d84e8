// sip/ascii.h: the byte classes of the SIP grammar (RFC 3261 §25.1) and ASCII case folding,
// shared by the message parser and every header parser. ASCII only on purpose: protocol
// names are ASCII, and the C locale's tolower()/isalnum() cost a call per byte.
#pragma once

#include <array>
#include <string_view>

namespace sb::sip {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive equality for header and parameter names, schemes, hosts.
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

inline constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

// RFC 3261 §25.1 token characters: alphanum and - . ! % * _ + ` ' ~
constexpr bool is_token_char(char c) { return kTokenChars[static_cast<unsigned char>(c)]; }

// True for a non-empty run of token characters.
constexpr bool is_token(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!is_token_char(c)) {
      return false;
    }
  }
  return true;
}

// SP, HTAB, and the CR/LF that folding may leave behind.
constexpr bool is_lws_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace sb::sip
