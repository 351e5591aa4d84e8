// sip/parse/via.cc: Via header elements, RFC 3261 §20.42 and RFC 3581.
#include "sip/parse/via.h"

#include "sip/parse/params.h"
#include "sip/parse/split.h"

namespace sb::sip {
namespace {

Error fail(std::string message) { return Error{std::move(message), "Via"}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t skip_lws(std::string_view text, size_t i) {
  while (i < text.size() && is_lws_char(text[i])) {
    ++i;
  }
  return i;
}

// Reads a token at text[i]; empty if there is none.
std::string_view read_token(std::string_view text, size_t& i) {
  const size_t start = i;
  while (i < text.size() && is_token_char(text[i])) {
    ++i;
  }
  return text.substr(start, i - start);
}

// An IPv4 or IPv6 address, the latter with or without brackets (RFC 5118 §4.5).
std::optional<std::string_view> ip_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    return is_ipv6_address(text) ? std::optional(text) : std::nullopt;
  }
  return (is_ipv4_address(text) || is_ipv6_address(text)) ? std::optional(text) : std::nullopt;
}

// Reads the values of the parameters RFC 3261 §20.42 and RFC 3581 give meaning to.
std::optional<Error> read_known_params(Via& via) {
  bool seen_branch = false;
  bool seen_received = false;
  for (const UriParam& p : via.params) {
    if (iequals(p.name, "branch")) {
      // via-branch = "branch" EQUAL token
      if (!p.has_value || !is_token(p.value)) {
        return fail("bad Via branch");
      }
      if (!seen_branch) {
        via.branch = p.value;
        seen_branch = true;
      }
    } else if (iequals(p.name, "received")) {
      const auto address = p.has_value ? ip_address(p.value) : std::nullopt;
      if (!address) {
        return fail("bad Via received");
      }
      if (!seen_received) {
        via.received = address;
        seen_received = true;
      }
    } else if (iequals(p.name, "rport")) {
      // RFC 3581 §6: response-port = "rport" [EQUAL 1*DIGIT]
      via.rport = true;
      if (p.has_value) {
        const auto port = parse_port(p.value);
        if (!port) {
          return fail("bad Via rport");
        }
        via.rport_value = port;
      }
    } else if (iequals(p.name, "ttl")) {
      // via-ttl = "ttl" EQUAL ttl, ttl = 1*3DIGIT ; 0 to 255
      int value = 0;
      bool ok = p.has_value && !p.value.empty() && p.value.size() <= 3;
      for (char c : ok ? p.value : std::string_view{}) {  // at most 3 characters: no overflow
        ok = ok && is_digit(c);
        value = value * 10 + (c - '0');
      }
      if (!ok || value > 255) {
        return fail("bad Via ttl");
      }
    } else if (iequals(p.name, "maddr")) {
      const bool ok = p.has_value && (ip_address(p.value) || is_hostname(p.value));
      if (!ok) {
        return fail("bad Via maddr");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

sb::Result<Via> parse_via(std::string_view single_value) {
  const std::string_view v = trim_lws(single_value);
  Via via;
  size_t i = 0;

  // sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS
  // (RFC 4475 §3.1.1.1 writes "SIP  /   2.0 /UDP").
  via.protocol_name = read_token(v, i);
  for (std::string_view* part : {&via.protocol_version, &via.transport}) {
    i = skip_lws(v, i);
    if (i >= v.size() || v[i] != '/') {
      return fail("bad Via sent-protocol");
    }
    i = skip_lws(v, i + 1);
    *part = read_token(v, i);
  }
  if (via.protocol_name.empty() || via.protocol_version.empty() || via.transport.empty()) {
    return fail("bad Via sent-protocol");
  }

  // sent-by = host [ COLON port ], after at least one LWS.
  const size_t host_start = skip_lws(v, i);
  if (host_start >= v.size()) {
    return fail("missing Via host");
  }
  if (host_start == i) {
    return fail("bad Via sent-protocol");
  }
  i = host_start;
  if (v[i] == '[') {
    const size_t close = v.find(']', i);
    if (close == std::string_view::npos) {
      return fail("bad Via sent-by");
    }
    via.host = v.substr(i + 1, close - i - 1);
    via.host_is_ipv6 = true;
    if (!is_ipv6_address(via.host)) {
      return fail("bad Via sent-by");
    }
    i = close + 1;
  } else {
    while (i < v.size() && is_token_char(v[i])) {
      ++i;
    }
    via.host = v.substr(host_start, i - host_start);
    if (via.host.empty()) {
      return fail(v[i] == ';' || v[i] == ':' ? "missing Via host" : "bad Via sent-by");
    }
    if (!is_ipv4_address(via.host) && !is_hostname(via.host)) {
      return fail("bad Via sent-by");
    }
  }
  i = skip_lws(v, i);
  if (i < v.size() && v[i] == ':') {
    i = skip_lws(v, i + 1);
    const size_t port_start = i;
    while (i < v.size() && is_digit(v[i])) {
      ++i;
    }
    via.port = parse_port(v.substr(port_start, i - port_start));
    if (!via.port) {
      return fail("bad Via port");
    }
    i = skip_lws(v, i);
  }

  if (i < v.size() && v[i] != ';') {
    return fail("bad Via sent-by");
  }
  auto params = parse_params(v.substr(i));
  if (!params) {
    return fail(params.error().message);
  }
  via.params = std::move(*params);
  if (auto error = read_known_params(via)) {
    return *error;
  }
  return via;
}

}  // namespace sb::sip
