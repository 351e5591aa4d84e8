// sip/auth/auth_outcome.h: what checking a request's credentials concluded, for the server to
// answer (200 path, 401/407 challenge, stale challenge) and to log and count per source.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb::sip::auth {

enum class AuthStatus : uint8_t {
  Ok,         // credentials right; `user` is who
  Challenge,  // no credentials for us: send a challenge (not a failure)
  Stale,      // right password, but the nonce expired or is unknown: challenge with stale=TRUE
  Failed,     // wrong password, unknown user, replay, wrong realm or uri...: `reason` says which
};

struct AuthOutcome {
  AuthStatus status = AuthStatus::Challenge;
  std::string user;    // Ok: the authenticated user; Stale/Failed: the claimed one, if any
  std::string reason;  // Stale/Failed: for the log, never for the peer

  bool ok() const { return status == AuthStatus::Ok; }
};

std::string_view auth_status_name(AuthStatus status);  // "ok", "challenge", "stale", "failed"

}  // namespace sb::sip::auth
