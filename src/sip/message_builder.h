// sip/message_builder.h: building requests and responses to send, and turning a Message back
// into wire text. A built message is serialized and parsed back, so what the stack holds is
// byte for byte what the wire carries.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message.h"
#include "sip/message_parser.h"
#include "common/result.h"

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
// tag added when the request's To (read through Message::to(), parsed once) has none and the
// status is above 100, a To that does not parse copied as it is; Record-Route copied into
// 101-299 responses to INVITE (RFC 3261 §12.1.1) so the caller can build the route set.
// (The transport stamps received/rport on the request's top Via on arrival, see
// transport/response_route.h, so every response built from it routes back through NAT.)
ParseResult make_response(const Message& request, int status, std::string_view reason,
                          std::string_view to_tag = {});

// What a UA core adds to a response beyond the copied transaction headers.
struct ResponseParts {
  std::string to_tag;   // added when the request's To has no tag and the status is above 100
  std::string contact;  // Contact header value ("<sip:sb@10.0.0.1:5060>"); none when empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  std::string content_type;                                  // with a body only
  std::string body;
};

// make_response() with Contact, `parts.headers` and a body after the copied headers. Fails
// only when a given piece holds a line break (which would inject a header).
sb::Result<Message> build_response(const Message& request, int status, std::string_view reason,
                                   const ResponseParts& parts = {});

}  // namespace sb::sip
