// sip/auth/digest_algorithm.h: the digest hash algorithms of RFC 7616 §3.2 / RFC 8760 §2 by
// their wire names. Only the plain variants: the "-sess" forms are recognised as unsupported.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sb::sip::auth {

enum class DigestAlgorithm : uint8_t { Md5, Sha256, Sha512_256 };

// "MD5", "SHA-256", "SHA-512-256": the token for the algorithm= parameter.
std::string_view algorithm_name(DigestAlgorithm algorithm);

// Case-insensitive. nullopt for unknown names and for the -sess variants.
std::optional<DigestAlgorithm> parse_algorithm(std::string_view name);

// Higher is stronger: the order a client prefers when a server offers several (RFC 8760 §2.4).
int algorithm_strength(DigestAlgorithm algorithm);

}  // namespace sb::sip::auth
