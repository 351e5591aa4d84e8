// sip/auth/digest.h: the digest computation of RFC 2617 §3.2.2 / RFC 7616 §3.4, the same
// for a client computing a response and a server checking one. qop "auth" (and the RFC 2069
// form without qop) only: no auth-int, no -sess, no userhash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/auth/digest_algorithm.h"

namespace sb::sip::auth {

// HA1 = H(username ":" realm ":" password), lowercase hex.
std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password);

// HA2 = H(method ":" digest-uri), for qop "auth" and for no qop.
std::string digest_ha2(DigestAlgorithm algorithm, std::string_view method, std::string_view uri);

// response = KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2), KD(s, d) = H(s ":" d).
std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1, std::string_view nonce,
                            std::string_view nc, std::string_view cnonce, std::string_view qop,
                            std::string_view ha2);

// RFC 2069 compatibility, for challenges without qop: response = KD(HA1, nonce ":" HA2).
std::string digest_response_without_qop(DigestAlgorithm algorithm, std::string_view ha1,
                                        std::string_view nonce, std::string_view ha2);

// nonce-count as sent: exactly 8 lowercase hex digits ("00000001").
std::string format_nonce_count(uint32_t nc);
// Accepts exactly 8 hex digits of either case; nullopt otherwise.
std::optional<uint32_t> parse_nonce_count(std::string_view text);

}  // namespace sb::sip::auth
