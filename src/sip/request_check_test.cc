// sip/request_check_test.cc: which requests the UAS core turns away, and with what.
#include "sip/request_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/message_parser.h"

namespace sb::sip {
namespace {

using ::testing::Optional;
using ::testing::Pair;

Message request(std::string_view method, std::string_view uri, std::string_view extra = "") {
  std::string text = std::string(method) + " " + std::string(uri) + " SIP/2.0\r\n" +
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\n"
                     "From: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 " + std::string(method) +
                     "\r\n" + std::string(extra) + "Content-Length: 0\r\n\r\n";
  return std::get<Message>(MessageParser().parse(text));
}

int status_of(const std::optional<Rejection>& r) { return r ? r->status : 0; }

TEST(RequestCheck, AcceptsWhatTheUasServes) {
  UasCapabilities caps;
  EXPECT_EQ(check_request(request("INVITE", "sip:bob@example.com"), caps), std::nullopt);
  EXPECT_EQ(check_request(request("OPTIONS", "sips:example.com"), caps), std::nullopt);
  EXPECT_EQ(check_request(request("INVITE", "tel:+1-201-555-0123"), caps), std::nullopt);
  EXPECT_EQ(check_request(request("INVITE", "sip:a@b", "Require: Timer, path\r\n"), caps),
            std::nullopt);
}

TEST(RequestCheck, UnknownMethodIs501AndAKnownButUnservedOneIs405WithAllow) {
  UasCapabilities caps;
  EXPECT_EQ(status_of(check_request(request("FOO", "sip:a@b"), caps)), 501);
  const auto r = check_request(request("PUBLISH", "sip:a@b"), caps);
  ASSERT_EQ(status_of(r), 405);
  ASSERT_EQ(r->headers.size(), 1u);
  EXPECT_EQ(r->headers[0].first, HeaderName::Allow);
  EXPECT_THAT(r->headers[0].second, ::testing::HasSubstr("INVITE, ACK"));
}

TEST(RequestCheck, ForeignUriSchemeIs416AndAnUnparsableUriIs400) {
  UasCapabilities caps;
  EXPECT_EQ(status_of(check_request(request("INVITE", "http://example.com/x"), caps)), 416);
  EXPECT_EQ(status_of(check_request(request("INVITE", "sip:"), caps)), 400);
}

TEST(RequestCheck, UnsupportedRequireIs420ListingTheTagsButNotForCancel) {
  UasCapabilities caps;
  const auto r = check_request(request("INVITE", "sip:a@b", "Require: 100rel, path, foo\r\n"), caps);
  ASSERT_EQ(status_of(r), 420);
  EXPECT_EQ(r->headers[0].first, HeaderName::Unsupported);
  EXPECT_EQ(r->headers[0].second, "100rel, foo");
  EXPECT_EQ(check_request(request("CANCEL", "sip:a@b", "Require: foo\r\n"), caps), std::nullopt);
}

TEST(RequestCheck, AckIsNeverAnswered) {
  UasCapabilities caps;
  EXPECT_EQ(check_request(request("ACK", "http://x", "Require: foo\r\n"), caps), std::nullopt);
}

}  // namespace
}  // namespace sb::sip
