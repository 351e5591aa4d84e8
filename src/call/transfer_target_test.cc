// call/transfer_target_test.cc: Refer-To and Replaces as phones send them.
#include "call/transfer_target.h"

#include <gtest/gtest.h>

namespace sb::call {
namespace {

TEST(TransferTarget, ABlindTransferNamesAUserOnly) {
  auto target = parse_transfer_target("<sip:sales@127.0.0.1:5060>");
  ASSERT_TRUE(target) << target.error().to_string();
  EXPECT_EQ(target->user, "sales");
  EXPECT_FALSE(target->replaces);
  EXPECT_EQ(parse_transfer_target("sip:%2B15559876543@pbx.example.com;method=INVITE")->user, "+15559876543");
}

TEST(TransferTarget, AnAttendedTransferCarriesTheEscapedReplacesOfRfc5589) {
  auto target = parse_transfer_target(
      "<sips:transfer-target@biloxi.example.org?Replaces=090459243588173445%3Bto-tag%3D7553452%3Bfrom-tag%3D31431>");
  ASSERT_TRUE(target) << target.error().to_string();
  EXPECT_EQ(target->user, "transfer-target");
  ASSERT_TRUE(target->replaces);
  EXPECT_EQ(target->replaces->call_id, "090459243588173445");
  EXPECT_EQ(target->replaces->to_tag, "7553452");
  EXPECT_EQ(target->replaces->from_tag, "31431");
  EXPECT_FALSE(target->replaces->early_only);
}

TEST(TransferTarget, AnUnbracketedUriWithHeadersIsReadAsPhonesMeanIt) {
  auto target = parse_transfer_target("sip:bob@127.0.0.1?replaces=a1%40host%3Bfrom-tag%3Dx%3Bto-tag%3Dy%3Bearly-only");
  ASSERT_TRUE(target) << target.error().to_string();
  EXPECT_EQ(target->user, "bob");
  ASSERT_TRUE(target->replaces);
  EXPECT_EQ(target->replaces->call_id, "a1@host");
  EXPECT_EQ(target->replaces->to_tag, "y");
  EXPECT_EQ(target->replaces->from_tag, "x");
  EXPECT_TRUE(target->replaces->early_only);
}

TEST(TransferTarget, ReplacesWithoutBothTagsIsRefusedNamingWhatIsMissing) {
  EXPECT_EQ(parse_replaces("abc;to-tag=1").error().message, "no from-tag");
  EXPECT_EQ(parse_replaces("abc;from-tag=1").error().message, "no to-tag");
  EXPECT_EQ(parse_replaces("abc").error().message, "no to-tag and from-tag");
  EXPECT_EQ(parse_replaces(";to-tag=1;from-tag=2").error().message, "no Call-ID");
  EXPECT_FALSE(parse_transfer_target("<sip:bob@h?Replaces=abc%3Bto-tag%3D1>"));
  EXPECT_FALSE(parse_transfer_target("<sip:@h>"));
  EXPECT_FALSE(parse_transfer_target("<sip:bob@h"));
}

}  // namespace
}  // namespace sb::call
