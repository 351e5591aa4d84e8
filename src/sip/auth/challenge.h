// sip/auth/challenge.h: a Digest challenge, the value of WWW-Authenticate or
// Proxy-Authenticate (RFC 3261 §22.1, RFC 7616 §3.3), read by clients and written by servers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sip/auth/digest_algorithm.h"

namespace sb::sip::auth {

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  // RFC 2617 §3.2.1: no algorithm parameter means MD5. nullopt when the server named an
  // algorithm this code does not implement (algorithm_text says which).
  std::optional<DigestAlgorithm> algorithm = DigestAlgorithm::Md5;
  std::string algorithm_text;
  bool qop_auth = false;  // "auth" is among the qop options
  bool has_qop = false;   // any qop parameter (when set without "auth": only auth-int offered)
  bool stale = false;     // stale=TRUE: the credentials were right, the nonce was old
};

// Reads one challenge. Fails when the scheme is not Digest or realm or nonce is missing.
sb::Result<DigestChallenge> parse_challenge(std::string_view value);

// `Digest realm="..", nonce="..", opaque="..", algorithm=SHA-256, qop="auth"[, stale=TRUE]`.
// qop is written when qop_auth is set; algorithm when known.
std::string format_challenge(const DigestChallenge& challenge);

}  // namespace sb::sip::auth
