// sip/registrar/aor_test.cc: one key per address-of-record.
#include "sip/registrar/aor.h"

#include <gtest/gtest.h>

namespace sb::sip::registrar {
namespace {

std::string aor_text(std::string_view uri_text) {
  auto uri = parse_uri(uri_text);
  EXPECT_TRUE(uri) << uri_text;
  auto aor = aor_from_uri(*uri);
  return aor ? aor->text : "error: " + aor.error().message;
}

TEST(Aor, DropsPortParametersAndSipsAndLowercasesTheHost) {
  EXPECT_EQ(aor_text("sip:alice@pbx.example.com"), "sip:alice@pbx.example.com");
  EXPECT_EQ(aor_text("sips:alice@PBX.Example.COM:5061;transport=tls?subject=x"),
            "sip:alice@pbx.example.com");
}

TEST(Aor, KeepsUserCaseAndUnifiesEscapes) {
  EXPECT_EQ(aor_text("sip:Alice@example.com"), "sip:Alice@example.com");
  EXPECT_EQ(aor_text("sip:%61lice@example.com"), "sip:alice@example.com");
  EXPECT_EQ(aor_text("sip:a%20b@example.com"), "sip:a%20b@example.com");
  EXPECT_EQ(aor_text("sip:+15551234;ext=9@example.com"), "sip:+15551234;ext=9@example.com");
}

TEST(Aor, CanonicalisesIpv6Hosts) {
  EXPECT_EQ(aor_text("sip:1001@[2001:DB8:0:0:0:0:0:1]"), "sip:1001@[2001:db8::1]");
}

TEST(Aor, RefusesOtherSchemesAndMissingUsers) {
  EXPECT_EQ(aor_text("tel:+15551234"), "error: address-of-record is not a sip or sips URI");
  EXPECT_EQ(aor_text("sip:example.com"), "error: address-of-record without a user part");
}

}  // namespace
}  // namespace sb::sip::registrar
