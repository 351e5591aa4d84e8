// sip/parse/uri.cc: the SIP/SIPS URI grammar of RFC 3261 §25.1 and the tel URI grammar of
// RFC 3966 §3, by hand over a string_view; §19.1.4 comparison.
#include "sip/parse/uri.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "sip/parse/params.h"

namespace sb::sip {
namespace {

Error fail(std::string message) { return Error{std::move(message), "URI"}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
  if (is_digit(c)) {
    return c - '0';
  }
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
}
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// True if text[i..i+2] is a well-formed "%" HEX HEX escape.
bool is_escape_at(std::string_view text, size_t i) {
  return i + 2 < text.size() && text[i] == '%' && is_hex(text[i + 1]) && is_hex(text[i + 2]);
}
// The byte an escape at text[i] stands for; is_escape_at(text, i) must hold.
char escaped_char(std::string_view text, size_t i) {
  return static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
}

// True if `c` is one of the characters of `set` (never for NUL, which strchr would find).
bool is_in(const char* set, char c) { return c != '\0' && std::strchr(set, c) != nullptr; }

// RFC 3261 §25.1 unreserved = alphanum / mark.
bool is_unreserved(char c) { return is_alnum(c) || is_in("-_.!~*'()", c); }

// Character sets of the URI components (all also allow unreserved and %HH escapes).
constexpr const char* kUserExtra = "&=+$,;?/";   // user-unreserved
constexpr const char* kPasswordExtra = "&=+$,";  // password
constexpr const char* kParamExtra = "[]/:&+$";   // param-unreserved
constexpr const char* kHeaderExtra = "[]/?:+$";  // hnv-unreserved

// True if `text` is made of unreserved characters, characters from `extra`, and well-formed
// %HH escapes.
bool is_escaped_run(std::string_view text, const char* extra) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (!is_escape_at(text, i)) {
        return false;
      }
      i += 2;
    } else if (!is_unreserved(c) && !is_in(extra, c)) {
      return false;
    }
  }
  return true;
}

// Case-insensitive comparison of a raw (%-escaped) parameter name with a plain one.
bool escaped_iequals(std::string_view raw, std::string_view plain) {
  size_t j = 0;
  for (size_t i = 0; i < raw.size(); ++i, ++j) {
    char c = raw[i];
    if (is_escape_at(raw, i)) {
      c = escaped_char(raw, i);
      i += 2;
    }
    if (j >= plain.size() || lower(c) != lower(plain[j])) {
      return false;
    }
  }
  return j == plain.size();
}

// RFC 3261 §19.1.4: "Characters other than those in the reserved set are equivalent to their
// %HH encoding". So unescape everything except reserved characters, whose escapes are
// normalised to upper-case hex; `fold` lower-cases the result for case-insensitive parts.
std::string canonical(std::string_view text, bool fold) {
  static constexpr const char* kReserved = ";/?:@&=+$,";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_escape_at(text, i)) {
      const char decoded = escaped_char(text, i);
      i += 2;
      if (is_in(kReserved, decoded)) {
        static constexpr const char* kHex = "0123456789ABCDEF";
        const auto u = static_cast<unsigned char>(decoded);
        out += '%';
        out += fold ? lower(kHex[u >> 4]) : kHex[u >> 4];
        out += fold ? lower(kHex[u & 15]) : kHex[u & 15];
        continue;
      }
      c = decoded;
    }
    out += fold ? lower(c) : c;
  }
  return out;
}

// Parses `*( ";" name [ "=" value ] )` of a URI: `text` starts after the first ';'.
sb::Result<std::vector<UriParam>> parse_uri_params(std::string_view text) {
  std::vector<UriParam> params;
  while (true) {
    const size_t semi = text.find(';');
    const std::string_view item = text.substr(0, semi);
    if (item.empty()) {
      return fail("empty URI parameter");
    }
    UriParam p;
    const size_t eq = item.find('=');
    p.name = item.substr(0, eq);
    if (p.name.empty() || !is_escaped_run(p.name, kParamExtra)) {
      return fail("bad URI parameter");
    }
    if (eq != std::string_view::npos) {
      p.value = item.substr(eq + 1);
      p.has_value = true;
      // pvalue = 1*paramchar: "=" with nothing after is not a parameter.
      if (p.value.empty() || !is_escaped_run(p.value, kParamExtra)) {
        return fail("bad URI parameter");
      }
    }
    params.push_back(p);
    if (semi == std::string_view::npos) {
      return params;
    }
    text.remove_prefix(semi + 1);
  }
}

