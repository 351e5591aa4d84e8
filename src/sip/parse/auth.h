// sip/parse/auth.h: WWW-Authenticate, Proxy-Authenticate, Authorization and Proxy-Authorization
// values (RFC 3261 §20.7, §20.27, §20.28, §20.44, §25.1; RFC 8760 algorithms). Syntax only:
// computing and checking digests belongs to the authentication code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sb::sip {

struct AuthHeader {
  std::string_view scheme;  // "Digest", as written
  // In order of appearance; names as written, values unquoted.
  std::vector<std::pair<std::string_view, std::string>> params;

  // The first parameter of that name (case-insensitive), unquoted; nullopt if absent.
  std::optional<std::string> get(std::string_view name) const;
};

// Parses `auth-scheme LWS auth-param *(COMMA auth-param)`, auth-param = name EQUAL (token /
// quoted-string). Commas inside quoted strings stay in the value (qop="auth,auth-int"); empty list
// elements are skipped. Fails on a missing scheme, a parameter without '=' or value, or an
// unterminated quoted string. token68 credentials (RFC 7235 §2.1, e.g. Bearer) are not parsed.
sb::Result<AuthHeader> parse_auth(std::string_view value);

}  // namespace sb::sip
