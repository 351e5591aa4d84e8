// sip/client/registration_state.h: what a RegistrationClient reports when its state changes,
// for the log and the admin pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace sb::sip::client {

enum class RegistrationStatus : uint8_t {
  Idle,           // not started
  Registering,    // a first REGISTER, or the retry after a failure, is out
  Registered,     // the registrar accepted; refreshed before expires_at
  Failed,         // the last attempt failed; retry_at says when the next goes out
  Unregistering,  // unregister(): the REGISTER with expires 0 is out (or waits for the last)
  Unregistered,   // unregister() done: the binding is removed (or none was known)
};

std::string_view registration_status_name(RegistrationStatus status);  // "registered", ...

struct RegistrationState {
  RegistrationStatus status = RegistrationStatus::Idle;
  // Registered: when the binding lapses unless refreshed. Failed: the binding of an earlier
  // success that has not lapsed yet, if any.
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> refresh_at;  // Registered: when the refresh goes out
  int code = 0;        // Failed: the SIP status (408 no answer, 503 transport; 0: not sent)
  std::string reason;  // Failed: the reason phrase, or what went wrong locally
  std::optional<TimePoint> retry_at;  // Failed: the next attempt; nullopt: none (stopped)
};

// One line for the log: "registered until +3600s", "failed 401 Unauthorized, retry in 30s".
std::string describe(const RegistrationState& state, TimePoint now);

}  // namespace sb::sip::client