// Parses `header *( "&" header )`, header = hname "=" hvalue: `text` starts after the '?'.
sb::Result<std::vector<UriParam>> parse_uri_headers(std::string_view text) {
  std::vector<UriParam> headers;
  while (true) {
    const size_t amp = text.find('&');
    const std::string_view item = text.substr(0, amp);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return fail("bad URI header");
    }
    UriParam h{item.substr(0, eq), item.substr(eq + 1), true};
    if (!is_escaped_run(h.name, kHeaderExtra) || !is_escaped_run(h.value, kHeaderExtra)) {
      return fail("bad URI header");
    }
    headers.push_back(h);
    if (amp == std::string_view::npos) {
      return headers;
    }
    text.remove_prefix(amp + 1);
  }
}

// Checks the well-known parameters whose syntax RFC 3261 §19.1.1 pins down.
std::optional<Error> check_known_params(const Uri& uri) {
  if (const auto ttl = uri.param("ttl")) {
    // ttl-param = "ttl=" ttl, ttl = 1*3DIGIT ; 0 to 255
    const bool digits =
        !ttl->empty() && ttl->size() <= 3 && std::all_of(ttl->begin(), ttl->end(), is_digit);
    int value = 0;
    for (char c : digits ? *ttl : std::string_view{}) {  // at most 3 digits: no overflow
      value = value * 10 + (c - '0');
    }
    if (!digits || value > 255) {
      return fail("bad ttl parameter");
    }
  }
  if (const auto maddr = uri.param("maddr")) {
    const bool bracketed = maddr->size() >= 2 && maddr->front() == '[' && maddr->back() == ']';
    const bool ok = bracketed ? is_ipv6_address(maddr->substr(1, maddr->size() - 2))
                              : (is_ipv4_address(*maddr) || is_hostname(*maddr));
    if (!ok) {
      return fail("bad maddr parameter");
    }
  }
  return std::nullopt;
}

sb::Result<Uri> parse_sip(Uri uri, std::string_view rest) {
  // Headers start at the first '?' not in the userinfo; params at the first ';' after the host.
  // '@' occurs nowhere in a SIP URI but as the end of userinfo (user, password, host, params and
  // headers all exclude it), so the first '@' ends the userinfo, which may itself hold ';' and
  // '?' (RFC 4475 §3.1.1.2, §3.1.1.9).
  if (const size_t at = rest.find('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const size_t colon = userinfo.find(':');
    uri.user = userinfo.substr(0, colon);
    if (uri.user.empty()) {
      return fail("empty user part");
    }
    if (!is_escaped_run(uri.user, kUserExtra)) {
      return fail("bad user part");
    }
    if (colon != std::string_view::npos) {
      uri.password = userinfo.substr(colon + 1);
      if (!is_escaped_run(uri.password, kPasswordExtra)) {
        return fail("bad password");
      }
    }
    rest.remove_prefix(at + 1);
  }

  const size_t question = rest.find('?');
  std::string_view headers_text;
  if (question != std::string_view::npos) {
    headers_text = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  const size_t semi = rest.find(';');
  std::string_view hostport = rest.substr(0, semi);

  std::string_view port_text;
  bool has_port = false;
  if (!hostport.empty() && hostport.front() == '[') {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      return fail("unbalanced '['");
    }
    uri.host = hostport.substr(1, close - 1);
    uri.host_is_ipv6 = true;
    if (!is_ipv6_address(uri.host)) {
      return fail("bad IPv6 address");
    }
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return fail("bad host");
      }
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = hostport.find(':');
    uri.host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = hostport.substr(colon + 1);
      has_port = true;
    }
    if (const size_t bracket = hostport.find_first_of("[]"); bracket != std::string_view::npos) {
      return fail(hostport[bracket] == '[' ? "unbalanced '['" : "unbalanced ']'");
    }
    if (uri.host.empty()) {
      return fail("empty host");
    }
    if (!is_ipv4_address(uri.host) && !is_hostname(uri.host)) {
      return fail("bad host");
    }
  }
  if (has_port) {
    uri.port = parse_port(port_text);
    if (!uri.port) {
      return fail("bad port");
    }
  }

  if (semi != std::string_view::npos) {
    auto params = parse_uri_params(rest.substr(semi + 1));
    if (!params) {
      return params.error();
    }
    uri.params = std::move(*params);
  }
  if (question != std::string_view::npos) {
    auto headers = parse_uri_headers(headers_text);
    if (!headers) {
      return headers.error();
    }
    uri.headers = std::move(*headers);
  }
  if (auto error = check_known_params(uri)) {
    return *error;
  }
  return uri;
}

bool is_visual_separator(char c) { return c == '-' || c == '.' || c == '(' || c == ')'; }

