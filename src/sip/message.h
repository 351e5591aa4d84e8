// sip/message.h: a SIP request or response (RFC 3261 §7) that owns its bytes. Start line,
// headers and body are slices of that buffer: parsing copies nothing, and moving a Message
// keeps every view valid. The headers every layer reads (top Via, From, To, Request-URI) are
// parsed on first use by the parsers of sip/parse/ and kept on the message: parse once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sip/header_name.h"
#include "sip/method.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/uri.h"
#include "sip/parse/via.h"

namespace sb::sip {

// A range of the message buffer. Offsets, not pointers: std::string moves may relocate SSO data.
struct Slice {
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct HeaderField {
  HeaderName name = HeaderName::Other;
  Slice raw_name;  // as received ("v", "VIA", "X-Custom")
  Slice value;     // trimmed; folded lines already joined by spaces
};

namespace detail {

// The typed headers a Message has parsed so far. Their views point into the buffer that
// started at `base`; parsed again if the buffer is elsewhere now.
struct ParsedHeaders {
  const char* base = nullptr;
  std::optional<std::string_view> top_via_text;
  std::optional<sb::Result<Via>> top_via;
  std::optional<sb::Result<NameAddr>> from;
  std::optional<sb::Result<NameAddr>> to;
  std::optional<sb::Result<Uri>> request_uri;
};

// Owns a message's ParsedHeaders. A copy starts empty (the copy's buffer is another one, so
// the views would point into the original); a move takes them along with the buffer.
class ParsedHeadersCache {
 public:
  ParsedHeadersCache() = default;
  ParsedHeadersCache(const ParsedHeadersCache&) noexcept {}
  ParsedHeadersCache& operator=(const ParsedHeadersCache&) noexcept {
    parsed_.reset();
    return *this;
  }
  ParsedHeadersCache(ParsedHeadersCache&&) noexcept = default;
  ParsedHeadersCache& operator=(ParsedHeadersCache&&) noexcept = default;

  // The headers parsed from the buffer at `base`: what was kept, or nothing yet if what was
  // kept came from another buffer (a std::string move may relocate short-string data).
  ParsedHeaders& at(const char* base);
  // Nothing parsed yet from the buffer at `base` (which may hold other text than before).
  ParsedHeaders& fresh(const char* base);

 private:
  std::unique_ptr<ParsedHeaders> parsed_;  // allocated on first use
};

}  // namespace detail

class Message {
 public:
  bool is_request() const { return request_; }

  // Requests.
  Method method() const { return method_; }
  std::string_view method_text() const { return view(start_[0]); }
  std::string_view request_uri() const { return view(start_[1]); }
  // Responses.
  int status() const { return status_; }
  std::string_view reason() const { return view(start_[2]); }

  const std::vector<HeaderField>& headers() const { return headers_; }
  std::string_view name_of(const HeaderField& h) const { return view(h.raw_name); }
  std::string_view value_of(const HeaderField& h) const { return view(h.value); }
  // First header of that name, if any.
  std::optional<std::string_view> first(HeaderName name) const;
  // Every value of that name in order; comma-separated lists of multi-value headers are split
  // (respecting quotes and angle brackets), so `Via: a, b` and two Via lines read the same.
  std::vector<std::string_view> values(HeaderName name) const;
  size_t count(HeaderName name) const;

  std::string_view body() const { return view(body_); }
  std::string_view bytes() const { return buffer_; }

  // Checked at parse time for every request and response (RFC 3261 §8.1.1): present once each.
  std::string_view call_id() const { return view(call_id_); }
  uint32_t cseq() const { return cseq_; }
  Method cseq_method() const { return cseq_method_; }
  std::string_view cseq_method_text() const { return view(cseq_method_text_); }

  // --- Typed headers, parsed once ---
  // Each parses its header the first time it is asked and hands back the same result after:
  // views into this message's buffer, valid until the message is assigned to, changed
  // (replace_top_via) or destroyed; a move keeps them. Not safe across threads even though
  // const: the cache fills in on first use, and a Message belongs to one thread. Never
  // throws: a missing header is ErrorCode::NotFound, one that does not parse ErrorCode::Invalid
  // with the parser's message, `where` naming the header.

  // The top Via element: the first element of the first Via header line, as written (the
  // element RFC 3261 §17.2.3 matches on and §18.2.1 stamps). Empty if there is none. Kept
  // too: finding it scans the line for a comma outside quotes and brackets.
  std::string_view top_via_text() const;
  const sb::Result<Via>& top_via() const;
  // From and To (RFC 3261 §20.20, §20.39), name-addr or addr-spec, with their parameters.
  const sb::Result<NameAddr>& from() const;
  const sb::Result<NameAddr>& to() const;
  // The tag parameter of From or To (RFC 3261 §19.3): "" when there is none or the header does
  // not parse (from()/to() tell those apart).
  std::string_view from_tag() const;
  std::string_view to_tag() const;
  // The Request-URI parsed (RFC 3261 §19.1, RFC 3966); a response has none (NotFound).
  const sb::Result<Uri>& request_uri_parsed() const;

  // Replaces the top Via element (top_via_text()) with `element` in place: the bytes around it
  // and every other slice stay as they were, shifted, and nothing is parsed. The typed headers
  // kept so far are dropped (the buffer may have moved) and parsed again on their next use.
  // For the received/rport stamp (transport/response_route.h), which comes before any layer
  // reads the message. Fails,
  // changing nothing, without a top Via, or for text that is not one Via element on one line
  // (empty, a line break or NUL, a comma outside quotes and brackets, surrounding whitespace,
  // an open quote or '<' at its end).
  sb::Result<void> replace_top_via(std::string_view element);

  std::string_view view(Slice s) const { return std::string_view(buffer_).substr(s.offset, s.length); }

 private:
  friend class MessageParser;
  friend class MessageBuilder;

  detail::ParsedHeaders& parsed() const { return parsed_.at(buffer_.data()); }
  // Replaces `length` bytes at `at` inside one header value with `text`, shifting the slices.
  void splice(uint32_t at, uint32_t length, std::string_view text);

  std::string buffer_;
  bool request_ = false;
  Method method_ = Method::Unknown;
  int status_ = 0;
  Slice start_[3];  // request: method, URI, version; response: version, code, reason
  std::vector<HeaderField> headers_;
  Slice body_;
  Slice call_id_;
  uint32_t cseq_ = 0;
  Method cseq_method_ = Method::Unknown;
  Slice cseq_method_text_;
  mutable detail::ParsedHeadersCache parsed_;
};

}  // namespace sb::sip
