// media/srtp/srtp_keys.cc: SDES key-params text and base64; OpenSSL does the base64 blocks and
// the random bytes, we do the validation it does not (alphabet, padding, lengths).
#include "media/srtp/srtp_keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>

namespace sb::media::srtp {
namespace {

constexpr std::string_view kInline = "inline:";

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

// RFC 4568 §6.1 lifetime: decimal or "2^<n>"; n up to 63 so it fits.
std::optional<uint64_t> parse_lifetime(std::string_view text) {
  uint64_t value = 0;
  const bool power = text.starts_with("2^");
  if (power) {
    text.remove_prefix(2);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  if (power) {
    if (value > 63) {
      return std::nullopt;
    }
    return uint64_t{1} << value;
  }
  return value;
}

}  // namespace

std::string_view suite_name(CryptoSuite suite) {
  switch (suite) {
    case CryptoSuite::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
    case CryptoSuite::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
    case CryptoSuite::AesCm256HmacSha1_80: return "AES_256_CM_HMAC_SHA1_80";
  }
  return "?";
}

Result<CryptoSuite> suite_from_name(std::string_view name) {
  for (CryptoSuite s : kAllSuites) {
    if (name == suite_name(s)) {
      return s;
    }
  }
  return Error{"unsupported crypto suite \"" + std::string(name) + "\"", "suite"};
}

std::size_t master_key_salt_length(CryptoSuite suite) {
  return suite == CryptoSuite::AesCm256HmacSha1_80 ? 46 : 30;
}

std::size_t rtp_tag_length(CryptoSuite suite) {
  return suite == CryptoSuite::AesCm128HmacSha1_32 ? 4 : 10;
}

Result<SrtpKey> parse_key_params(CryptoSuite suite, std::string_view key_params) {
  if (!key_params.starts_with(kInline)) {
    return Error{"key method must be \"inline:\"", "key-params"};
  }
  key_params.remove_prefix(kInline.size());
  const std::size_t bar = key_params.find('|');
  SrtpKey key{suite, {}, std::nullopt};
  auto bytes = base64_decode(key_params.substr(0, bar));
  if (!bytes) {
    return Error{bytes.error().message, "key-params"};
  }
  if (bytes->size() != master_key_salt_length(suite)) {
    return Error{"key||salt is " + std::to_string(bytes->size()) + " bytes, " +
                     std::string(suite_name(suite)) + " needs " +
                     std::to_string(master_key_salt_length(suite)),
                 "key-params"};
  }
  key.key_salt = std::move(*bytes);
  // Optional "|lifetime" then optional "|MKI:length"; the MKI is the one with a colon.
  if (bar == std::string_view::npos) {
    return key;
  }
  std::string_view rest = key_params.substr(bar + 1);
  for (bool first = true;; first = false) {
    const std::size_t next = rest.find('|');
    const std::string_view part = rest.substr(0, next);
    if (part.find(':') != std::string_view::npos) {
      return Error{"MKI \"" + std::string(part) + "\" is not supported", "key-params"};
    }
    auto lifetime = parse_lifetime(part);
    if (!first || !lifetime || *lifetime == 0) {
      return Error{"bad lifetime \"" + std::string(part) + "\"", "key-params"};
    }
    key.lifetime = lifetime;
    if (next == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(next + 1);
  }
  return key;
}

std::string format_key_params(const SrtpKey& key) {
  std::string out = std::string(kInline) + base64_encode(key.key_salt);
  if (key.lifetime) {
    const uint64_t l = *key.lifetime;
    if ((l & (l - 1)) == 0) {
      int n = 0;
      while ((uint64_t{1} << n) != l) {
        ++n;
      }
      out += "|2^" + std::to_string(n);
    } else {
      out += "|" + std::to_string(l);
    }
  }
  return out;
}

Result<SrtpKey> key_from_crypto(const sdp::Crypto& crypto) {
  auto suite = suite_from_name(crypto.suite);
  if (!suite) {
    return suite.error();
  }
  if (crypto.key_params.size() != 1) {
    return Error{std::to_string(crypto.key_params.size()) +
                     " key-params; we take exactly one (several need MKIs)",
                 "key-params"};
  }
  for (const std::string& p : crypto.session_params) {
    // WSH is a hint for the receiver's replay window, KDR=0 is the default: both are safe to
    // accept. Anything else changes the packets, and ignoring it would break the media.
    if (p.starts_with("WSH=") || p == "KDR=0") {
      continue;
    }
    return Error{"unsupported session parameter \"" + p + "\"", "session-params"};
  }
  return parse_key_params(*suite, crypto.key_params.front());
}

sdp::Crypto make_crypto(uint32_t tag, const SrtpKey& key) {
  return sdp::Crypto{tag, std::string(suite_name(key.suite)), {format_key_params(key)}, {}};
}

Result<SrtpKey> generate_key(CryptoSuite suite) {
  SrtpKey key{suite, std::vector<uint8_t>(master_key_salt_length(suite)), std::nullopt};
  if (RAND_bytes(key.key_salt.data(), static_cast<int>(key.key_salt.size())) != 1) {
    return Error{"RAND_bytes failed", "openssl"};
  }
  return key;
}

std::string base64_encode(std::span<const uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // +1: EVP writes a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::vector<uint8_t>> base64_decode(std::string_view text) {
  // EVP_DecodeBlock skips blanks, needs a multiple of 4 and counts '=' as zero bytes, so check
  // the text ourselves, pad it, and take the padding off the result.
  const std::size_t data_len = text.find_last_not_of('=') + 1;  // npos + 1 == 0 for all '='
  const std::size_t pad_given = text.size() - data_len;
  if (text.empty() || data_len == 0) {
    return Error{"empty base64", "base64"};
  }
  if (!std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(data_len),
                   is_base64_char)) {
    return Error{"invalid base64 character", "base64"};
  }
  const std::size_t pad = (4 - data_len % 4) % 4;
  if (pad == 3 || (pad_given != 0 && pad_given != pad)) {
    return Error{"bad base64 length or padding", "base64"};
  }
  std::string padded(text.substr(0, data_len));
  padded.append(pad, '=');
  std::vector<uint8_t> out(padded.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) {
    return Error{"invalid base64", "base64"};
  }
  out.resize(out.size() - pad);
  return out;
}

}  // namespace sb::media::srtp
