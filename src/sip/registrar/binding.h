// sip/registrar/binding.h: one contact registered for an address-of-record (RFC 3261 §10),
// with what routing to it later needs: the Path to traverse (RFC 3327) and the address the
// REGISTER came from, since a phone behind NAT is reachable there and not at its Contact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "sip/transport/peer.h"

namespace sb::sip::registrar {

struct Binding {
  std::string contact;              // the Contact URI as the UA sent it, without < >
  std::optional<uint16_t> q_milli;  // q=0.5 → 500; nullopt when the UA gave none
  TimePoint expires_at{};
  TimePoint updated_at{};  // last REGISTER that added or refreshed it
  std::string call_id;
  uint32_t cseq = 0;
  std::vector<std::string> path;  // Path header values, in order, when the UA supports path
  Peer received;                  // transport, source address and connection of the REGISTER
  std::string instance;           // +sip.instance value as received (RFC 5626 §4.1), quotes kept
  std::string reg_id;             // reg-id value as received
  std::string user_agent;

  // Routing order: an absent q ranks as 1.0, the usual reading of RFC 3261 §16.6.
  uint16_t q() const { return q_milli.value_or(1000); }
  bool is_expired(TimePoint now) const { return expires_at <= now; }
};

// Whether two Contact URIs name the same binding: RFC 3261 §10.3 step 7 compares with the
// URI rules of §19.1.4; text that does not parse as a URI compares byte for byte.
bool same_contact(std::string_view a, std::string_view b);

}  // namespace sb::sip::registrar
