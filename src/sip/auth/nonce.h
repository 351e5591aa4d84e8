// sip/auth/nonce.h: stateless server nonces (RFC 7616 §3.3 suggests time-stamp + H(time-stamp,
// private-key)). A nonce carries its issue time and a counter, signed with HMAC-SHA-256, so any
// node holding the secret can tell a genuine nonce and its age without storing it.
// Replay of a nonce-count is a separate concern (nonce_count_table.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace sb::sip::auth {

enum class NonceState : uint8_t {
  Valid,
  Expired,  // genuine, older than the lifetime: the client gets stale=TRUE
  Invalid,  // not one of ours: malformed, bad signature, another secret, from the future
};

struct NonceCheck {
  NonceState state = NonceState::Invalid;
  TimePoint issued_at{};  // meaningful unless Invalid
};

class NonceIssuer {
 public:
  // `secret` signs the nonces; `context` (the realm) binds them so a nonce of one realm is
  // worthless in another that happens to share the secret.
  NonceIssuer(std::string secret, std::string context, Duration lifetime);

  // A fresh nonce: 56 lowercase hex digits (issue time in µs, counter, 128-bit signature).
  // The counter keeps two nonces issued in the same microsecond apart, so their nonce-counts
  // are tracked separately.
  std::string issue(TimePoint now);

  NonceCheck check(std::string_view nonce, TimePoint now) const;

  Duration lifetime() const { return lifetime_; }

 private:
  std::string signature(std::string_view stamp) const;

  std::string secret_;
  std::string context_;
  Duration lifetime_;
  uint32_t counter_ = 0;
};

}  // namespace sb::sip::auth
