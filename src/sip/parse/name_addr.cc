// sip/parse/name_addr.cc: name-addr / addr-spec values, RFC 3261 §20.10 and §25.1.
#include "sip/parse/name_addr.h"

#include "sip/parse/params.h"
#include "sip/parse/split.h"

namespace sb::sip {
namespace {

Error fail(std::string message) { return Error{std::move(message), "address"}; }

// Characters of an unquoted display-name: *(token LWS). Bytes above 0x7f are let through too,
// for UAs that send UTF-8 names without quotes.
bool is_display_char(char c) {
  return is_token_char(c) || is_lws_char(c) || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::optional<std::string_view> NameAddr::param(std::string_view name) const {
  return find_param(params, name);
}

sb::Result<NameAddr> parse_name_addr(std::string_view value, bool allow_wildcard) {
  const std::string_view v = trim_lws(value);
  if (v.empty()) {
    return fail("empty address");
  }
  NameAddr out;
  // RFC 3261 §10.2.2: Contact: * stands alone, without parameters.
  if (allow_wildcard && v == "*") {
    out.wildcard = true;
    return out;
  }

  size_t laquot = std::string_view::npos;
  if (v.front() == '"') {
    const size_t end = scan_quoted_string(v, 0);
    if (end == std::string_view::npos) {
      return fail("unterminated quoted string");
    }
    out.display_name = v.substr(0, end);
    size_t i = end;
    while (i < v.size() && is_lws_char(v[i])) {
      ++i;
    }
    if (i >= v.size() || v[i] != '<') {
      return fail("expected '<' after display name");
    }
    laquot = i;
  } else {
    // A run of tokens and LWS that stops at '<' is a display-name ("caller<sip:...>" is legal,
    // RFC 4475 §3.1.1.6); stopping anywhere else means this is an addr-spec.
    size_t i = 0;
    while (i < v.size() && is_display_char(v[i])) {
      ++i;
    }
    if (i < v.size() && v[i] == '<') {
      out.display_name = trim_lws(v.substr(0, i));
      laquot = i;
    }
  }

  std::string_view rest;
  if (laquot != std::string_view::npos) {
    // No URI character is '>', so the first one closes the name-addr.
    const size_t raquot = v.find('>', laquot + 1);
    if (raquot == std::string_view::npos) {
      return fail("unterminated '<'");
    }
    out.uri_text = v.substr(laquot + 1, raquot - laquot - 1);
    rest = v.substr(raquot + 1);
  } else {
    // §20.10: in an addr-spec, everything after the first ';' is a header parameter, and a URI
    // with ',', '?' or ';' of its own must be in angle brackets (RFC 4475 §3.1.2.13).
    const size_t semi = v.find(';');
    out.uri_text = trim_lws(v.substr(0, semi));
    if (out.uri_text.find_first_of("?,") != std::string_view::npos) {
      return fail("URI with '?' or ',' must be in angle brackets");
    }
    rest = semi == std::string_view::npos ? std::string_view{} : v.substr(semi);
  }

  auto uri = parse_uri(out.uri_text);
  if (!uri) {
    return uri.error();
  }
  out.uri = std::move(*uri);
  auto params = parse_params(rest);
  if (!params) {
    return params.error();
  }
  out.params = std::move(*params);
  return out;
}

}  // namespace sb::sip
