// sip/message_test.cc: the typed headers a Message parses once and keeps (top Via, From, To,
// their tags, the Request-URI), through copies and moves, and the in-place top Via splice.
#include "sip/message.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sip/message_builder.h"
#include "sip/message_parser.h"
#include "sip/wire_text_test_support.h"

namespace sb::sip {
namespace {

using testing::crlf;

Message parsed(std::string_view text) {
  ParseResult r = MessageParser().parse(crlf(text));
  if (const auto* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "refused: " << e->status << " " << e->reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

// True when `view` lies inside the message's own bytes.
bool inside(const Message& m, std::string_view view) {
  const std::string_view bytes = m.bytes();
  return view.data() >= bytes.data() && view.data() + view.size() <= bytes.data() + bytes.size();
}

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com;transport=tcp SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport\n"
    "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 5\n"
    "\n"
    "v=0\n";

TEST(MessageTopVia, ReadsTheFirstElementOfTheFirstViaLine) {
  const Message m = parsed(kInvite);
  EXPECT_EQ(m.top_via_text(),
            "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport");
  const Result<Via>& via = m.top_via();
  ASSERT_TRUE(via);
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "pc33.atlanta.example.com");
  EXPECT_EQ(via->port, 5066);
  EXPECT_EQ(via->branch, "z9hG4bK776asdhds");
  EXPECT_TRUE(via->rport);
  EXPECT_FALSE(via->received);
  EXPECT_TRUE(inside(m, via->host));
}

TEST(MessageTopVia, ReadsTheFirstElementOfACommaListInCompactForm) {
  const Message m = parsed(
      "OPTIONS sip:x@y SIP/2.0\n"
      "v: SIP/2.0/TCP a.example.com;branch=z9hG4bK1;received=192.0.2.7, SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "v: SIP/2.0/UDP c;branch=z9hG4bK3\n"
      "t: <sip:x@y>\nf: <sip:me@y>;tag=a\ni: call-1\nCSeq: 7 OPTIONS\nl: 0\n\n");
  EXPECT_EQ(m.top_via_text(), "SIP/2.0/TCP a.example.com;branch=z9hG4bK1;received=192.0.2.7");
  ASSERT_TRUE(m.top_via());
  EXPECT_EQ(m.top_via()->transport, "TCP");
  EXPECT_EQ(m.top_via()->branch, "z9hG4bK1");
  EXPECT_EQ(m.top_via()->received, "192.0.2.7");
}

TEST(MessageTopVia, ReadsAnIpv6SentByWithoutItsBrackets) {
  const Message m = parsed(
      "OPTIONS sip:x@y SIP/2.0\n"
      "Via: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKv6;received=2001:db8::1\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_TRUE(m.top_via());
  EXPECT_EQ(m.top_via()->host, "2001:db8::9");
  EXPECT_TRUE(m.top_via()->host_is_ipv6);
  EXPECT_EQ(m.top_via()->port, 5070);
  EXPECT_EQ(m.top_via()->received, "2001:db8::1");
}

TEST(MessageTopVia, IsAnErrorValueWhenItDoesNotParseOrIsEmpty) {
  const Message bad = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP host:99999;branch=z9hG4bK1\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_FALSE(bad.top_via());
  EXPECT_EQ(bad.top_via().error().message, "bad Via port");
  EXPECT_EQ(bad.top_via().error().code, ErrorCode::Invalid);
  EXPECT_EQ(bad.top_via().error().where, "Via");

  const Message empty = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: \nTo: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\n"
      "CSeq: 1 OPTIONS\n\n");
  EXPECT_EQ(empty.top_via_text(), "");
  ASSERT_FALSE(empty.top_via());
  EXPECT_EQ(empty.top_via().error().code, ErrorCode::NotFound);

  const Message none;
  EXPECT_FALSE(none.top_via());
  EXPECT_FALSE(none.from());
  EXPECT_EQ(none.to_tag(), "");
  EXPECT_FALSE(none.request_uri_parsed());
}

TEST(MessageTopVia, IsParsedOnceAndHandedBackAgain) {
  const Message m = parsed(kInvite);
  const Result<Via>* first = &m.top_via();
  m.from();
  m.to();
  m.request_uri_parsed();
  EXPECT_EQ(&m.top_via(), first);
  EXPECT_EQ(&m.from(), &m.from());
}

TEST(MessageFromTo, ReadNameAddrsWithTheirTags) {
  const Message m = parsed(kInvite);
  ASSERT_TRUE(m.from());
  EXPECT_EQ(m.from()->display_name, "\"Alice A.\"");
  EXPECT_EQ(m.from()->uri.user, "alice");
  EXPECT_EQ(m.from()->uri.host, "atlanta.example.com");
  EXPECT_EQ(m.from_tag(), "1928301774");
  ASSERT_TRUE(m.to());
  EXPECT_EQ(m.to()->uri_text, "sip:bob@biloxi.example.com");
  EXPECT_EQ(m.to_tag(), "");  // a dialog-creating INVITE: no To tag yet
  EXPECT_TRUE(inside(m, m.from_tag()));
}

TEST(MessageFromTo, ReadCompactFormsAddrSpecsAndSpacedTags) {
  const Message m = parsed(
      "BYE sip:alice@pc33.atlanta.example.com SIP/2.0\nv: SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "f: sip:bob@biloxi.example.com ; TAG = a6c85cf\n"
      "t: \"Alice\" <sip:alice@atlanta.example.com;transport=udp>;tag=1928301774;x=y\n"
      "i: c\nCSeq: 2 BYE\n\n");
  ASSERT_TRUE(m.from());
  EXPECT_EQ(m.from()->uri_text, "sip:bob@biloxi.example.com");
  EXPECT_EQ(m.from_tag(), "a6c85cf");
  ASSERT_TRUE(m.to());
  EXPECT_EQ(m.to()->uri.param("transport"), "udp");  // a URI parameter, not the tag
  EXPECT_EQ(m.to_tag(), "1928301774");
}

TEST(MessageFromTo, AMalformedHeaderIsAnErrorAndReadsNoTag) {
  const Message m = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "From: <sip:alice@atlanta.example.com;tag=inside\n"
      "To: \"unterminated <sip:x@y>;tag=t\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_FALSE(m.from());
  EXPECT_EQ(m.from().error().where, "From");
  EXPECT_EQ(m.from().error().code, ErrorCode::Invalid);
  EXPECT_EQ(m.from_tag(), "");
  ASSERT_FALSE(m.to());
  EXPECT_EQ(m.to().error().where, "To");
  EXPECT_EQ(m.to_tag(), "");
}

TEST(MessageRequestUri, ReadsTheRequestUriAndRefusesResponsesAndBadUris) {
  const Message m = parsed(kInvite);
  const Result<Uri>& uri = m.request_uri_parsed();
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, UriScheme::Sip);
  EXPECT_EQ(uri->user, "bob");
  EXPECT_EQ(uri->param("transport"), "tcp");

  const Message tel = parsed(
      "OPTIONS tel:+1-201-555-0123 SIP/2.0\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "To: <tel:+1-201-555-0123>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_TRUE(tel.request_uri_parsed());
  EXPECT_EQ(tel.request_uri_parsed()->scheme, UriScheme::Tel);

  const Message bad = parsed(
      "OPTIONS sip:x@ SIP/2.0\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_FALSE(bad.request_uri_parsed());
  EXPECT_EQ(bad.request_uri_parsed().error().where, "Request-URI");

  const Message response = parsed(
      "SIP/2.0 200 OK\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "To: <sip:x@y>;tag=b\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_FALSE(response.request_uri_parsed());
  EXPECT_EQ(response.request_uri_parsed().error().code, ErrorCode::NotFound);
  EXPECT_EQ(response.to_tag(), "b");
}

// Reads From, To and the Request-URI of kInvite and checks each view lies in `m`'s own buffer.
void expect_addresses_of_the_invite(const Message& m) {
  ASSERT_TRUE(m.from());
  EXPECT_TRUE(inside(m, m.from()->uri.host));
  EXPECT_EQ(m.from_tag(), "1928301774");
  EXPECT_TRUE(inside(m, m.from_tag()));
  ASSERT_TRUE(m.to());
  EXPECT_TRUE(inside(m, m.to()->uri_text));
  ASSERT_TRUE(m.request_uri_parsed());
  EXPECT_EQ(m.request_uri_parsed()->host, "biloxi.example.com");
  EXPECT_TRUE(inside(m, m.request_uri_parsed()->host));
}

// All of kInvite's typed headers, the top Via too.
void expect_reads_as_the_invite(const Message& m) {
  ASSERT_TRUE(m.top_via());
  EXPECT_EQ(m.top_via()->branch, "z9hG4bK776asdhds");
  EXPECT_TRUE(inside(m, m.top_via()->branch));
  expect_addresses_of_the_invite(m);
}

TEST(MessageTypedHeaders, ACopyReadsItsOwnBufferNotTheOriginals) {
  std::optional<Message> original = parsed(kInvite);
  expect_reads_as_the_invite(*original);  // fills the original's cache
  Message copy = *original;
  original.reset();  // the copy must not point into what is gone (ASan would see it)
  expect_reads_as_the_invite(copy);

  Message assigned = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP other;branch=z9hG4bKo\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=o\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  EXPECT_EQ(assigned.from_tag(), "o");  // its cache filled, then replaced by a copy
  assigned = copy;
  expect_reads_as_the_invite(assigned);
}

TEST(MessageTypedHeaders, AMoveTakesThemAlongAndStaysValid) {
  Message original = parsed(kInvite);
  const Result<Via>* before = &original.top_via();
  Message moved = std::move(original);
  EXPECT_EQ(&moved.top_via(), before);  // the same parse, not a second one
  expect_reads_as_the_invite(moved);

  Message assigned;
  assigned = std::move(moved);
  expect_reads_as_the_invite(assigned);

  std::vector<Message> many;
  for (int i = 0; i < 20; ++i) {  // the vector reallocates: every element moves
    many.push_back(parsed(kInvite));
    (void)many.back().from_tag();
  }
  for (const Message& m : many) {
    expect_reads_as_the_invite(m);
  }
}

TEST(MessageReplaceTopVia, SplicesInPlaceAndShiftsEverythingAfter) {
  Message m = parsed(kInvite);
  expect_reads_as_the_invite(m);  // caches filled before the splice
  const std::string before = std::string(m.bytes());
  const std::string element =
      "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.99;"
      "rport=40000";
  ASSERT_TRUE(m.replace_top_via(element));
  EXPECT_EQ(m.top_via_text(), element);
  ASSERT_TRUE(m.top_via());
  EXPECT_EQ(m.top_via()->received, "192.0.2.99");
  EXPECT_EQ(m.top_via()->rport_value, 40000);
  expect_reads_as_the_invite(m);
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.cseq(), 314159u);
  EXPECT_EQ(m.cseq_method_text(), "INVITE");
  EXPECT_EQ(m.body(), "v=0\r\n");
  EXPECT_EQ(m.method_text(), "INVITE");
  EXPECT_EQ(m.values(HeaderName::Via).back(), "SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1");
  // Byte for byte the same message but for the element: what a parse of it would read.
  std::string expected = before;
  const std::string old_element =
      "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport";
  expected.replace(expected.find(old_element), old_element.size(), element);
  EXPECT_EQ(m.bytes(), expected);
  const Message reparsed = std::get<Message>(MessageParser().parse(expected));
  EXPECT_EQ(serialize(m), serialize(reparsed));
  ASSERT_EQ(m.headers().size(), reparsed.headers().size());
  for (size_t i = 0; i < m.headers().size(); ++i) {
    EXPECT_EQ(m.name_of(m.headers()[i]), reparsed.name_of(reparsed.headers()[i]));
    EXPECT_EQ(m.value_of(m.headers()[i]), reparsed.value_of(reparsed.headers()[i]));
  }
}

TEST(MessageReplaceTopVia, ReplacesTheFirstElementOfAListLineAndKeepsTheOthers) {
  Message m = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: , SIP/2.0/UDP a;branch=z9hG4bK1 ,SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  ASSERT_TRUE(m.replace_top_via("SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1;x=\"p,q\""));
  const Message fresh = std::get<Message>(MessageParser().parse(std::string(m.bytes())));
  EXPECT_EQ(m.top_via_text(), fresh.top_via_text());
  EXPECT_EQ(m.top_via_text(), "SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1;x=\"p,q\"");
  EXPECT_EQ(m.first(HeaderName::Via),
            ", SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1;x=\"p,q\" ,SIP/2.0/UDP b;branch=z9hG4bK2");
  EXPECT_EQ(m.values(HeaderName::Via), fresh.values(HeaderName::Via));
  EXPECT_EQ(m.top_via()->received, "192.0.2.1");
}

TEST(MessageReplaceTopVia, ShrinksToo) {
  Message m = parsed(kInvite);
  ASSERT_TRUE(m.replace_top_via("SIP/2.0/UDP a;branch=z9hG4bKs"));
  EXPECT_EQ(m.top_via()->host, "a");
  expect_addresses_of_the_invite(m);
  EXPECT_EQ(m.body(), "v=0\r\n");
}

TEST(MessageReplaceTopVia, RefusesWhatIsNotOneElementAndChangesNothing) {
  Message m = parsed(kInvite);
  const std::string before(m.bytes());
  for (std::string_view bad : {std::string_view(""), std::string_view("SIP/2.0/UDP a\r\nX: y"),
                               std::string_view("SIP/2.0/UDP a, SIP/2.0/UDP b"),
                               std::string_view(" SIP/2.0/UDP a"),
                               std::string_view("SIP/2.0/UDP a\0b", 15)}) {
    EXPECT_FALSE(m.replace_top_via(bad)) << bad;
    EXPECT_EQ(m.bytes(), before);
  }
  expect_reads_as_the_invite(m);

  // Alone it is one element, but in the line it would swallow the next one into its quotes.
  Message list = parsed(
      "OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;x=\"q\"\n"
      "To: <sip:x@y>\nFrom: <sip:me@y>;tag=a\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
  const std::string list_before(list.bytes());
  EXPECT_FALSE(list.replace_top_via("SIP/2.0/UDP a;x=\"open"));
  EXPECT_EQ(list.bytes(), list_before);
  EXPECT_EQ(list.top_via_text(), "SIP/2.0/UDP a;branch=z9hG4bK1");

  Message none;
  EXPECT_FALSE(none.replace_top_via("SIP/2.0/UDP a"));
}

}  // namespace
}  // namespace sb::sip
