// sip/auth/digest_test.cc: the digest computation against the worked examples of the RFCs.
#include "sip/auth/digest.h"

#include <gtest/gtest.h>

#include "sip/auth/hash.h"

namespace sb::sip::auth {
namespace {

TEST(Digest, Rfc2617WorkedExampleMd5QopAuth) {
  // RFC 2617 §3.5.
  const auto a = DigestAlgorithm::Md5;
  const std::string ha1 = digest_ha1(a, "Mufasa", "testrealm@host.com", "Circle Of Life");
  const std::string ha2 = digest_ha2(a, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response(a, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
                            "auth", ha2),
            "6629fae49393a05397450978507c4ef1");
}

constexpr std::string_view kRfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view kRfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

TEST(Digest, Rfc7616ExampleSha256) {
  // RFC 7616 §3.9.1.
  const auto a = DigestAlgorithm::Sha256;
  const std::string ha1 = digest_ha1(a, "Mufasa", "http-auth@example.org", "Circle of Life");
  const std::string ha2 = digest_ha2(a, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response(a, ha1, kRfc7616Nonce, "00000001", kRfc7616Cnonce, "auth", ha2),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(Digest, Rfc7616ExampleMd5) {
  // RFC 7616 §3.9.1, the same exchange with MD5.
  const auto a = DigestAlgorithm::Md5;
  const std::string ha1 = digest_ha1(a, "Mufasa", "http-auth@example.org", "Circle of Life");
  const std::string ha2 = digest_ha2(a, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response(a, ha1, kRfc7616Nonce, "00000001", kRfc7616Cnonce, "auth", ha2),
            "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(Digest, Sha512_256IsTheTruncatedSha512Variant) {
  // FIPS 180-4 test vector for SHA-512/256("abc").
  ASSERT_TRUE(is_available(DigestAlgorithm::Sha512_256));
  EXPECT_EQ(hex_digest(DigestAlgorithm::Sha512_256, "abc"),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
}

TEST(Digest, Rfc2069FormWithoutQop) {
  const auto a = DigestAlgorithm::Md5;
  const std::string ha1 = digest_ha1(a, "Mufasa", "testrealm@host.com", "Circle Of Life");
  const std::string ha2 = digest_ha2(a, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response_without_qop(a, ha1, "n", ha2), hex_digest(a, ha1 + ":n:" + ha2));
}

TEST(NonceCount, FormatsEightHexDigitsAndParsesBack) {
  EXPECT_EQ(format_nonce_count(1), "00000001");
  EXPECT_EQ(format_nonce_count(0xabcdef12), "abcdef12");
  EXPECT_EQ(parse_nonce_count("0000000A"), 10u);
  EXPECT_EQ(parse_nonce_count("00000001"), 1u);
  EXPECT_EQ(parse_nonce_count("1"), std::nullopt);
  EXPECT_EQ(parse_nonce_count("0000000g"), std::nullopt);
  EXPECT_EQ(parse_nonce_count("000000001"), std::nullopt);
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_TRUE(constant_time_equals("", ""));
}

}  // namespace
}  // namespace sb::sip::auth
