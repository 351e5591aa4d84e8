// sip/message.h: a SIP request or response (RFC 3261 §7) that owns its bytes. Start line,
// headers and body are slices of that buffer: parsing copies nothing, and moving a Message
// keeps every view valid. Typed header parsing lives in sip/parse/ and reads these views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/header_name.h"
#include "sip/method.h"

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

  std::string_view view(Slice s) const { return std::string_view(buffer_).substr(s.offset, s.length); }

 private:
  friend class MessageParser;
  friend class MessageBuilder;

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
};

}  // namespace sb::sip
