// sip/client/registration_response.cc
#include "sip/client/registration_response.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "sip/parse/name_addr.h"
#include "sip/parse/params.h"
#include "sip/parse/uri.h"

namespace sb::sip::client {
namespace {

constexpr uint64_t kMaxDelta = 4294967295ULL;  // 2^32-1

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::optional<std::chrono::seconds> parse_delta_seconds(std::string_view text, bool leading_only) {
  text = trim(text);
  size_t digits = 0;
  uint64_t value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    value = std::min<uint64_t>(value * 10 + static_cast<uint64_t>(text[digits] - '0'), kMaxDelta);
    ++digits;
  }
  if (digits == 0) {
    return std::nullopt;
  }
  if (digits != text.size()) {
    const char next = text[digits];
    if (!leading_only || (next != ' ' && next != '\t' && next != '(' && next != ';')) {
      return std::nullopt;
    }
  }
  return std::chrono::seconds(static_cast<int64_t>(value));
}

std::optional<std::chrono::seconds> header_seconds(const Message& message, HeaderName name) {
  const std::optional<std::string_view> value = message.first(name);
  if (!value) {
    return std::nullopt;
  }
  return parse_delta_seconds(*value, /*leading_only=*/name == HeaderName::RetryAfter);
}

std::optional<std::chrono::seconds> granted_expiry(const Message& ok,
                                                   std::string_view contact_uri) {
  const Result<Uri> ours = parse_uri(contact_uri);
  if (ours) {
    for (std::string_view value : ok.values(HeaderName::Contact)) {
      const Result<NameAddr> contact = parse_name_addr(value);
      if (!contact || !uri_equivalent(contact->uri, *ours)) {
        continue;
      }
      if (const std::optional<std::string_view> expires = contact->param("expires")) {
        if (auto seconds = parse_delta_seconds(unquote(*expires))) {
          return seconds;
        }
      }
      break;  // ours, without a usable expires: the Expires header says
    }
  }
  return header_seconds(ok, HeaderName::Expires);
}

}  // namespace sb::sip::client
