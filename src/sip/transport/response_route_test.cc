#include "sip/transport/response_route.h"

#include <gtest/gtest.h>

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
  auto stamped = stamp_received(request, source);
  ASSERT_TRUE(stamped);
  auto vias = stamped->values(HeaderName::Via);
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKa;received=127.0.0.1;rport=40123");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKb");
  EXPECT_EQ(stamped->body(), "body");
  EXPECT_EQ(stamped->call_id(), "c");
}

TEST(StampReceived, LeavesAlonePeersThatSentFromTheirViaAddressWithoutRport) {
  Message request = parse_text(
      "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa\r\nFrom: <sip:a@pbx>;tag=1\r\n"
      "To: <sip:pbx>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n");
  Peer source;
  source.remote = *SocketAddress::parse("127.0.0.1", 5070);
  EXPECT_FALSE(stamp_received(request, source));
}

}  // namespace
}  // namespace sb::sip
