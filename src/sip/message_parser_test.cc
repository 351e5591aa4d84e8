// sip/message_parser_test.cc: the message parser on hand-written messages: what must parse,
// what must be refused with which response, and what the views read.
#include "sip/message_parser.h"
#include "sip/wire_text_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace sb::sip {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::crlf;

Message ok(ParseResult r) {
  if (const auto* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "refused: " << e->status << " " << e->reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

ParseError refused(const ParseResult& r) {
  if (std::holds_alternative<Message>(r)) {
    ADD_FAILURE() << "accepted a message that should be refused";
    return {};
  }
  return std::get<ParseError>(r);
}

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 5\n"
    "\n"
    "v=0\n";

TEST(MessageParser, ReadsARequestLineHeadersAndBody) {
  MessageParser parser;
  const Message m = ok(parser.parse(crlf(kInvite)));
  EXPECT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), Method::Invite);
  EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.example.com");
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.cseq(), 314159u);
  EXPECT_EQ(m.cseq_method(), Method::Invite);
  EXPECT_EQ(m.first(HeaderName::To), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(m.body(), "v=0\r\n");
  EXPECT_EQ(m.headers().size(), 9u);
}

TEST(MessageParser, ReadsAResponseWithAnEmptyReasonPhrase) {
  MessageParser parser;
  const std::string text = crlf(
      "SIP/2.0 180 \n"
      "Via: SIP/2.0/UDP host;branch=z9hG4bK1\n"
      "To: <sip:b@x>;tag=9\nFrom: <sip:a@x>;tag=1\nCall-ID: c1\nCSeq: 1 INVITE\n"
      "Content-Length: 0\n\n");
  const Message m = ok(parser.parse(text));
  EXPECT_FALSE(m.is_request());
  EXPECT_EQ(m.status(), 180);
  EXPECT_EQ(m.reason(), "");
}

TEST(MessageParser, CompactNamesAnyCaseAndFoldingReadTheSame) {
  MessageParser parser;
  const std::string text = crlf(
      "OPTIONS sip:x@y SIP/2.0\n"
      "v: SIP/2.0/UDP a;branch=z9hG4bK1,\n"
      "   SIP/2.0/TCP b;branch=z9hG4bK2\n"
      "VIA  : SIP/2.0/UDP c;branch=z9hG4bK3\n"
      "t: <sip:x@y>\nf: <sip:me@y>;tag=a\ni: call-1\nCSEQ: 7 OPTIONS\nl: 0\n"
      "Subject: a long\n\tsubject line\n"
      "\n");
  const Message m = ok(parser.parse(text));
  EXPECT_THAT(m.values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP a;branch=z9hG4bK1", "SIP/2.0/TCP b;branch=z9hG4bK2",
                          "SIP/2.0/UDP c;branch=z9hG4bK3"));
  EXPECT_EQ(m.call_id(), "call-1");
  EXPECT_EQ(m.first(HeaderName::Subject), "a long  \tsubject line");  // CRLF became two spaces
  EXPECT_EQ(m.name_of(m.headers()[0]), "v");  // carried as received
}

TEST(MessageParser, BareLineFeedsAndLeadingCrlfAreTolerated) {
  MessageParser parser;
  const std::string text =
      "\r\n\r\nOPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\nTo: <sip:x@y>\n"
      "From: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n";
  EXPECT_EQ(ok(parser.parse(text)).method(), Method::Options);
}

TEST(MessageParser, ExtraDatagramBytesBeyondContentLengthAreDiscarded) {
  MessageParser parser;
  std::string text = crlf(kInvite);
  text += "garbage";
  EXPECT_EQ(ok(parser.parse(text)).body(), "v=0\r\n");
}

struct Refusal {
  const char* name;
  std::string text;
  int status;
  const char* reason;
};

class MessageParserRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(MessageParserRefuses, WithTheRightStatusAndAReasonNamingTheProblem) {
  MessageParser parser;
  const ParseError e = refused(parser.parse(crlf(GetParam().text)));
  EXPECT_EQ(e.status, GetParam().status);
  EXPECT_THAT(e.reason, HasSubstr(GetParam().reason));
  EXPECT_TRUE(e.is_request);
}