sb::Result<Uri> parse_tel(Uri uri, std::string_view rest) {
  // RFC 3966 §3: telephone-subscriber = global-number / local-number, then ;par (no headers).
  const size_t semi = rest.find(';');
  uri.user = rest.substr(0, semi);
  if (uri.user.empty()) {
    return fail("empty telephone number");
  }
  const bool global = uri.user.front() == '+';
  bool has_digit = false;
  for (char c : global ? uri.user.substr(1) : uri.user) {
    // global digits are DIGIT; local ones HEXDIG / "*" / "#"; both allow visual separators.
    const bool digit = global ? is_digit(c) : (is_hex(c) || c == '*' || c == '#');
    if (!digit && !is_visual_separator(c)) {
      return fail("bad telephone number");
    }
    has_digit = has_digit || digit;
  }
  if (!has_digit) {
    return fail("bad telephone number");
  }
  // RFC 3966 §5.1.5 wants phone-context on local numbers, but UAs send tel:1234 in the wild;
  // whether a local number is routable is the router's decision, not the parser's.
  if (semi != std::string_view::npos) {
    auto params = parse_uri_params(rest.substr(semi + 1));
    if (!params) {
      return params.error();
    }
    uri.params = std::move(*params);
  }
  return uri;
}

// Values of tel URI parameters compare without visual separators when they are global numbers
// (phone-context=+1-914-555), else case-insensitively (RFC 3966 §4).
std::string tel_canonical(std::string_view text) {
  std::string out = canonical(text, true);
  if (!out.empty() && out.front() == '+') {
    out.erase(std::remove_if(out.begin(), out.end(), is_visual_separator), out.end());
  }
  return out;
}

struct CanonParam {
  std::string name;
  std::string value;
  bool has_value = false;
};

std::vector<CanonParam> canonical_params(const std::vector<UriParam>& params, bool tel) {
  std::vector<CanonParam> out;
  out.reserve(params.size());
  for (const UriParam& p : params) {
    out.push_back({canonical(p.name, true), tel ? tel_canonical(p.value) : canonical(p.value, true),
                   p.has_value});
  }
  return out;
}

const CanonParam* find_canon(const std::vector<CanonParam>& params, std::string_view name) {
  for (const CanonParam& p : params) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

bool same_value(const CanonParam& a, const CanonParam& b) {
  return a.has_value == b.has_value && a.value == b.value;
}

// RFC 3261 §19.1.4 uri-parameter rules: parameters in both must match; user, ttl, method and
// maddr in only one never match; any other parameter in only one is ignored. transport is
// treated like user: the rules leave it out, but the section's own examples call
// sip:bob@biloxi.com and sip:bob@biloxi.com;transport=udp different ("can resolve to different
// transports").
bool sip_params_match(const std::vector<CanonParam>& a, const std::vector<CanonParam>& b) {
  for (const CanonParam& p : a) {
    if (const CanonParam* q = find_canon(b, p.name)) {
      if (!same_value(p, *q)) {
        return false;
      }
    } else if (p.name == "user" || p.name == "ttl" || p.name == "method" || p.name == "maddr" ||
               p.name == "transport") {
      return false;
    }
  }
  return true;
}

// Every entry of `a` has an equal entry in `b` (headers; tel parameters).
bool all_present(const std::vector<CanonParam>& a, const std::vector<CanonParam>& b) {
  return std::all_of(a.begin(), a.end(), [&](const CanonParam& p) {
    return std::any_of(b.begin(), b.end(),
                       [&](const CanonParam& q) { return p.name == q.name && same_value(p, q); });
  });
}

bool same_ipv6(std::string_view a, std::string_view b) {
  std::array<char, 64> text_a{};
  std::array<char, 64> text_b{};
  std::array<unsigned char, 16> bin_a{};
  std::array<unsigned char, 16> bin_b{};
  if (a.size() >= text_a.size() || b.size() >= text_b.size()) {
    return false;
  }
  std::memcpy(text_a.data(), a.data(), a.size());
  std::memcpy(text_b.data(), b.data(), b.size());
  return inet_pton(AF_INET6, text_a.data(), bin_a.data()) == 1 &&
         inet_pton(AF_INET6, text_b.data(), bin_b.data()) == 1 && bin_a == bin_b;
}

bool tel_equivalent(const Uri& a, const Uri& b) {
  const bool global_a = !a.user.empty() && a.user.front() == '+';
  const bool global_b = !b.user.empty() && b.user.front() == '+';
  if (global_a != global_b) {
    return false;
  }
  auto digits = [](std::string_view number) {
    std::string out;
    for (char c : number) {
      if (!is_visual_separator(c)) {
        out += lower(c);
      }
    }
    return out;
  };
  if (digits(a.user) != digits(b.user)) {
    return false;
  }
  const auto pa = canonical_params(a.params, true);
  const auto pb = canonical_params(b.params, true);
  return all_present(pa, pb) && all_present(pb, pa);
}

}  // namespace

std::optional<std::string_view> Uri::param(std::string_view name) const {
  for (const UriParam& p : params) {
    if (escaped_iequals(p.name, name)) {
      return p.value;
    }
  }
  return std::nullopt;
}

