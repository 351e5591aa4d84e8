// sip/auth/credentials_test.cc: reading and writing Authorization / Proxy-Authorization.
#include "sip/auth/credentials.h"

#include <gtest/gtest.h>

namespace sb::sip::auth {
namespace {

TEST(Credentials, ReadsTheRfc2617Example) {
  auto c = parse_credentials(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
      "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->username, "Mufasa");
  EXPECT_EQ(c->uri, "/dir/index.html");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_EQ(c->cnonce, "0a4f113b");
  EXPECT_EQ(c->algorithm, std::nullopt);
  EXPECT_EQ(c->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
}

TEST(Credentials, RefusesMissingFieldsOtherSchemesAndUserhash) {
  EXPECT_FALSE(parse_credentials("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\""));
  EXPECT_FALSE(parse_credentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
  EXPECT_FALSE(
      parse_credentials("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", "
                        "response=\"x\", userhash=true"));
}

TEST(Credentials, RoundTripsThroughText) {
  DigestCredentials c;
  c.username = "1001";
  c.realm = "switchboard";
  c.nonce = "n";
  c.uri = "sip:example.com";
  c.response = "abc";
  c.algorithm = "SHA-256";
  c.qop = "auth";
  c.nc = "00000002";
  c.cnonce = "c";
  c.opaque = "o";
  const std::string text = format_credentials(c);
  EXPECT_NE(text.find("qop=auth, nc=00000002"), std::string::npos);
  auto back = parse_credentials(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->username, "1001");
  EXPECT_EQ(back->uri, "sip:example.com");
  EXPECT_EQ(back->algorithm, "SHA-256");
  EXPECT_EQ(back->nc, "00000002");
  EXPECT_EQ(back->opaque, "o");
}

}  // namespace
}  // namespace sb::sip::auth
