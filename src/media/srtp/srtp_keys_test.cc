// media/srtp/srtp_keys_test.cc: SDES key-params and base64, against RFC 4568/4648 examples.
#include "media/srtp/srtp_keys.h"

#include <gtest/gtest.h>

namespace sb::media::srtp {
namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

// RFC 4568 §6.1 example key (30 bytes).
constexpr std::string_view kRfcKey = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, coded] : cases) {
    EXPECT_EQ(base64_encode(bytes(plain)), coded);
    if (!plain.empty()) {
      auto d = base64_decode(coded);
      ASSERT_TRUE(d) << coded << ": " << d.error().to_string();
      EXPECT_EQ(*d, bytes(plain)) << coded;
    }
  }
}

TEST(Base64, AcceptsMissingPaddingRejectsGarbage) {
  EXPECT_EQ(*base64_decode("Zm9vYg"), bytes("foob"));
  EXPECT_EQ(*base64_decode("Zm9vYmE"), bytes("fooba"));
  EXPECT_FALSE(base64_decode(""));
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_FALSE(base64_decode("Zm9v YmFy"));
  EXPECT_FALSE(base64_decode("Zm9v*mFy"));
  EXPECT_FALSE(base64_decode("Zm9vY"));      // 5 chars: no whole byte in the last group
  EXPECT_FALSE(base64_decode("Zm9vYg="));    // wrong amount of padding
  EXPECT_FALSE(base64_decode("Zm=9vYg=="));  // padding in the middle
}

TEST(SrtpKeys, SuiteNames) {
  for (CryptoSuite s : kAllSuites) {
    EXPECT_EQ(*suite_from_name(suite_name(s)), s);
  }
  EXPECT_EQ(master_key_salt_length(CryptoSuite::AesCm128HmacSha1_32), 30u);
  EXPECT_EQ(master_key_salt_length(CryptoSuite::AesCm256HmacSha1_80), 46u);
  auto bad = suite_from_name("F8_128_HMAC_SHA1_80");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("F8_128_HMAC_SHA1_80"), std::string::npos);
}

TEST(SrtpKeys, ParsesRfc4568Example) {
  auto key = parse_key_params(CryptoSuite::AesCm128HmacSha1_80,
                              "inline:" + std::string(kRfcKey) + "|2^20");
  ASSERT_TRUE(key) << key.error().to_string();
  EXPECT_EQ(key->key_salt.size(), 30u);
  EXPECT_EQ(key->key_salt[0], 0x3d);  // 'P','S' -> 0x3d 0x2d
  EXPECT_EQ(key->lifetime, uint64_t{1} << 20);
  EXPECT_EQ(format_key_params(*key), "inline:" + std::string(kRfcKey) + "|2^20");

  auto decimal = parse_key_params(CryptoSuite::AesCm128HmacSha1_32,
                                  "inline:" + std::string(kRfcKey) + "|1000");
  ASSERT_TRUE(decimal);
  EXPECT_EQ(decimal->lifetime, 1000u);
  EXPECT_EQ(format_key_params(*decimal), "inline:" + std::string(kRfcKey) + "|1000");
}

TEST(SrtpKeys, RejectsBadKeyParamsWithReasons) {
  const std::string k(kRfcKey);
  const std::pair<std::string, std::string_view> cases[] = {
      {"uri:" + k, "inline"},
      {"inline:" + k + "|2^20|1:4", "MKI"},
      {"inline:" + k + "|1:4", "MKI"},
      {"inline:" + k + "|2^x", "lifetime"},
      {"inline:" + k + "|", "lifetime"},
      {"inline:" + k + "|0", "lifetime"},
      {"inline:" + k + "|10|20", "lifetime"},
      {"inline:" + k.substr(0, 36), "bytes"},  // 27 bytes
      {"inline:" + k.substr(0, 39), "29 bytes"},  // unpadded base64 is fine, the length is not
      {"inline:" + k.substr(0, 37), "base64"},
      {"inline:" + k.substr(0, 20) + "!" + k.substr(21), "base64"},
  };
  for (const auto& [text, reason] : cases) {
    auto r = parse_key_params(CryptoSuite::AesCm128HmacSha1_80, text);
    ASSERT_FALSE(r) << text;
    EXPECT_NE(r.error().message.find(reason), std::string::npos)
        << text << " -> " << r.error().message;
  }
  // A 30-byte key is too short for AES-256.
  auto short256 = parse_key_params(CryptoSuite::AesCm256HmacSha1_80, "inline:" + k);
  ASSERT_FALSE(short256);
  EXPECT_NE(short256.error().message.find("needs 46"), std::string::npos);
}

TEST(SrtpKeys, GenerateFormatParseRoundTrip) {
  for (CryptoSuite s : kAllSuites) {
    auto a = generate_key(s);
    auto b = generate_key(s);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->key_salt.size(), master_key_salt_length(s));
    EXPECT_NE(a->key_salt, b->key_salt);
    const std::string text = format_key_params(*a);
    auto back = parse_key_params(s, text);
    ASSERT_TRUE(back) << text << ": " << back.error().to_string();
    EXPECT_EQ(*back, *a);
    a->lifetime = uint64_t{1} << 31;
    EXPECT_EQ(*parse_key_params(s, format_key_params(*a)), *a);
  }
}

TEST(SrtpKeys, CryptoAttributeRoundTrip) {
  for (CryptoSuite s : kAllSuites) {
    auto key = generate_key(s);
    ASSERT_TRUE(key);
    const std::string line = sdp::format_crypto(make_crypto(1, *key));
    auto crypto = sdp::parse_crypto(line);
    ASSERT_TRUE(crypto) << line;
    EXPECT_EQ(crypto->tag, 1u);
    auto back = key_from_crypto(*crypto);
    ASSERT_TRUE(back) << line << ": " << back.error().to_string();
    EXPECT_EQ(*back, *key);
  }
}

TEST(SrtpKeys, CryptoAttributeRejections) {
  sdp::Crypto c{1, "AES_CM_128_HMAC_SHA1_80", {"inline:" + std::string(kRfcKey)}, {}};
  ASSERT_TRUE(key_from_crypto(c));
  c.session_params = {"KDR=0", "WSH=256"};
  EXPECT_TRUE(key_from_crypto(c));
  c.session_params = {"UNENCRYPTED_SRTCP"};
  auto r = key_from_crypto(c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UNENCRYPTED_SRTCP"), std::string::npos);
  c.session_params = {};
  c.key_params.push_back(c.key_params.front());
  EXPECT_FALSE(key_from_crypto(c));
  c.key_params.pop_back();
  c.suite = "AES_CM_128_NULL_AUTH";
  EXPECT_FALSE(key_from_crypto(c));
}

}  // namespace
}  // namespace sb::media::srtp
