// sip/parse/params.cc: generic-param lists and the token / quoted-string lexing behind them.
#include "sip/parse/params.h"

namespace sb::sip {
namespace {

size_t skip_lws(std::string_view text, size_t i) {
  while (i < text.size() && is_lws_char(text[i])) {
    ++i;
  }
  return i;
}

Error fail(std::string message) { return Error{std::move(message), "parameters"}; }

}  // namespace

size_t scan_quoted_string(std::string_view text, size_t start) {
  if (start >= text.size() || text[start] != '"') {
    return std::string_view::npos;
  }
  for (size_t i = start + 1; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      // RFC 3261 §25.1 quoted-pair: "\" then any of %x00-09 / %x0B-0C / %x0E-7F, so even an
      // escaped NUL is legal (RFC 4475 §3.1.1.2), but not CR or LF.
      if (i + 1 >= text.size() || text[i + 1] == '\r' || text[i + 1] == '\n') {
        return std::string_view::npos;
      }
      ++i;
    } else if (c == '"') {
      return i + 1;
    } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
      // qdtext is LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII: no bare control characters.
      // Folding was undone by the message parser, so CR and LF cannot be legal here either.
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

std::string unquote(std::string_view text) {
  if (text.empty() || text.front() != '"' || scan_quoted_string(text, 0) != text.size()) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // scan_quoted_string guaranteed a character follows, before the closing quote
    }
    out += text[i];
  }
  return out;
}

sb::Result<std::vector<UriParam>> parse_params(std::string_view text) {
  std::vector<UriParam> params;
  size_t i = skip_lws(text, 0);
  while (i < text.size()) {
    if (text[i] != ';') {
      return fail("invalid character in parameters");
    }
    // RFC 3261 §25.1: SEMI and EQUAL allow LWS on both sides (RFC 4475 §3.1.1.1 uses it).
    i = skip_lws(text, i + 1);
    const size_t name_start = i;
    while (i < text.size() && is_token_char(text[i])) {
      ++i;
    }
    if (i == name_start) {
      return fail(i < text.size() && text[i] != ';' ? "bad parameter name" : "empty parameter");
    }
    UriParam param;
    param.name = text.substr(name_start, i - name_start);
    i = skip_lws(text, i);
    if (i < text.size() && text[i] == '=') {
      i = skip_lws(text, i + 1);
      if (i >= text.size()) {
        return fail("missing parameter value");
      }
      const size_t value_start = i;
      if (text[i] == '"') {
        i = scan_quoted_string(text, i);
        if (i == std::string_view::npos) {
          return fail("unterminated quoted string");
        }
      } else if (text[i] == '[') {
        // gen-value may be a host, so an IPv6reference (RFC 3261 §25.1).
        const size_t close = text.find(']', i);
        if (close == std::string_view::npos) {
          return fail("unterminated '['");
        }
        if (!is_ipv6_address(text.substr(i + 1, close - i - 1))) {
          return fail("bad IPv6 reference");
        }
        i = close + 1;
      } else {
        // A token, or a bare IPv6 address: RFC 5118 §4.5 asks us to accept received=2001:db8::1
        // without brackets, so ':' is let through here.
        while (i < text.size() && (is_token_char(text[i]) || text[i] == ':')) {
          ++i;
        }
        if (i == value_start) {
          return fail("bad parameter value");
        }
      }
      param.value = text.substr(value_start, i - value_start);
      param.has_value = true;
    }
    params.push_back(param);
    i = skip_lws(text, i);
  }
  return params;
}

std::optional<std::string_view> find_param(const std::vector<UriParam>& params,
                                           std::string_view name) {
  for (const UriParam& p : params) {
    if (iequals(p.name, name)) {
      return p.value;
    }
  }
  return std::nullopt;
}

}  // namespace sb::sip
