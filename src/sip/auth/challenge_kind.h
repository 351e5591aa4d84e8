// sip/auth/challenge_kind.h: who challenges. A UAS or registrar answers 401 with
// WWW-Authenticate and reads Authorization; a proxy answers 407 with Proxy-Authenticate and
// reads Proxy-Authorization (RFC 3261 §22.2, §22.3).
#pragma once

#include <cstdint>

#include "sip/header_name.h"

namespace sb::sip::auth {

enum class ChallengeKind : uint8_t { Www, Proxy };

constexpr int challenge_status(ChallengeKind kind) {
  return kind == ChallengeKind::Www ? 401 : 407;
}

constexpr HeaderName challenge_header(ChallengeKind kind) {
  return kind == ChallengeKind::Www ? HeaderName::WwwAuthenticate : HeaderName::ProxyAuthenticate;
}

constexpr HeaderName credentials_header(ChallengeKind kind) {
  return kind == ChallengeKind::Www ? HeaderName::Authorization : HeaderName::ProxyAuthorization;
}

}  // namespace sb::sip::auth
