// sip/message_builder.h: building requests and responses to send, and turning a Message back
// into wire text. A built message is serialized and parsed back, so what the stack holds is
// byte for byte what the wire carries.
#pragma once

#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/message_parser.h"
#include "sip/transport/peer.h"

namespace sb::sip {

class MessageBuilder {
 public:
  static MessageBuilder request(std::string_view method, std::string_view request_uri);
  static MessageBuilder response(int status, std::string_view reason);

  MessageBuilder& add(HeaderName name, std::string_view value);  // with the canonical name
  MessageBuilder& add(std::string_view name, std::string_view value);
  MessageBuilder& body(std::string_view content_type, std::string_view content);

  // Adds Content-Length and parses the text back. Fails only on malformed pieces (a missing
  // mandatory header, a value with a line break), never on anything a peer sent.
  ParseResult build() const;
  std::string text() const;  // what build() parses

 private:
  std::string start_line_;
  std::string headers_;
  std::string content_type_;
  std::string body_;
};

// The wire form of a message: start line, headers as received (folding joined), the body.
std::string serialize(const Message& message);

// A response to `request` (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied; the To
// tag added when the request's To has none and the status is above 100; Record-Route copied
// into 101-299 responses to INVITE (RFC 3261 §12.1.1) so the caller can build the route set.
// With `source` (where the request came from), the top Via gets received/rport
// (RFC 3261 §18.2.1, RFC 3581 §4) so a client behind NAT learns its public address.
ParseResult make_response(const Message& request, int status, std::string_view reason,
                          std::string_view to_tag = {}, const SocketAddress* source = nullptr);

}  // namespace sb::sip
