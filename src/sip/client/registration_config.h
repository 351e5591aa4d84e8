// sip/client/registration_config.h: one outbound registration, as a SIP trunk needs it: where
// to register, as whom, with which password, for how long, and how patiently to retry.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "sip/transport/peer.h"

namespace sb::sip::client {

struct RegistrationConfig {
  std::string registrar_uri;  // the Request-URI: "sip:carrier.example" (RFC 3261 §10.2)
  Peer destination;           // numeric, resolved by the caller (RFC 3263 is not done here)
  std::string aor_user;       // To and From: sip:<aor_user>@<aor_domain>
  std::string aor_domain;
  std::string auth_user;  // digest user name; empty: aor_user
  std::string password;
  std::string realm;                   // answer challenges of this realm only; empty: any realm
  std::chrono::seconds expires{3600};  // asked for; a 423 raises it to the Min-Expires
  std::string contact_uri;             // "sip:acme@203.0.113.5:5060"
  // After a failure the next attempt waits retry_initial, doubling up to retry_max; a success
  // starts over. A Retry-After longer than the wait is honoured, up to retry_max.
  Duration retry_initial = std::chrono::seconds(30);
  Duration retry_max = std::chrono::minutes(10);
};

// Why the config cannot work (the field is in Error::where); nullopt when it can.
std::optional<Error> validate(const RegistrationConfig& config);

}  // namespace sb::sip::client
