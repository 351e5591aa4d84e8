// sip/auth/digest.cc: HA1, HA2 and the response digest.
#include "sip/auth/digest.h"

#include <initializer_list>

#include "sip/auth/hash.h"

namespace sb::sip::auth {
namespace {

// The parts separated by ':', the one separator of every digest input.
std::string joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  size_t size = parts.size();
  for (std::string_view p : parts) {
    size += p.size();
  }
  out.reserve(size);
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) {
      out += ':';
    }
    first = false;
    out.append(p);
  }
  return out;
}

}  // namespace

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  return hex_digest(algorithm, joined({username, realm, password}));
}

std::string digest_ha2(DigestAlgorithm algorithm, std::string_view method, std::string_view uri) {
  return hex_digest(algorithm, joined({method, uri}));
}

std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1, std::string_view nonce,
                            std::string_view nc, std::string_view cnonce, std::string_view qop,
                            std::string_view ha2) {
  return hex_digest(algorithm, joined({ha1, nonce, nc, cnonce, qop, ha2}));
}

std::string digest_response_without_qop(DigestAlgorithm algorithm, std::string_view ha1,
                                        std::string_view nonce, std::string_view ha2) {
  return hex_digest(algorithm, joined({ha1, nonce, ha2}));
}

std::string format_nonce_count(uint32_t nc) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[nc & 0x0f];
    nc >>= 4;
  }
  return out;
}

std::optional<uint32_t> parse_nonce_count(std::string_view text) {
  if (text.size() != 8) {
    return std::nullopt;
  }
  uint32_t value = 0;
  for (char c : text) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value << 4 | digit;
  }
  return value;
}

}  // namespace sb::sip::auth
