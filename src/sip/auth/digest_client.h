// sip/auth/digest_client.h: the client side of SIP digest authentication (RFC 3261 §22.2,
// RFC 7616 §3.4, RFC 8760 §2.4): answering a 401/407 with Authorization / Proxy-Authorization.
// Pure: no I/O; the cnonce source is injectable so tests are deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sip/auth/challenge.h"
#include "sip/auth/challenge_kind.h"
#include "sip/message.h"

namespace sb::sip::auth {

struct ClientCredentials {
  std::string user;
  std::string password;
};

struct AuthorizationValue {
  HeaderName header = HeaderName::Authorization;  // or ProxyAuthorization, after a 407
  std::string value;
};

// The challenge of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) to answer: the
// strongest algorithm implemented here (SHA-512-256, SHA-256, MD5), among challenges offering
// qop "auth" or no qop at all; auth-int-only and -sess challenges are skipped. Several realms
// in one response: the first realm's best challenge. nullopt when none is usable.
std::optional<DigestChallenge> choose_challenge(const Message& response);

// The credentials value answering `challenge` for a request `method` `uri`: with qop=auth,
// `cnonce` and `nc`, when the challenge offers auth; the RFC 2069 form otherwise.
std::string authorization_value(const DigestChallenge& challenge,
                                const ClientCredentials& credentials, std::string_view method,
                                std::string_view uri, std::string_view cnonce, uint32_t nc);

// Remembers the last challenge and counts nonce uses, so requests after the first reuse the
// nonce with a higher nc instead of taking another 401 each time.
class DigestClient {
 public:
  using CnonceSource = std::function<std::string()>;

  // `cnonce`: empty means 16 random bytes in hex per request.
  explicit DigestClient(ClientCredentials credentials, CnonceSource cnonce = {});

  // Takes the challenge of a 401/407 response; a new nonce restarts nc at 1. Fails when the
  // response is not a 401/407 or holds no usable challenge. The caller decides whether to
  // retry: a challenge without stale=TRUE right after credentials were sent means they were
  // refused.
  sb::Result<DigestChallenge> on_challenge(const Message& response);

  // The header for the next request; nullopt before any challenge was taken.
  std::optional<AuthorizationValue> authorize(std::string_view method, std::string_view uri);

  const std::optional<DigestChallenge>& challenge() const { return challenge_; }

 private:
  ClientCredentials credentials_;
  CnonceSource cnonce_;
  std::optional<DigestChallenge> challenge_;
  ChallengeKind kind_ = ChallengeKind::Www;
  uint32_t nc_ = 0;
};

}  // namespace sb::sip::auth
