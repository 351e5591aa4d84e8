// sip/parse/via.h: one Via element (RFC 3261 §20.42, §25.1 via-parm) with the RFC 3581 rport
// parameter. One element only: the message splits `Via: a, b` into values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sip/parse/uri.h"

namespace sb::sip {

// Views into the value given to parse_via().
struct Via {
  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", "SCTP", "WS", ... as written
  std::string_view host;              // IPv6 without the brackets
  bool host_is_ipv6 = false;
  std::optional<uint16_t> port;
  std::string_view branch;                   // empty if absent (RFC 2543 peers)
  std::optional<std::string_view> received;  // IPv6 without brackets
  bool rport = false;                        // RFC 3581 §3: present, with or without a value
  std::optional<uint16_t> rport_value;
  std::vector<UriParam> params;  // all of them, the ones above included, raw

  // RFC 3261 §8.1.1.7: a branch starting with z9hG4bK was made by an RFC 3261 element.
  bool has_magic_cookie() const { return branch.substr(0, 7) == "z9hG4bK"; }
};

// Parses `sent-protocol LWS sent-by *( SEMI via-params )`, LWS allowed around '/' and ':'.
// Fails on a bad sent-protocol, missing or bad host, port 0 or above 65535, and malformed
// branch, received, rport, ttl or maddr values.
sb::Result<Via> parse_via(std::string_view single_value);

}  // namespace sb::sip
