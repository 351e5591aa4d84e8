// sip/parse/via_test.cc: Via elements (RFC 3261 §20.42, RFC 3581 rport), with RFC 4475 and
// RFC 5118 cases.
#include "sip/parse/parse_test_support.h"
#include "sip/parse/via.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sb::sip {
namespace {

Via ok(std::string_view text) { return testing::accepted(parse_via(text), text); }

std::string refused(std::string_view text) {
  return testing::refusal(parse_via(text), text);
}

TEST(Via, ParsesEveryPart) {
  const Via v =
      ok("SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;"
         "rport=5070;ttl=16;maddr=224.2.0.1;x=y");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.host, "pc33.atlanta.com");
  EXPECT_FALSE(v.host_is_ipv6);
  EXPECT_EQ(v.port, 5066);
  EXPECT_EQ(v.branch, "z9hG4bK776asdhds");
  EXPECT_TRUE(v.has_magic_cookie());
  EXPECT_EQ(v.received, "192.0.2.1");
  EXPECT_TRUE(v.rport);
  EXPECT_EQ(v.rport_value, 5070);
  ASSERT_EQ(v.params.size(), 6u);
  EXPECT_EQ(v.params[5].name, "x");
  EXPECT_EQ(v.params[5].value, "y");
}

TEST(Via, MinimalViaHasNoPortBranchOrRport) {
  const Via v = ok("SIP/2.0/TCP 192.0.2.4");
  EXPECT_EQ(v.transport, "TCP");
  EXPECT_EQ(v.host, "192.0.2.4");
  EXPECT_FALSE(v.port.has_value());
  EXPECT_EQ(v.branch, "");
  EXPECT_FALSE(v.has_magic_cookie());
  EXPECT_FALSE(v.received.has_value());
  EXPECT_FALSE(v.rport);
  EXPECT_TRUE(v.params.empty());
}

// RFC 3581 §3: the client asks with a bare rport; the server fills in the value.
TEST(Via, RportWithoutValueIsAFlag) {
  const Via v = ok("SIP/2.0/UDP host5.example.com;rport;branch=z9hG4bKkdjuw");
  EXPECT_TRUE(v.rport);
  EXPECT_FALSE(v.rport_value.has_value());
  EXPECT_EQ(v.branch, "z9hG4bKkdjuw");
}

// RFC 4475 §3.1.1.1: LWS, even folded, around '/' and before the host; no magic cookie.
TEST(Via, AcceptsWhitespaceAroundSlashesAndColon) {
  const Via v = ok("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.host, "192.0.2.2");
  EXPECT_EQ(v.branch, "390skdjuw");
  EXPECT_FALSE(v.has_magic_cookie());
  const Via w =
      ok("SIP / 2.0 / TLS  client.example.com : 5061 ; branch = z9hG4bKx ; received = 10.0.0.1");
  EXPECT_EQ(w.port, 5061);
  EXPECT_EQ(w.branch, "z9hG4bKx");
  EXPECT_EQ(w.received, "10.0.0.1");
}

// RFC 4475 §3.1.1.10 and others: any transport token.
TEST(Via, AcceptsAnyTransportToken) {
  for (std::string_view t : {"UDP", "TCP", "TLS", "SCTP", "UNKNOWN", "WS", "WSS", "tls-sctp"}) {
    EXPECT_EQ(ok("SIP/2.0/" + std::string(t) + " h.example.com").transport, t);
  }
}

// RFC 4475 §3.1.1.2 and §3.1.1.5: a branch is a token, '%' and odd marks included.
TEST(Via, BranchIsAnyToken) {
  EXPECT_EQ(ok("SIP/2.0/UDP host1.example.com;rport;branch=z9hG4bK-.!%66*_+`'~").branch,
            "z9hG4bK-.!%66*_+`'~");
  EXPECT_EQ(ok("SIP/2.0/TCP host.example.com;rport;branch=z9hG4bK209%fzsnel234").branch,
            "z9hG4bK209%fzsnel234");
  // RFC 4475 §3.1.2.20 (badbranch): the magic cookie alone still parses.
  EXPECT_TRUE(ok("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK").has_magic_cookie());
  EXPECT_FALSE(ok("SIP/2.0/UDP 192.0.2.1;branch=Z9HG4BKx").has_magic_cookie());
  EXPECT_EQ(ok("SIP/2.0/UDP h.com;BRANCH=z9hG4bK1;branch=z9hG4bK2").branch, "z9hG4bK1");
}

// RFC 5118 §4.5: IPv6 sent-by and received, with and without brackets.
TEST(Via, ParsesIpv6SentByAndReceived) {
  const Via v = ok("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111");
  EXPECT_EQ(v.host, "2001:db8::9:1");
  EXPECT_TRUE(v.host_is_ipv6);
  EXPECT_FALSE(v.port.has_value());
  EXPECT_EQ(v.received, "2001:db8::9:255");
  const Via w = ok("SIP/2.0/UDP [2001:db8::9:1]:5070;received=2001:db8::9:255;branch=z9hG4bKas3");
  EXPECT_EQ(w.port, 5070);
  EXPECT_EQ(w.received, "2001:db8::9:255");
}

TEST(Via, RefusesBadSentProtocol) {
  EXPECT_EQ(refused(""), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP/2.0"), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP/2.0/"), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP//UDP host.com"), "bad Via sent-protocol");
  EXPECT_EQ(refused("/2.0/UDP host.com"), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP 2.0 UDP host.com"), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP/2.0/UDP[::1]"), "bad Via sent-protocol");
  EXPECT_EQ(refused("SIP/2.0/UDP/x host.com"), "bad Via sent-protocol");
}

