// sip/auth/hash.cc: OpenSSL EVP calls. Message digests are fetched once and reused: an
// implicit fetch per call (EVP_sha256()) costs a provider look-up on every REGISTER.
#include "sip/auth/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

namespace sb::sip::auth {
namespace {

const EVP_MD* fetch(const char* name) {
  // Kept for the life of the process on purpose; EVP_MD objects are safe to share between threads.
  return EVP_MD_fetch(nullptr, name, nullptr);
}

const EVP_MD* message_digest(DigestAlgorithm algorithm) {
  static const EVP_MD* const md5 = fetch("MD5");
  static const EVP_MD* const sha256 = fetch("SHA2-256");
  static const EVP_MD* const sha512_256 = fetch("SHA2-512/256");
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return md5;
    case DigestAlgorithm::Sha256:
      return sha256;
    case DigestAlgorithm::Sha512_256:
      return sha512_256;
  }
  return nullptr;
}

}  // namespace

bool is_available(DigestAlgorithm algorithm) { return message_digest(algorithm) != nullptr; }

std::string hex_digest(DigestAlgorithm algorithm, std::string_view data) {
  const EVP_MD* md = message_digest(algorithm);
  if (md == nullptr) {
    return {};
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out, &length, md, nullptr) != 1) {
    return {};
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), length));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  static const EVP_MD* const sha256 = fetch("SHA2-256");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (sha256 == nullptr || HMAC(sha256, key.data(), static_cast<int>(key.size()),
                                reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                                out, &length) == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(size_t count) {
  std::string out(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    // The CSPRNG failing means no secure secret can be made; a predictable one would let
    // anyone mint nonces. Stopping is the only safe answer (STYLE.md: hard stop only here).
    std::abort();
  }
  return out;
}

}  // namespace sb::sip::auth
