// sip/parse/params.h: generic header parameter lists (RFC 3261 §25.1 generic-param: `;name=value`,
// `;flag`) as found after name-addr, in Via and Contact, plus the token and quoted-string lexing
// the other header parsers share. Not URI parameters: those have their own grammar (uri.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sip/ascii.h"
#include "sip/parse/uri.h"

namespace sb::sip {

// Given text[start] == '"', returns the index just past the closing quote, honouring
// quoted-pairs (RFC 3261 §25.1); npos if the string is unterminated or holds a control
// character other than HTAB outside a quoted-pair.
size_t scan_quoted_string(std::string_view text, size_t start);

// Removes the surrounding quotes of a quoted-string and resolves quoted-pairs ("a\"b" -> a"b).
// Text that is not quoted comes back unchanged.
std::string unquote(std::string_view text);

// Parses `*( SEMI generic-param )`. `text` starts at the first ';' (after optional LWS) or is
// empty/LWS only. Names are tokens; values are tokens, quoted strings (kept with their quotes),
// `[IPv6]` references, or bare IPv6 addresses (RFC 5118 §4.5 received=2001:db8::1). Fails on
// an empty parameter, a missing name or value, or an unterminated quoted string.
sb::Result<std::vector<UriParam>> parse_params(std::string_view text);

// The first parameter named `name` (case-insensitive): its value, "" for a flag; nullopt if absent.
std::optional<std::string_view> find_param(const std::vector<UriParam>& params,
                                           std::string_view name);

}  // namespace sb::sip
