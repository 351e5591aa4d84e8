// sip/auth/nonce.cc: nonce = hex16(issued µs) hex8(counter) hex32(HMAC(secret, context:stamp)).
#include "sip/auth/nonce.h"

#include <chrono>

#include "sip/auth/hash.h"

namespace sb::sip::auth {
namespace {

constexpr size_t kStampLength = 16 + 8;
constexpr size_t kSignatureLength = 32;  // hex of the first 16 bytes of the HMAC
constexpr size_t kNonceLength = kStampLength + kSignatureLength;
// Nodes sharing a secret may disagree a little on the time; further in the future is forged.
constexpr Duration kClockSkew = std::chrono::seconds(5);

std::string hex_of(uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[value & 0x0f];
    value >>= 4;
  }
  return out;
}

bool parse_hex(std::string_view text, uint64_t& value) {
  value = 0;
  for (char c : text) {
    uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return false;
    }
    value = value << 4 | digit;
  }
  return true;
}

}  // namespace

NonceIssuer::NonceIssuer(std::string secret, std::string context, Duration lifetime)
    : secret_(std::move(secret)), context_(std::move(context)), lifetime_(lifetime) {}

std::string NonceIssuer::issue(TimePoint now) {
  const auto micros = static_cast<uint64_t>(now.time_since_epoch().count());
  std::string nonce = hex_of(micros, 16) + hex_of(counter_++, 8);
  nonce += signature(nonce);
  return nonce;
}

NonceCheck NonceIssuer::check(std::string_view nonce, TimePoint now) const {
  NonceCheck out;
  uint64_t micros = 0;
  uint64_t counter = 0;
  if (nonce.size() != kNonceLength || !parse_hex(nonce.substr(0, 16), micros) ||
      !parse_hex(nonce.substr(16, 8), counter)) {
    return out;
  }
  const std::string_view stamp = nonce.substr(0, kStampLength);
  if (!constant_time_equals(nonce.substr(kStampLength), signature(stamp))) {
    return out;
  }
  const TimePoint issued{Duration(static_cast<Duration::rep>(micros))};
  if (issued > now + kClockSkew) {
    return out;
  }
  out.issued_at = issued;
  out.state = now - issued >= lifetime_ ? NonceState::Expired : NonceState::Valid;
  return out;
}

std::string NonceIssuer::signature(std::string_view stamp) const {
  std::string input = context_;
  input += ':';
  input.append(stamp);
  return to_hex(hmac_sha256(secret_, input)).substr(0, kSignatureLength);
}

}  // namespace sb::sip::auth
