// media/srtp/srtp_keys.h: the SRTP crypto suites we offer and accept, and SDES key handling
// (RFC 4568 §6.1): parse and format the "inline:" key-params of an a=crypto attribute, make a
// fresh random master key. Not here: picking an a=crypto line in offer/answer, encryption.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "media/sdp/attributes.h"

namespace sb::media::srtp {

// RFC 4568 §6.2 and RFC 6188 §7.1. No F8, no AES-GCM (RFC 7714): SDES peers rarely offer them.
enum class CryptoSuite { AesCm128HmacSha1_80, AesCm128HmacSha1_32, AesCm256HmacSha1_80 };

// Every suite, strongest-for-interop first: the order we offer them in.
inline constexpr CryptoSuite kAllSuites[] = {CryptoSuite::AesCm128HmacSha1_80,
                                             CryptoSuite::AesCm128HmacSha1_32,
                                             CryptoSuite::AesCm256HmacSha1_80};

std::string_view suite_name(CryptoSuite suite);  // "AES_CM_128_HMAC_SHA1_80", as in SDP
Result<CryptoSuite> suite_from_name(std::string_view name);
// Master key plus master salt in bytes: 30 for the AES-128 suites, 46 for AES-256.
std::size_t master_key_salt_length(CryptoSuite suite);
// The SRTP authentication tag: 10 bytes for *_80, 4 for *_32. SRTCP always uses 10 (RFC 4568
// §6.2.2: the _32 suites shorten the RTP tag only).
std::size_t rtp_tag_length(CryptoSuite suite);

// One direction's keying material: the suite and master key||salt. Copyable data; callers
// should not log it.
struct SrtpKey {
  CryptoSuite suite = CryptoSuite::AesCm128HmacSha1_80;
  std::vector<uint8_t> key_salt;
  std::optional<uint64_t> lifetime;  // packets, when the key-params gave one (not enforced)
  bool operator==(const SrtpKey&) const = default;
};

// Parses one key-params string "inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>]".
// Fails on another key method, bad base64, a key of the wrong length for `suite`, a malformed
// lifetime, or an MKI (we key each direction with a single master key, so we never need one).
Result<SrtpKey> parse_key_params(CryptoSuite suite, std::string_view key_params);
// "inline:<base64>", plus "|2^n" when the key has a lifetime that is a power of two, else
// "|<decimal>".
std::string format_key_params(const SrtpKey& key);

// The key of an a=crypto attribute: its suite, its single key-params. Fails on an unknown
// suite, several key-params (that needs MKIs) or a session parameter that would change the
// packet format (UNENCRYPTED_SRTP/SRTCP, UNAUTHENTICATED_SRTP, KDR other than 0, FEC_*).
Result<SrtpKey> key_from_crypto(const sdp::Crypto& crypto);
// The a=crypto attribute data offering `key` under `tag`.
sdp::Crypto make_crypto(uint32_t tag, const SrtpKey& key);

// A fresh master key||salt from OpenSSL's CSPRNG. Fails only when RAND_bytes does.
Result<SrtpKey> generate_key(CryptoSuite suite);

// Standard base64 (RFC 4648 §4) with padding. decode also takes unpadded input (some SDES
// implementations drop the '=' of 46-byte keys) and rejects anything else not in the alphabet.
std::string base64_encode(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace sb::media::srtp
