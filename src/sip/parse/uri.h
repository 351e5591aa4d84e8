// sip/parse/uri.h: SIP and SIPS URIs (RFC 3261 §19.1) and tel URIs (RFC 3966), parsed into views
// of the caller's text, and their comparison (§19.1.4). Other schemes are recognised by name only,
// so a UAS can answer 416 (§8.2.2.1). No DNS, no normalisation of the views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sb::sip {

enum class UriScheme : uint8_t { Sip, Sips, Tel, Other };

// One `name[=value]` of a URI or a header. Views are raw: still %-escaped (URIs) or quoted
// (header parameters).
struct UriParam {
  std::string_view name;
  std::string_view value;
  bool has_value = false;
};

// Views into the text given to parse_uri(); valid as long as that text is.
struct Uri {
  UriScheme scheme = UriScheme::Other;
  std::string_view scheme_text;  // as written: "SIP", "sips", "tel", "http"
  std::string_view user;         // still %-escaped; tel: the number ("+1-201-555-0123" or local)
  std::string_view password;
  std::string_view host;  // IPv6 without the brackets; host_is_ipv6 tells
  bool host_is_ipv6 = false;
  std::optional<uint16_t> port;
  std::vector<UriParam> params;   // ;transport=tcp;lr;user=phone
  std::vector<UriParam> headers;  // ?subject=x&priority=urgent

  // The first parameter of that name, compared case-insensitively after unescaping ("%6C%72"
  // is "lr"): its raw value, "" for a flag parameter like lr; nullopt if absent.
  std::optional<std::string_view> param(std::string_view name) const;
  bool has_param(std::string_view name) const;
};

// Parses a complete URI (no surrounding LWS or angle brackets). Fails with a short phrase
// ("empty host", "bad port", "invalid character in URI") for anything RFC 3261 §25.1 or RFC 3966
// §3 does not allow; unknown schemes succeed as UriScheme::Other with only scheme_text set.
sb::Result<Uri> parse_uri(std::string_view text);

// Resolves %HH escapes; an invalid escape ("%Z1", a trailing "%") is kept literally. The result
// may hold any byte, NUL included (RFC 4475 §3.1.1.4).
std::string percent_decode(std::string_view text);

// RFC 3261 §19.1.4 equivalence: same scheme; user and password equal (case-sensitive) after
// unescaping; host case-insensitive (IPv6 by address); port present in both or neither and equal;
// uri-parameters present in both equal, transport/user/ttl/method/maddr present in only one never
// match;
// headers equal as sets. tel URIs compare per RFC 3966 §4. Other schemes never compare equal.
bool uri_equivalent(const Uri& a, const Uri& b);

// The host grammar of RFC 3261 §25.1, shared with Via sent-by and received.
bool is_ipv4_address(std::string_view text);
bool is_ipv6_address(std::string_view text);  // without brackets
bool is_hostname(std::string_view text);
// A decimal port 1..65535 (leading zeros allowed); nullopt otherwise.
std::optional<uint16_t> parse_port(std::string_view digits);

}  // namespace sb::sip
