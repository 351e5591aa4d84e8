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

// A request with a body of `type` (no Content-Type line when empty).
Message with_body(std::string_view method, std::string_view type, std::string_view body,
                  std::string_view extra = "") {
  std::string text = std::string(method) + " sip:a@b SIP/2.0\r\n" +
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\n"
                     "From: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 " + std::string(method) +
                     "\r\n" + std::string(extra) +
                     (type.empty() ? "" : "Content-Type: " + std::string(type) + "\r\n") +
                     "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                     std::string(body);
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

TEST(RequestCheck, ABodyOfAnUnknownTypeIs415WithTheTypesThisMethodTakes) {
  UasCapabilities caps;
  const auto r = check_request(with_body("INVITE", "application/isup", "xyz"), caps);
  ASSERT_EQ(status_of(r), 415);
  EXPECT_THAT(r->headers, ::testing::ElementsAre(Pair(HeaderName::Accept, "application/sdp")));
  const auto info = check_request(with_body("INFO", "application/json", "{}"), caps);
  ASSERT_EQ(status_of(info), 415);
  EXPECT_THAT(info->headers,
              ::testing::ElementsAre(Pair(HeaderName::Accept, "application/dtmf-relay, application/dtmf")));
  EXPECT_EQ(status_of(check_request(with_body("REGISTER", "text/plain", "hi"), caps)), 415);
}

TEST(RequestCheck, BodiesOfKnownTypesPassWhateverTheirCaseAndParameters) {
  UasCapabilities caps;
  EXPECT_EQ(check_request(with_body("INVITE", "Application/SDP; charset=utf-8", "v=0\r\n"), caps),
            std::nullopt);
  EXPECT_EQ(check_request(with_body("INFO", "application/dtmf-relay", "Signal=1\r\n"), caps),
            std::nullopt);
  EXPECT_EQ(check_request(with_body("NOTIFY", "message/sipfrag;version=2.0", "SIP/2.0 200 OK"), caps),
            std::nullopt);
}

TEST(RequestCheck, AnEncodedBodyIs415WithAcceptEncodingAndAnUntypedOneIs400) {
  UasCapabilities caps;
  const auto r = check_request(with_body("INVITE", "application/sdp", "x", "Content-Encoding: gzip\r\n"), caps);
  ASSERT_EQ(status_of(r), 415);
  EXPECT_THAT(r->headers, ::testing::ElementsAre(Pair(HeaderName::AcceptEncoding, "identity")));
  EXPECT_EQ(check_request(with_body("INVITE", "application/sdp", "x", "e: identity\r\n"), caps),
            std::nullopt);
  EXPECT_EQ(status_of(check_request(with_body("INVITE", "", "v=0"), caps)), 400);
}

TEST(RequestCheck, ByeAndCancelAreNeverRefusedForTheirBody) {
  UasCapabilities caps;
  EXPECT_EQ(check_request(with_body("BYE", "application/isup", "REL"), caps), std::nullopt);
  EXPECT_EQ(check_request(with_body("CANCEL", "application/isup", "REL"), caps), std::nullopt);
}

TEST(RequestCheck, AnAcceptThatExcludesSdpIs406ForAnInviteOnly) {
  UasCapabilities caps;
  const auto r = check_request(request("INVITE", "sip:a@b", "Accept: text/plain\r\n"), caps);
  ASSERT_EQ(status_of(r), 406);
  EXPECT_EQ(status_of(check_request(request("INVITE", "sip:a@b", "Accept: text/html, image/png\r\n"), caps)), 406);
  for (std::string_view ok : {"Accept: application/sdp\r\n", "Accept: application/*\r\n",
                              "Accept: */*\r\n", "Accept: text/plain\r\nAccept: APPLICATION/Sdp;level=1\r\n"}) {
    EXPECT_EQ(check_request(request("INVITE", "sip:a@b", ok), caps), std::nullopt) << ok;
  }
  // No Accept means SDP (§20.1); OPTIONS and BYE answers carry no body.
  EXPECT_EQ(check_request(request("INVITE", "sip:a@b"), caps), std::nullopt);
  EXPECT_EQ(check_request(request("OPTIONS", "sip:a@b", "Accept: text/plain\r\n"), caps), std::nullopt);
  EXPECT_EQ(check_request(request("BYE", "sip:a@b", "Accept: text/plain\r\n"), caps), std::nullopt);
  // An UPDATE without an offer is answered without a body; with one, with SDP.
  EXPECT_EQ(check_request(request("UPDATE", "sip:a@b", "Accept: text/plain\r\n"), caps), std::nullopt);
  EXPECT_EQ(status_of(check_request(with_body("UPDATE", "application/sdp", "v=0", "Accept: text/plain\r\n"), caps)), 406);
}

TEST(RequestCheck, AckIsNeverAnswered) {
  UasCapabilities caps;
  EXPECT_EQ(check_request(request("ACK", "http://x", "Require: foo\r\n"), caps), std::nullopt);
}

}  // namespace
}  // namespace sb::sip
