// sip/registrar/aor.cc
#include "sip/registrar/aor.h"

#include <string_view>

#include "sip/ascii.h"
#include "sip/transport/peer.h"

namespace sb::sip::registrar {
namespace {

// RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ).
bool is_user_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("-_.!~*'()&=+$,;?/").find(c) != std::string_view::npos;
}

// One spelling per user: "%61lice" and "alice" are the same user (§19.1.4) and the same key.
std::string escape_user(std::string_view user) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : user) {
    if (is_user_char(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kDigits[b >> 4];
      out += kDigits[b & 0x0f];
    }
  }
  return out;
}

}  // namespace

sb::Result<Aor> aor_from_uri(const Uri& uri) {
  if (uri.scheme != UriScheme::Sip && uri.scheme != UriScheme::Sips) {
    return Error{"address-of-record is not a sip or sips URI", "To"};
  }
  if (uri.user.empty()) {
    return Error{"address-of-record without a user part", "To"};
  }
  Aor out;
  out.user = percent_decode(uri.user);
  for (char c : uri.host) {
    out.host += ascii_lower(c);
  }
  if (uri.host_is_ipv6) {
    // RFC 5118 §4.7: 2001:DB8::1 and 2001:db8:0:0:0:0:0:1 are one host, so one key.
    if (auto address = SocketAddress::parse(out.host, 0)) {
      out.host = address->ip();
    }
    out.host = "[" + out.host + "]";
  }
  out.text = "sip:" + escape_user(out.user) + "@" + out.host;
  return out;
}

}  // namespace sb::sip::registrar