TEST(Via, RefusesMissingOrBadHost) {
  EXPECT_EQ(refused("SIP/2.0/UDP"), "missing Via host");
  EXPECT_EQ(refused("SIP/2.0/UDP "), "missing Via host");
  EXPECT_EQ(refused("SIP/2.0/UDP ;branch=z9hG4bK1"), "missing Via host");
  EXPECT_EQ(refused("SIP/2.0/UDP :5060"), "missing Via host");
  EXPECT_EQ(refused("SIP/2.0/UDP host..com"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP 1.2.3.256"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP 2001:db8::1"), "bad Via sent-by");  // RFC 5118 §4.2
  EXPECT_EQ(refused("SIP/2.0/UDP [2001:db8::1"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP [nonsense]"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP host.com junk"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP host.com, SIP/2.0/UDP b.com"), "bad Via sent-by");
  EXPECT_EQ(refused("SIP/2.0/UDP <host.com>"), "bad Via sent-by");
}

TEST(Via, RefusesPortZeroAndPortsAbove65535) {
  EXPECT_EQ(refused("SIP/2.0/UDP host.com:0"), "bad Via port");
  EXPECT_EQ(refused("SIP/2.0/UDP host.com:70000"), "bad Via port");
  EXPECT_EQ(refused("SIP/2.0/UDP host.com:"), "bad Via port");
  EXPECT_EQ(refused("SIP/2.0/UDP host.com:abc"), "bad Via port");
  EXPECT_EQ(refused("SIP/2.0/UDP [::1]:99999999999"), "bad Via port");
  EXPECT_EQ(ok("SIP/2.0/UDP host.com:65535").port, 65535);
}

TEST(Via, RefusesMalformedKnownParams) {
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;branch"), "bad Via branch");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;branch=\"z9hG4bK\""), "bad Via branch");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;received"), "bad Via received");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;received=host.example.com"), "bad Via received");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;received=1.2.3"), "bad Via received");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;received=[1.2.3.4]"), "bad IPv6 reference");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;rport=0"), "bad Via rport");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;rport=65536"), "bad Via rport");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;rport=x"), "bad Via rport");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;ttl=256"), "bad Via ttl");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;ttl"), "bad Via ttl");
  // Found by sip_header_fuzz: the value was summed before its length was checked, so a long
  // one overflowed an int (UB).
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;ttl=99999999999999999999"), "bad Via ttl");
  EXPECT_EQ(refused("SIP/2.0/UDP examhG4bKm;maddr=Km;.2.0.1';ttl=1DG4bmamdK;dr=D;5;55"),
            "bad Via ttl");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;maddr=-bad-"), "bad Via maddr");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;branch=z9hG4bK1;"), "empty parameter");
  EXPECT_EQ(refused("SIP/2.0/UDP h.com;x=\"open"), "unterminated quoted string");
  EXPECT_EQ(ok("SIP/2.0/UDP h.com;ttl=0;maddr=[::1]").params.size(), 2u);
}

TEST(Via, NeverCrashesOnAPrefixOrRandomBytesAndTheWholeValueParses) {
  const std::string valid =
      "SIP / 2.0 / UDP [2001:db8::1] : 5060 ;branch=z9hG4bKa;received=[::1];rport=1;ttl=1;x=\"y\"";
  // Only "no crash" for the prefixes and random bytes; the whole value must still parse.
  EXPECT_TRUE(parse_via(valid)) << valid;
  for (size_t n = 0; n <= valid.size(); ++n) {
    (void)parse_via(std::string_view(valid).substr(0, n));
  }
  std::mt19937 rng(3581);
  static constexpr char kAlphabet[] = "SIP/2.0 UDP[]:;=\"rport1\x00\x80";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text = round % 3 == 0 ? "SIP/2.0/UDP " : "";
    const int length = static_cast<int>(rng() % 24);
    for (int i = 0; i < length; ++i) {
      text += round % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    }
    const auto r = parse_via(text);
    if (r) {
      (void)r->has_magic_cookie();
    }
  }
}

}  // namespace
}  // namespace sb::sip
