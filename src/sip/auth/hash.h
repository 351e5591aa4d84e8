// sip/auth/hash.h: the cryptographic primitives digest authentication needs, over OpenSSL:
// hex digests, HMAC-SHA-256 for stateless nonces, constant-time comparison, random bytes.
// No protocol knowledge here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sip/auth/digest_algorithm.h"

namespace sb::sip::auth {

// False when the OpenSSL build lacks the algorithm (MD5 under a FIPS-only provider).
bool is_available(DigestAlgorithm algorithm);

// Lowercase hex of H(data) (RFC 7616 §3.4: H and KD produce lowercase hex). Empty only when
// the algorithm is unavailable.
std::string hex_digest(DigestAlgorithm algorithm, std::string_view data);

// Raw 32-byte HMAC-SHA-256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string to_hex(std::string_view bytes);  // lowercase

// Equality that takes the same time wherever the first difference is, so a response digest
// cannot be guessed byte by byte from timing. Only the lengths leak.
bool constant_time_equals(std::string_view a, std::string_view b);

// `count` bytes from OpenSSL's CSPRNG, for secrets and cnonces.
std::string random_bytes(size_t count);

}  // namespace sb::sip::auth
