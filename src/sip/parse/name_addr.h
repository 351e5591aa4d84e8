// sip/parse/name_addr.h: the address headers From, To, Contact, Route, Record-Route, Refer-To and
// Path (RFC 3261 §20.10, §25.1): name-addr or addr-spec, then header parameters. One element only;
// the message splits comma lists.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sip/parse/uri.h"

namespace sb::sip {

// Views into the value given to parse_name_addr().
struct NameAddr {
  std::string_view display_name;  // raw, quotes included if quoted; unquote() for the text
  std::string_view uri_text;      // between the angle brackets, or the addr-spec
  Uri uri;
  std::vector<UriParam> params;  // header parameters (tag, expires, q, ...)
  bool wildcard = false;         // Contact: * (RFC 3261 §10.2.2)

  // The first header parameter of that name (case-insensitive): "" for a flag; nullopt if absent.
  std::optional<std::string_view> param(std::string_view name) const;
  std::optional<std::string_view> tag() const { return param("tag"); }
};

// Parses one value. `allow_wildcard` accepts a lone "*" (Contact in REGISTER). An addr-spec
// ends at the first ';': what follows are header parameters (§20.10), and an addr-spec holding
// '?' or ',' must have been bracketed. Fails on unterminated quotes or '<', a bad URI (with the
// URI's own message), or text after the parameters.
sb::Result<NameAddr> parse_name_addr(std::string_view value, bool allow_wildcard = false);

}  // namespace sb::sip
