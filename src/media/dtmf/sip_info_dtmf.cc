// media/dtmf/sip_info_dtmf.cc
#include "media/dtmf/sip_info_dtmf.h"

#include <cctype>
#include <charconv>
#include <string>

namespace sb::media::dtmf {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<char> digit_of(std::string_view v) {
  v = trim(v);
  if (v.size() == 1) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) {
      return c;
    }
  }
  if (v == "10") return '*';  // some gateways send the RFC 4733 event number
  if (v == "11") return '#';
  return std::nullopt;
}

}  // namespace

std::optional<InfoDigit> parse_info_dtmf(std::string_view content_type, std::string_view body) {
  std::string type = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (type == "application/dtmf") {
    auto d = digit_of(body);
    if (!d) return std::nullopt;
    return InfoDigit{*d, 250};
  }
  if (type != "application/dtmf-relay") return std::nullopt;
  std::optional<InfoDigit> out;
  int duration = 250;
  while (!body.empty()) {
    auto eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
    auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = lower(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (key == "signal") {
      if (auto d = digit_of(value)) out = InfoDigit{*d, 250};
    } else if (key == "duration") {
      int ms = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
      if (ec == std::errc() && p == value.data() + value.size() && ms > 0 && ms < 60000) duration = ms;
    }
  }
  if (out) out->duration_ms = duration;
  return out;
}

}  // namespace sb::media::dtmf
