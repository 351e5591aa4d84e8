#include "sip/transport/response_route.h"

#include <gtest/gtest.h>

#include "sip/message_builder.h"
#include "sip/message_parser.h"

namespace sb::sip {
namespace {

Peer udp_from(std::string_view ip, uint16_t port) {
  Peer p;
  p.transport = Transport::Udp;
  p.remote = *SocketAddress::parse(ip, port);
  return p;
}

TEST(StampVia, AddsReceivedWhenTheSentByHostIsNotTheSource) {
  std::string_view element = "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKx";
  Via via = *parse_via(element);
  EXPECT_EQ(stamp_via(element, via, *SocketAddress::parse("203.0.113.9", 40000)),
            "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKx;received=203.0.113.9");
  EXPECT_EQ(stamp_via(element, via, *SocketAddress::parse("10.0.0.5", 5062)), element);
}

TEST(StampVia, FillsRportAndAlwaysAddsReceivedWithIt) {
  // RFC 3581 §4: with rport the server adds received even when the host matches.
  std::string_view element = "SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bKy";
  Via via = *parse_via(element);
  EXPECT_EQ(stamp_via(element, via, *SocketAddress::parse("192.0.2.1", 61000)),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKy;received=192.0.2.1;rport=61000");
}

TEST(StampVia, ReplacesStaleValuesAndHandlesIpv6) {
  std::string_view element = "SIP/2.0/UDP [2001:db8::1]:5060 ; branch=z9hG4bKz;received=1.2.3.4;rport=9";
  Via via = *parse_via(element);
  EXPECT_EQ(stamp_via(element, via, *SocketAddress::parse("2001:db8::2", 5070)),
            "SIP/2.0/UDP [2001:db8::1]:5060 ;branch=z9hG4bKz;received=2001:db8::2;rport=5070");
}

TEST(ResponseDestination, UdpWithRportGoesBackToTheSourcePort) {
  Via via = *parse_via("SIP/2.0/UDP 10.0.0.5:5062;rport;branch=z9hG4bKa");
  Peer to = response_destination(via, udp_from("203.0.113.9", 40000));
  EXPECT_EQ(to.remote.to_string(), "203.0.113.9:40000");
}

TEST(ResponseDestination, UdpWithoutRportUsesTheViaPortAtTheSourceAddress) {
  Via via = *parse_via("SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKa");
  EXPECT_EQ(response_destination(via, udp_from("203.0.113.9", 40000)).remote.to_string(), "203.0.113.9:5062");
  Via no_port = *parse_via("SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKa");
  EXPECT_EQ(response_destination(no_port, udp_from("::1", 40000)).remote.to_string(), "[::1]:5060");
}

TEST(ResponseDestination, StreamsAnswerOnTheirConnection) {
  Via via = *parse_via("SIP/2.0/TCP 10.0.0.5:5062;branch=z9hG4bKa");
  Peer from = udp_from("203.0.113.9", 40000);
  from.transport = Transport::Tcp;
  from.connection = 42;
  Peer to = response_destination(via, from);
  EXPECT_EQ(to.connection, 42u);
  EXPECT_EQ(to.remote.to_string(), "203.0.113.9:40000");
}

TEST(SocketAddress, ParsesPrintsAndCompares) {
  auto v6 = SocketAddress::parse("[::1]", 5060);
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->is_v6());
  EXPECT_EQ(v6->to_string(), "[::1]:5060");
  EXPECT_FALSE(SocketAddress::parse("example.com", 5060));
  EXPECT_FALSE(SocketAddress::parse("", 5060));
  EXPECT_EQ(*SocketAddress::parse("127.0.0.1", 1), *SocketAddress::parse("127.0.0.1", 1));
  EXPECT_FALSE(*SocketAddress::parse("127.0.0.1", 1) == *SocketAddress::parse("127.0.0.1", 2));
  EXPECT_EQ(transport_from_name("tls"), Transport::Tls);
  EXPECT_FALSE(transport_from_name("SCTP"));
}

}  // namespace
}  // namespace sb::sip

