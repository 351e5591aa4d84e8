// A request that failed to parse still deserves its error response (RFC 3261 §8.2: 400 naming
// the problem, 505, 413). The parser gave up on the message as a whole, so the headers a
// response needs are found here by a lenient line scan instead.
#include <optional>
#include <string>
#include <string_view>

#include "sip/ascii.h"
#include "sip/transport/raw_error_response.h"

namespace sb::sip {
namespace {

// The canonical name a response copies the header under, or empty for headers it skips.
std::string_view response_header(std::string_view name) {
  struct Alias {
    std::string_view full, compact, canonical;
  };
  static constexpr Alias kCopied[] = {
      {"via", "v", "Via"}, {"from", "f", "From"}, {"to", "t", "To"},
      {"call-id", "i", "Call-ID"}, {"cseq", "", "CSeq"},
  };
  for (const Alias& a : kCopied) {
    if (iequals(name, a.full) || (!a.compact.empty() && iequals(name, a.compact))) return a.canonical;
  }
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> raw_error_response(std::string_view raw, int status, std::string_view reason) {
  // The head only: a body may hold anything.
  if (size_t end = raw.find("\r\n\r\n"); end != std::string_view::npos) raw = raw.substr(0, end);
  if (size_t end = raw.find("\n\n"); end != std::string_view::npos) raw = raw.substr(0, end);
  std::string headers;
  bool has_via = false;
  bool to_has_tag = false;
  size_t pos = raw.find('\n');  // skip the start line
  while (pos != std::string_view::npos && pos + 1 < raw.size()) {
    size_t next = raw.find('\n', pos + 1);
    std::string_view line = raw.substr(pos + 1, next == std::string_view::npos ? raw.npos : next - pos - 1);
    pos = next;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) continue;  // folded: dropped
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view canonical = response_header(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));
    if (canonical.empty() || value.empty() || !printable(value)) continue;
    if (canonical == "Via") has_via = true;
    if (canonical == "To") to_has_tag = value.find(";tag=") != std::string_view::npos;
    headers.append(canonical).append(": ").append(value);
    if (canonical == "To" && !to_has_tag) headers.append(";tag=sb-err");
    headers.append("\r\n");
  }
  if (!has_via) return std::nullopt;
  std::string out = "SIP/2.0 " + std::to_string(status) + " ";
  out.append(printable(reason) ? reason : "Bad Request");
  out.append("\r\n").append(headers).append("Content-Length: 0\r\n\r\n");
  return out;
}

}  // namespace sb::sip
