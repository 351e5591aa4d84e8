// sip/parse/auth.cc: authentication header values, RFC 3261 §25.1 challenge / credentials.
#include "sip/parse/auth.h"

#include "sip/parse/params.h"
#include "sip/parse/split.h"

namespace sb::sip {
namespace {

Error fail(std::string message) { return Error{std::move(message), "auth"}; }

size_t skip_lws(std::string_view text, size_t i) {
  while (i < text.size() && is_lws_char(text[i])) {
    ++i;
  }
  return i;
}

size_t skip_token(std::string_view text, size_t i) {
  while (i < text.size() && is_token_char(text[i])) {
    ++i;
  }
  return i;
}

}  // namespace

std::optional<std::string> AuthHeader::get(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

sb::Result<AuthHeader> parse_auth(std::string_view value) {
  const std::string_view v = trim_lws(value);
  AuthHeader out;
  size_t i = skip_token(v, 0);
  out.scheme = v.substr(0, i);
  if (out.scheme.empty()) {
    return fail("missing auth scheme");
  }
  if (i < v.size() && !is_lws_char(v[i])) {
    return fail("bad auth scheme");
  }
  while (true) {
    i = skip_lws(v, i);
    // RFC 3261 §7.3.1 list rule: tolerate empty elements ("a=1,,b=2").
    if (i < v.size() && v[i] == ',') {
      ++i;
      continue;
    }
    if (i >= v.size()) {
      break;
    }
    const size_t name_start = i;
    i = skip_token(v, i);
    if (i == name_start) {
      return fail("bad auth parameter");
    }
    const std::string_view name = v.substr(name_start, i - name_start);
    i = skip_lws(v, i);
    if (i >= v.size() || v[i] != '=') {
      return fail("bad auth parameter");
    }
    i = skip_lws(v, i + 1);
    std::string param_value;
    if (i < v.size() && v[i] == '"') {
      const size_t end = scan_quoted_string(v, i);
      if (end == std::string_view::npos) {
        return fail("unterminated quoted string");
      }
      param_value = unquote(v.substr(i, end - i));
      i = end;
    } else {
      const size_t value_start = i;
      i = skip_token(v, i);
      if (i == value_start) {
        return fail("bad auth parameter value");
      }
      param_value = std::string(v.substr(value_start, i - value_start));
    }
    out.params.emplace_back(name, std::move(param_value));
    i = skip_lws(v, i);
    if (i < v.size() && v[i] != ',') {
      return fail("expected ',' between auth parameters");
    }
  }
  return out;
}

}  // namespace sb::sip