bool Uri::has_param(std::string_view name) const { return param(name).has_value(); }

sb::Result<Uri> parse_uri(std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t') {
      return fail("space in URI");
    }
    if (c < 0x20 || c == 0x7f) {
      return fail("control character in URI");
    }
    if (c >= 0x80) {
      return fail("non-ASCII character in URI");
    }
  }
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), names case-insensitive.
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail("missing URI scheme");
  }
  Uri uri;
  uri.scheme_text = text.substr(0, colon);
  if (!is_alpha(uri.scheme_text.front()) ||
      !std::all_of(uri.scheme_text.begin(), uri.scheme_text.end(),
                   [](char c) { return is_alnum(c) || c == '+' || c == '-' || c == '.'; })) {
    return fail("bad URI scheme");
  }
  const std::string_view rest = text.substr(colon + 1);
  if (iequals(uri.scheme_text, "sip")) {
    uri.scheme = UriScheme::Sip;
    return parse_sip(std::move(uri), rest);
  }
  if (iequals(uri.scheme_text, "sips")) {
    uri.scheme = UriScheme::Sips;
    return parse_sip(std::move(uri), rest);
  }
  if (iequals(uri.scheme_text, "tel")) {
    uri.scheme = UriScheme::Tel;
    return parse_tel(std::move(uri), rest);
  }
  // RFC 3261 §8.2.2.1: the UAS answers 416 to a scheme it does not understand, so an unknown
  // scheme is not a parse error; its body is not looked at.
  uri.scheme = UriScheme::Other;
  return uri;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_escape_at(text, i)) {
      out += escaped_char(text, i);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool uri_equivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme || a.scheme == UriScheme::Other) {
    return false;
  }
  if (a.scheme == UriScheme::Tel) {
    return tel_equivalent(a, b);
  }
  // Userinfo is case-sensitive; an absent user never matches a present one.
  if (a.user.empty() != b.user.empty() || canonical(a.user, false) != canonical(b.user, false) ||
      canonical(a.password, false) != canonical(b.password, false)) {
    return false;
  }
  if (a.host_is_ipv6 != b.host_is_ipv6) {
    return false;
  }
  // RFC 5118 §4.7: [2001:db8::10] and [2001:db8:0:0:0:0:0:10] are the same host.
  if (a.host_is_ipv6 ? !same_ipv6(a.host, b.host) : !iequals(a.host, b.host)) {
    return false;
  }
  // An explicit default port is not the same as no port (§19.1.4).
  if (a.port != b.port) {
    return false;
  }
  const auto pa = canonical_params(a.params, false);
  const auto pb = canonical_params(b.params, false);
  if (!sip_params_match(pa, pb) || !sip_params_match(pb, pa)) {
    return false;
  }
  const auto ha = canonical_params(a.headers, false);
  const auto hb = canonical_params(b.headers, false);
  return all_present(ha, hb) && all_present(hb, ha);
}

bool is_ipv4_address(std::string_view text) {
  // IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each 0..255.
  int parts = 0;
  size_t i = 0;
  while (true) {
    int value = 0;
    size_t digits = 0;
    while (i < text.size() && is_digit(text[i]) && digits < 4) {
      value = value * 10 + (text[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || value > 255) {
      return false;
    }
    ++parts;
    if (parts == 4) {
      return i == text.size();
    }
    if (i >= text.size() || text[i] != '.') {
      return false;
    }
    ++i;
  }
}

bool is_ipv6_address(std::string_view text) {
  std::array<char, 64> buffer{};
  std::array<unsigned char, 16> binary{};
  if (text.empty() || text.size() >= buffer.size()) {
    return false;
  }
  std::memcpy(buffer.data(), text.data(), text.size());  // inet_pton wants a NUL terminator
  if (std::strlen(buffer.data()) != text.size()) {
    return false;  // an embedded NUL
  }
  return inet_pton(AF_INET6, buffer.data(), binary.data()) == 1;
}

bool is_hostname(std::string_view text) {
  // hostname = *( domainlabel "." ) toplabel [ "." ]; labels are alphanum with inner '-',
  // and the toplabel starts with ALPHA (which is what tells 1.2.3 from a host name).
  if (!text.empty() && text.back() == '.') {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return false;
  }
  std::string_view label;
  while (true) {
    const size_t dot = text.find('.');
    label = text.substr(0, dot);
    if (label.empty() || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alnum(c) && c != '-') {
        return false;
      }
    }
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  return is_alpha(label.front());
}

std::optional<uint16_t> parse_port(std::string_view digits) {
  if (digits.empty()) {
    return std::nullopt;
  }
  uint32_t value = 0;
  for (char c : digits) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    value = value * 10 + static_cast<uint32_t>(c - '0');
    if (value > 65535) {
      return std::nullopt;
    }
  }
  if (value == 0) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace sb::sip
