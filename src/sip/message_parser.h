// sip/message_parser.h: bytes -> Message, strictly where RFC 3261 says so and forgiving where
// real phones are sloppy (bare LF line ends, any header-name case, compact forms, folding).
// Never throws, never reads past the input; limits bound every allocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sip/message.h"

namespace sb::sip {

struct ParseLimits {
  size_t max_message_size = 65535;  // larger than any UDP datagram; TCP frames are cut to it
  size_t max_headers = 200;
  size_t max_start_line = 8192;
};

// Why a message was refused. For a request, `status` and `reason` form the response it gets
// (RFC 3261 §8.2, §21.4): 400 with a reason phrase naming the problem, 505 for another SIP
// version, 413 when too large. A malformed response is dropped (RFC 3261 §18.1.2).
struct ParseError {
  int status = 400;
  std::string reason;
  bool is_request = false;  // the start line looked like a request: answer it
};

using ParseResult = std::variant<Message, ParseError>;

class MessageParser {
 public:
  explicit MessageParser(ParseLimits limits = {}) : limits_(limits) {}

  // One whole message: a UDP datagram, or a frame cut from a stream by frame_length().
  // `datagram`: without Content-Length the body is the rest of the datagram (RFC 3261 §18.3).
  ParseResult parse(std::string data, bool datagram = true) const;

 private:
  ParseLimits limits_;
};

// Stream framing (TCP, TLS): the length of the first message in `stream` (headers + blank line
// + Content-Length body), 0 when more bytes are needed, or an error. CRLF keep-alives before
// a message (RFC 5626 §3.5.1) are reported through `keepalive_bytes` and must be consumed.
struct Frame {
  size_t keepalive_bytes = 0;
  size_t length = 0;  // 0: incomplete
};
std::variant<Frame, ParseError> frame_length(std::string_view stream, const ParseLimits& limits);

}  // namespace sb::sip