std::string invite_without(std::string_view header) {
  std::string out;
  std::string_view text = kInvite;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl + 1);
    if (!line.starts_with(header)) {
      out += line;
    }
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string invite_with(std::string_view before, std::string_view extra) {
  std::string text(kInvite);
  const size_t at = text.find(before);
  text.insert(at, extra);
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MessageParserRefuses,
    ::testing::Values(
        Refusal{"NoCallId", invite_without("Call-ID"), 400, "missing Call-ID"},
        Refusal{"NoCSeq", invite_without("CSeq"), 400, "missing CSeq"},
        Refusal{"NoFrom", invite_without("From"), 400, "missing From"},
        Refusal{"NoTo", invite_without("To"), 400, "missing To"},
        Refusal{"NoVia", invite_without("Via"), 400, "missing Via"},
        Refusal{"TwoCallIds", invite_with("CSeq", "i: other\n"), 400, "more than one Call-ID"},
        Refusal{"Version", "INVITE sip:b@x SIP/7.0\nVia: x\n\n", 505, "Version Not Supported"},
        Refusal{"VersionJunk", "INVITE sip:b@x HTTP/1.1\n\n", 400, "bad SIP-Version"},
        Refusal{"TwoSpaces", "INVITE  sip:b@x SIP/2.0\n\n", 400, "malformed Request-Line"},
        Refusal{"NoColon", invite_with("CSeq", "Broken header\n"), 400, "without a colon"},
        Refusal{"BadName", invite_with("CSeq", "Bad Name: x\n"), 400, "bad header name"},
        Refusal{"CSeqMismatch", invite_with("Contact", "").replace(
                                    std::string(kInvite).find("314159 INVITE"), 13, "314159 BYE"),
                400, "CSeq method does not match"},
        Refusal{"CSeqTooBig", std::string(kInvite).replace(
                                  std::string(kInvite).find("314159"), 6, "2147483648"),
                400, "bad CSeq"},
        Refusal{"NegativeLength", std::string(kInvite).replace(
                                      std::string(kInvite).find("Length: 5"), 9, "Length: -4"),
                400, "bad Content-Length"},
        Refusal{"ShortBody", std::string(kInvite).replace(
                                 std::string(kInvite).find("Length: 5"), 9, "Length: 99"),
                400, "body shorter than Content-Length"},
        Refusal{"TwoLengths", invite_with("Content-Type", "l: 6\n"), 400,
                "conflicting Content-Length"},
        Refusal{"FoldFirst", "OPTIONS sip:x SIP/2.0\n folded\n\n", 400, "folded line"},
        Refusal{"NoBlankLine", "OPTIONS sip:x SIP/2.0\nVia: a\n", 400, "no empty line"},
        Refusal{"MaxForwards", std::string(kInvite).replace(
                                   std::string(kInvite).find("Forwards: 70"), 12, "Forwards: 7x"),
                400, "bad Max-Forwards"}),
    [](const ::testing::TestParamInfo<Refusal>& p) { return std::string(p.param.name); });

TEST(MessageParser, MalformedResponsesAreMarkedForDropping) {
  MessageParser parser;
  const ParseError e = refused(parser.parse(crlf("SIP/2.0 99 Weird\n\n")));
  EXPECT_FALSE(e.is_request);
}

TEST(MessageParser, LimitsRefuseOversizedMessagesAndHeaderFloods) {
  MessageParser parser(ParseLimits{.max_message_size = 1000, .max_headers = 20});
  EXPECT_EQ(refused(parser.parse(std::string(1001, 'A'))).status, 413);
  std::string flood = "OPTIONS sip:x SIP/2.0\r\n";
  for (int i = 0; i < 21; ++i) {
    flood += "X-H: " + std::to_string(i) + "\r\n";
  }
  flood += "\r\n";
  EXPECT_THAT(refused(parser.parse(flood)).reason, HasSubstr("too many headers"));
}

TEST(StreamFraming, CutsMessagesByContentLengthAndReportsKeepAlives) {
  const std::string one = crlf(kInvite);
  const std::string stream = "\r\n\r\n" + one + one.substr(0, 50);
  auto frame = std::get<Frame>(frame_length(stream, {}));
  EXPECT_EQ(frame.keepalive_bytes, 4u);
  EXPECT_EQ(frame.length, one.size());
  auto partial = std::get<Frame>(frame_length(one.substr(0, 50), {}));
  EXPECT_EQ(partial.length, 0u);
  auto body_missing = std::get<Frame>(frame_length(one.substr(0, one.size() - 1), {}));
  EXPECT_EQ(body_missing.length, 0u);
}

// Caught by sip_header_fuzz's check that framing and parsing end a message at the same byte: a
// folded line was read as a header of its own, so the frame took 5 bytes the parser discarded.
TEST(StreamFraming, AFoldedLineIsNoContentLengthHeader) {
  const std::string message = crlf(
      "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\n"
      "To: <sip:a@b>\nCall-ID: c\nCSeq: 1 OPTIONS\nContent-Length: 0\nX: a\n"
      " Content-Length: 5\n\n");
  auto frame = std::get<Frame>(frame_length(message + "hello", {}));
  EXPECT_EQ(frame.length, message.size());
  const Message m = ok(MessageParser().parse(message, /*datagram=*/false));
  EXPECT_EQ(m.body(), "");
  EXPECT_EQ(m.first(HeaderName::ContentLength), "0");
}

TEST(StreamFraming, RequiresContentLengthAndBoundsTheSize) {
  const std::string no_length = crlf("OPTIONS sip:x SIP/2.0\nVia: a\n\n");
  EXPECT_EQ(std::get<ParseError>(frame_length(no_length, {})).status, 400);
  const std::string endless = "OPTIONS sip:x SIP/2.0\r\nX: " + std::string(70000, 'a');
  EXPECT_EQ(std::get<ParseError>(frame_length(endless, {})).status, 413);
}

}  // namespace
}  // namespace sb::sip
