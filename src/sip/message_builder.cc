// sip/message_builder.cc
#include "sip/message_builder.h"


namespace sb::sip {
namespace {

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

MessageBuilder MessageBuilder::request(std::string_view method, std::string_view request_uri) {
  MessageBuilder b;
  b.start_line_ = std::string(method) + " " + std::string(request_uri) + " SIP/2.0";
  return b;
}

MessageBuilder MessageBuilder::response(int status, std::string_view reason) {
  MessageBuilder b;
  b.start_line_ = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason);
  return b;
}

MessageBuilder& MessageBuilder::add(HeaderName name, std::string_view value) {
  return add(canonical_name(name), value);
}

MessageBuilder& MessageBuilder::add(std::string_view name, std::string_view value) {
  headers_.append(name).append(": ").append(value).append("\r\n");
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view content_type, std::string_view content) {
  content_type_ = content_type;
  body_ = content;
  return *this;
}

std::string MessageBuilder::text() const {
  std::string out;
  out.reserve(start_line_.size() + headers_.size() + body_.size() + 64);
  out.append(start_line_).append("\r\n").append(headers_);
  if (!content_type_.empty()) {
    out.append("Content-Type: ").append(content_type_).append("\r\n");
  }
  out.append("Content-Length: ").append(std::to_string(body_.size())).append("\r\n\r\n");
  out.append(body_);
  return out;
}

ParseResult MessageBuilder::build() const {
  if (has_line_break(start_line_) || has_line_break(content_type_)) {
    return ParseError{500, "Server Internal Error: line break in a built start line", false};
  }
  return MessageParser().parse(text(), /*datagram=*/false);
}

std::string serialize(const Message& m) {
  std::string out;
  out.reserve(m.bytes().size());
  if (m.is_request()) {
    out.append(m.method_text()).append(" ").append(m.request_uri()).append(" SIP/2.0\r\n");
  } else {
    out.append("SIP/2.0 ").append(std::to_string(m.status())).append(" ").append(m.reason());
    out.append("\r\n");
  }
  for (const auto& h : m.headers()) {
    out.append(m.name_of(h)).append(": ").append(m.value_of(h)).append("\r\n");
  }
  out.append("\r\n").append(m.body());
  return out;
}


namespace {

// RFC 3261 §8.2.6.2: Via, From, Call-ID and CSeq copied, To with our tag when it had none
// (and the status is above 100); Record-Route copied into 101-299 to INVITE (§12.1.1).
void add_transaction_headers(MessageBuilder& b, const Message& request, int status, std::string_view to_tag) {
  const bool copy_record_route = request.method() == Method::Invite && status > 100 && status < 300;
  for (const auto& h : request.headers()) {
    const std::string_view value = request.value_of(h);
    switch (h.name) {
      case HeaderName::Via:
      case HeaderName::From:
      case HeaderName::CallId:
      case HeaderName::CSeq:
        b.add(h.name, value);
        break;
      case HeaderName::To:
        // A To that does not parse is copied as it is: where its tag is cannot be told.
        if (status > 100 && !to_tag.empty() && request.to() && request.to_tag().empty()) {
          std::string tagged(value);
          tagged.append(";tag=").append(to_tag);
          b.add(h.name, tagged);
        } else {
          b.add(h.name, value);
        }
        break;
      case HeaderName::RecordRoute:
        if (copy_record_route) b.add(h.name, value);
        break;
      default:
        break;
    }
  }
}

bool parts_are_single_line(std::string_view reason, const ResponseParts& parts) {
  if (has_line_break(reason) || has_line_break(parts.to_tag) || has_line_break(parts.contact) ||
      has_line_break(parts.content_type)) {
    return false;
  }
  for (const auto& [name, value] : parts.headers) {
    if (has_line_break(name) || has_line_break(value)) return false;
  }
  return true;
}

}  // namespace

ParseResult make_response(const Message& request, int status, std::string_view reason,
                          std::string_view to_tag) {
  MessageBuilder b = MessageBuilder::response(status, reason);
  add_transaction_headers(b, request, status, to_tag);
  return b.build();
}

sb::Result<Message> build_response(const Message& request, int status, std::string_view reason,
                                   const ResponseParts& parts) {
  if (!parts_are_single_line(reason, parts)) return Error{"line break in a header value", "response"};
  MessageBuilder b = MessageBuilder::response(status, reason);
  add_transaction_headers(b, request, status, parts.to_tag);
  if (!parts.contact.empty()) b.add(HeaderName::Contact, parts.contact);
  for (const auto& [name, value] : parts.headers) b.add(name, value);
  if (!parts.body.empty() || !parts.content_type.empty()) b.body(parts.content_type, parts.body);
  ParseResult built = b.build();
  if (ParseError* e = std::get_if<ParseError>(&built)) return Error{e->reason, "response"};
  return std::get<Message>(std::move(built));
}

}  // namespace sb::sip
