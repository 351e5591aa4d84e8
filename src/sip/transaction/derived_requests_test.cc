// sip/transaction/derived_requests_test.cc: the ACK for a 3xx-6xx (RFC 3261 §17.1.1.3), CANCEL
// (§9.1) and the layer's own responses.
#include "sip/transaction/derived_requests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/local_responses.h"
#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

RequestSpec routed_invite() {
  RequestSpec s;
  s.extra_headers =
      "Route: <sip:p1.example.com;lr>\r\n"
      "Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n"
      "Require: 100rel\r\n"
      "Contact: <sip:caller@192.0.2.10>\r\n";
  s.sent_by = "a.example.com";
  return s;
}

TEST(NonTwoHundredAck, FollowsRfc3261Section17113) {
  Message invite = parse_message(
      "INVITE sip:bob@b.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK-1, SIP/2.0/UDP "
      "p.example.com;branch=z9hG4bK-p\r\n"
      "Route: <sip:p1.example.com;lr>\r\n"
      "Max-Forwards: 42\r\n"
      "From: <sip:alice@a.example.com>;tag=a1\r\n"
      "To: <sip:bob@b.example.com>\r\n"
      "Call-ID: c1\r\n"
      "CSeq: 7 INVITE\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: 3\r\n\r\nv=0");
  const Message busy = response(invite, 486, "b1");
  const std::optional<Message> ack = make_non_2xx_ack(invite, busy);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->method(), Method::Ack);
  EXPECT_EQ(ack->request_uri(), "sip:bob@b.example.com");
  EXPECT_THAT(ack->values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP a.example.com;branch=z9hG4bK-1"));
  EXPECT_EQ(ack->first(HeaderName::Route), "<sip:p1.example.com;lr>");
  EXPECT_EQ(ack->first(HeaderName::MaxForwards), "42");
  EXPECT_EQ(ack->first(HeaderName::From), "<sip:alice@a.example.com>;tag=a1");
  EXPECT_EQ(ack->first(HeaderName::To), "<sip:bob@b.example.com>;tag=b1");
  EXPECT_EQ(ack->call_id(), "c1");
  EXPECT_EQ(ack->cseq(), 7u);
  EXPECT_EQ(ack->cseq_method(), Method::Ack);
  EXPECT_EQ(ack->body(), "");
  EXPECT_EQ(ack->first(HeaderName::ContentType), std::nullopt);
}

TEST(Cancel, FollowsRfc3261Section91) {
  const Message invite = request(routed_invite());
  const std::optional<Message> cancel = make_cancel(invite);
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->method(), Method::Cancel);
  EXPECT_EQ(cancel->request_uri(), invite.request_uri());
  EXPECT_THAT(cancel->values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP a.example.com;branch=z9hG4bK-test-1"));
  EXPECT_THAT(
      cancel->values(HeaderName::Route),
      ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>", "<sip:p3.example.com;lr>"));
  EXPECT_EQ(cancel->first(HeaderName::To), invite.first(HeaderName::To));
  EXPECT_EQ(cancel->first(HeaderName::From), invite.first(HeaderName::From));
  EXPECT_EQ(cancel->call_id(), invite.call_id());
  EXPECT_EQ(cancel->first(HeaderName::CSeq), "1 CANCEL");
  EXPECT_EQ(cancel->first(HeaderName::Require), std::nullopt);
  EXPECT_EQ(cancel->first(HeaderName::Contact), std::nullopt);
}

TEST(Trying, CopiesTimestampAndAddsNoTag) {
  RequestSpec s;
  s.extra_headers = "Timestamp: 12.5 0.1\r\nContact: <sip:x@y>\r\n";
  const std::optional<Message> trying = make_trying(request(s));
  ASSERT_TRUE(trying.has_value());
  EXPECT_EQ(trying->status(), 100);
  EXPECT_EQ(trying->reason(), "Trying");
  EXPECT_EQ(trying->first(HeaderName::Timestamp), "12.5 0.1");
  EXPECT_EQ(trying->to_tag(), "");
  EXPECT_EQ(trying->first(HeaderName::Contact), std::nullopt);
  EXPECT_EQ(trying->cseq_method(), Method::Invite);
}

}  // namespace
}  // namespace sb::sip::testing