namespace sb::sip {
namespace {

Message parse_text(std::string text) { return std::get<Message>(MessageParser().parse(std::move(text))); }

TEST(StampReceived, RewritesOnlyTheTopViaElementAndKeepsTheRestByteForByte) {
  Message request = parse_text(
      "REGISTER sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bKa, "
      "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKb\r\nFrom: <sip:1001@pbx>;tag=1\r\nTo: <sip:1001@pbx>\r\n"
      "Call-ID: c\r\nCSeq: 1 REGISTER\r\nContent-Length: 4\r\n\r\nbody");
  Peer source;
  source.remote = *SocketAddress::parse("127.0.0.1", 40123);
  ASSERT_TRUE(stamp_received(request, source));
  auto vias = request.values(HeaderName::Via);
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKa;received=127.0.0.1;rport=40123");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKb");
  EXPECT_EQ(request.body(), "body");
  EXPECT_EQ(request.call_id(), "c");
  EXPECT_EQ(request.bytes(),
            "REGISTER sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKa;"
            "received=127.0.0.1;rport=40123, SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKb\r\n"
            "From: <sip:1001@pbx>;tag=1\r\nTo: <sip:1001@pbx>\r\nCall-ID: c\r\n"
            "CSeq: 1 REGISTER\r\nContent-Length: 4\r\n\r\nbody");
}

TEST(StampReceived, LeavesAlonePeersThatSentFromTheirViaAddressWithoutRport) {
  Message request = parse_text(
      "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa\r\nFrom: <sip:a@pbx>;tag=1\r\n"
      "To: <sip:pbx>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n");
  const std::string before(request.bytes());
  Peer source;
  source.remote = *SocketAddress::parse("127.0.0.1", 5070);
  EXPECT_FALSE(stamp_received(request, source));
  EXPECT_EQ(request.bytes(), before);
}

TEST(StampReceived, LeavesAloneATopViaThatDoesNotParse) {
  Message request = parse_text(
      "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:0;rport;branch=z9hG4bKa\r\n"
      "From: <sip:a@pbx>;tag=1\r\nTo: <sip:pbx>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n");
  const std::string before(request.bytes());
  Peer source;
  source.remote = *SocketAddress::parse("203.0.113.9", 40000);
  EXPECT_FALSE(stamp_received(request, source));
  EXPECT_EQ(request.bytes(), before);
}

// The stamp splices the new element into the buffer instead of parsing the message again: the
// stamped message must read exactly as a fresh parse of its bytes would, through the typed
// headers (read before the stamp, so cached ones must not go stale) and the raw views alike.
TEST(StampReceived, TheStampedMessageReadsAsAFreshParseOfItsBytes) {
  Message request = parse_text(
      "INVITE sip:queue@[2001:db8::40]:5060;transport=udp SIP/2.0\r\n"
      "v: SIP/2.0/UDP [2001:db8::20]:5062;rport;branch=z9hG4bK-nat\r\n"
      "Via: SIP/2.0/UDP edge.example.com;branch=z9hG4bK-edge\r\n"
      "f: \"Ann\" <sip:ann@example.com>;tag=from-1\r\n"
      "t: <sip:queue@example.com>\r\n"
      "i: call-77@2001:db8::20\r\n"
      "CSeq: 9 INVITE\r\n"
      "m: <sip:ann@[2001:db8::20]:5062>\r\n"
      "Subject: folded\r\n  across lines\r\n"
      "c: application/sdp\r\n"
      "l: 15\r\n\r\n"
      "v=0\r\ns=-\r\nc=x\r\n");
  ASSERT_TRUE(request.top_via());
  ASSERT_TRUE(request.from());
  ASSERT_TRUE(request.request_uri_parsed());
  EXPECT_EQ(request.top_via()->host, "2001:db8::20");

  Peer source;
  source.transport = Transport::Udp;
  source.remote = *SocketAddress::parse("2001:db8::99", 41000);
  ASSERT_TRUE(stamp_received(request, source));

  const Message fresh = parse_text(std::string(request.bytes()));
  EXPECT_EQ(request.top_via_text(),
            "SIP/2.0/UDP [2001:db8::20]:5062;branch=z9hG4bK-nat;received=2001:db8::99;rport=41000");
  EXPECT_EQ(request.top_via_text(), fresh.top_via_text());
  ASSERT_TRUE(request.top_via());
  EXPECT_EQ(request.top_via()->host, "2001:db8::20");
  EXPECT_EQ(request.top_via()->port, 5062);
  EXPECT_EQ(request.top_via()->branch, "z9hG4bK-nat");
  EXPECT_EQ(request.top_via()->received, "2001:db8::99");
  EXPECT_EQ(request.top_via()->rport_value, 41000);
  // Where the response goes, from the stamped Via: the NAT's port (RFC 3581 §4).
  EXPECT_EQ(response_destination(*request.top_via(), source).remote.to_string(),
            "[2001:db8::99]:41000");
  ASSERT_TRUE(request.from());
  EXPECT_EQ(request.from()->display_name, fresh.from()->display_name);
  EXPECT_EQ(request.from()->uri.user, "ann");
  EXPECT_EQ(request.from_tag(), "from-1");
  EXPECT_EQ(request.from_tag(), fresh.from_tag());
  ASSERT_TRUE(request.to());
  EXPECT_EQ(request.to()->uri_text, fresh.to()->uri_text);
  EXPECT_EQ(request.to_tag(), "");
  ASSERT_TRUE(request.request_uri_parsed());
  EXPECT_EQ(request.request_uri_parsed()->host, "2001:db8::40");
  EXPECT_EQ(request.request_uri_parsed()->param("transport"), "udp");
  EXPECT_EQ(request.request_uri(), fresh.request_uri());
  EXPECT_EQ(request.method_text(), "INVITE");
  EXPECT_EQ(request.call_id(), "call-77@2001:db8::20");
  EXPECT_EQ(request.cseq(), 9u);
  EXPECT_EQ(request.cseq_method_text(), "INVITE");
  EXPECT_EQ(request.body(), "v=0\r\ns=-\r\nc=x\r\n");
  EXPECT_EQ(request.body(), fresh.body());
  ASSERT_EQ(request.headers().size(), fresh.headers().size());
  for (size_t i = 0; i < request.headers().size(); ++i) {
    const HeaderField& a = request.headers()[i];
    const HeaderField& b = fresh.headers()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(request.name_of(a), fresh.name_of(b));
    EXPECT_EQ(request.value_of(a), fresh.value_of(b));
  }
  EXPECT_EQ(request.first(HeaderName::Subject), "folded    across lines");
  EXPECT_EQ(request.values(HeaderName::Via).back(), "SIP/2.0/UDP edge.example.com;branch=z9hG4bK-edge");
  EXPECT_EQ(serialize(request), serialize(fresh));
}

}  // namespace
}  // namespace sb::sip
