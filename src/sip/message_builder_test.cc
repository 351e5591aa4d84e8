// sip/message_builder_test.cc: building messages, responses to requests, and the serializer's
// round trip.
#include "sip/message_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::sip {
namespace {

using ::testing::ElementsAre;

Message parse_ok(std::string text) {
  ParseResult r = MessageParser().parse(std::move(text));
  EXPECT_TRUE(std::holds_alternative<Message>(r))
      << (std::holds_alternative<ParseError>(r) ? std::get<ParseError>(r).reason : "");
  return std::holds_alternative<Message>(r) ? std::get<Message>(std::move(r)) : Message{};
}

constexpr std::string_view kInvite =
    "INVITE sip:bob@b.example SIP/2.0\r\n"
    "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKa, SIP/2.0/UDP p2.example;branch=z9hG4bKb\r\n"
    "Record-Route: <sip:p1.example;lr>\r\n"
    "To: Bob <sip:bob@b.example>\r\n"
    "From: <sip:alice@a.example>;tag=88\r\n"
    "Call-ID: 42@a.example\r\n"
    "CSeq: 1 INVITE\r\n"
    "Max-Forwards: 69\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(MakeResponse, CopiesTheTransactionHeadersAndAddsTheToTag) {
  const Message invite = parse_ok(std::string(kInvite));
  const Message ringing = std::get<Message>(make_response(invite, 180, "Ringing", "xyz"));
  EXPECT_EQ(ringing.status(), 180);
  EXPECT_THAT(ringing.values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP p1.example;branch=z9hG4bKa",
                          "SIP/2.0/UDP p2.example;branch=z9hG4bKb"));
  EXPECT_EQ(ringing.first(HeaderName::To), "Bob <sip:bob@b.example>;tag=xyz");
  EXPECT_EQ(ringing.call_id(), "42@a.example");
  EXPECT_EQ(ringing.cseq(), 1u);
  EXPECT_EQ(ringing.first(HeaderName::RecordRoute), "<sip:p1.example;lr>");
  EXPECT_EQ(ringing.first(HeaderName::MaxForwards), std::nullopt);
  EXPECT_EQ(ringing.first(HeaderName::ContentLength), "0");
}

TEST(MakeResponse, NeitherTags100TryingNorTagsTwiceNorCopiesRecordRouteOnErrors) {
  const Message invite = parse_ok(std::string(kInvite));
  const Message trying = std::get<Message>(make_response(invite, 100, "Trying", "xyz"));
  EXPECT_EQ(trying.first(HeaderName::To), "Bob <sip:bob@b.example>");
  const Message tagged = std::get<Message>(make_response(trying, 486, "Busy Here", "abc"));
  const Message again = std::get<Message>(make_response(
      parse_ok(std::string(kInvite).replace(std::string(kInvite).find("b.example>"), 10,
                                            "b.example>; TAG = t1")),
      486, "Busy Here", "abc"));
  EXPECT_EQ(again.first(HeaderName::To), "Bob <sip:bob@b.example>; TAG = t1");
  EXPECT_EQ(std::get<Message>(make_response(invite, 486, "Busy Here", "abc"))
                .first(HeaderName::RecordRoute),
            std::nullopt);
  (void)tagged;
}

TEST(Serialize, RoundTripsEveryHeaderInOrderAndTheBody) {
  const std::string text =
      "MESSAGE sip:x@y SIP/2.0\r\n"
      "v: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
      "X-Folded: one\r\n two\r\n"
      "t: <sip:x@y>\r\nf: <sip:me@y>;tag=a\r\ni: c\r\nCSeq: 2 MESSAGE\r\n"
      "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  const Message first = parse_ok(text);
  const std::string wire = serialize(first);
  const Message second = parse_ok(wire);
  ASSERT_EQ(first.headers().size(), second.headers().size());
  for (size_t i = 0; i < first.headers().size(); ++i) {
    EXPECT_EQ(first.name_of(first.headers()[i]), second.name_of(second.headers()[i]));
    EXPECT_EQ(first.value_of(first.headers()[i]), second.value_of(second.headers()[i]));
  }
  EXPECT_EQ(second.body(), "hello");
  EXPECT_EQ(serialize(second), wire);  // a fixed point after one pass
}

TEST(MessageBuilder, BuildsARequestThatParses) {
  ParseResult r = MessageBuilder::request("OPTIONS", "sip:switchboard.example")
                      .add(HeaderName::Via, "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK99;rport")
                      .add(HeaderName::To, "<sip:switchboard.example>")
                      .add(HeaderName::From, "<sip:probe@127.0.0.1>;tag=1")
                      .add(HeaderName::CallId, "probe-1")
                      .add(HeaderName::CSeq, "1 OPTIONS")
                      .add(HeaderName::MaxForwards, "70")
                      .body("text/plain", "hi")
                      .build();
  const Message& m = std::get<Message>(r);
  EXPECT_EQ(m.method(), Method::Options);
  EXPECT_EQ(m.body(), "hi");
  EXPECT_EQ(m.first(HeaderName::ContentType), "text/plain");
}

TEST(MessageBuilder, RefusesToBuildWithoutMandatoryHeaders) {
  ParseResult r = MessageBuilder::request("OPTIONS", "sip:x").build();
  EXPECT_TRUE(std::holds_alternative<ParseError>(r));
}

}  // namespace
}  // namespace sb::sip

