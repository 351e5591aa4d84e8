// sip/dialog/dialog_test_support.h: the messages the dialog tests exchange, written as they go
// on the wire (RFC 3261 §24 names), and the helpers that parse them or fail the test.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/result.h"
#include "sip/wire_text_test_support.h"
#include "sip/dialog/request_options.h"
#include "sip/message.h"
#include "sip/message_parser.h"
#include "sip/transport/peer.h"

namespace sb::sip::testing {


// `text` with the first `from` replaced by `to`; fails the test when `from` is not there.
inline std::string edit(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const size_t at = out.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no \"" << from << "\" in\n" << text;
    return out;
  }
  return out.replace(at, from.size(), to);
}

inline Message parse_ok(std::string_view text) {
  ParseResult r = MessageParser().parse(crlf(text), /*datagram=*/false);
  if (const ParseError* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "does not parse: " << e->reason << "\n" << text;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

template <typename T>
T ok(sb::Result<T> r) {
  if (!r) {
    ADD_FAILURE() << "failed: " << r.error().to_string();
    return T{};
  }
  return std::move(*r);
}

// For types without a default constructor (Dialog): the test stops on failure.
template <typename T>
T must(sb::Result<T> r) {
  if (!r) {
    ADD_FAILURE() << "failed: " << r.error().to_string();
    std::abort();
  }
  return std::move(*r);
}

// The message of a failed result; fails the test when it succeeded.
template <typename T>
std::string refusal(const sb::Result<T>& r) {
  if (r) {
    ADD_FAILURE() << "succeeded";
    return "";
  }
  return r.error().message;
}

// Options with just a Via, as the transaction layer requires.
inline RequestOptions via(std::string_view branch = "z9hG4bKtest") {
  RequestOptions options;
  options.via = "SIP/2.0/UDP 192.0.2.99:5060;branch=" + std::string(branch);
  return options;
}

inline Peer udp_peer(std::string_view ip = "192.0.2.1", uint16_t port = 5060) {
  Peer p;
  p.transport = Transport::Udp;
  p.remote = *SocketAddress::parse(ip, port);
  p.local = *SocketAddress::parse("192.0.2.4", 5060);
  return p;
}

// Alice (pc33.atlanta.com) calls Bob (192.0.2.4) through proxies p1 then p2, both record-routing.
// This is the INVITE as Bob, the UAS, receives it.
inline constexpr std::string_view kInviteAtBob = R"(INVITE sip:bob@192.0.2.4 SIP/2.0
Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bK2d4790.1
Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKnashds8.1
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds
Max-Forwards: 68
Record-Route: <sip:p2.example.com;lr>
Record-Route: <sip:p1.example.com;lr>
To: Bob <sip:bob@biloxi.com>
From: Alice <sip:alice@atlanta.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.com>
Content-Length: 0

)";

// The same INVITE as Alice, the UAC, sent it.
inline constexpr std::string_view kInviteFromAlice = R"(INVITE sip:bob@biloxi.com SIP/2.0
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds
Max-Forwards: 70
To: Bob <sip:bob@biloxi.com>
From: Alice <sip:alice@atlanta.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.com>
Content-Length: 0

)";

// Bob's 200 OK as it reaches Alice: Record-Route in the order p2, p1 (as the proxies wrote it).
inline constexpr std::string_view k200AtAlice = R"(SIP/2.0 200 OK
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1
Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf
From: Alice <sip:alice@atlanta.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.com
CSeq: 314159 INVITE
Contact: <sip:bob@192.0.2.4>
Content-Length: 0

)";

}  // namespace sb::sip::testing
