// sip/dialog/dialog_response.cc
#include "sip/dialog/dialog_response.h"

#include "sip/dialog/dialog_id.h"
#include "sip/message_builder.h"

namespace sb::sip {
namespace {

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// A line break in a value would end the header and start another: refuse, do not inject.
bool parts_are_single_line(std::string_view reason, const ResponseParts& parts) {
  if (has_line_break(reason) || has_line_break(parts.to_tag) || has_line_break(parts.contact) ||
      has_line_break(parts.content_type)) {
    return false;
  }
  for (const auto& [name, value] : parts.headers) {
    if (has_line_break(name) || has_line_break(value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

sb::Result<Message> build_response(const Message& request, int status, std::string_view reason,
                                   const ResponseParts& parts) {
  if (!parts_are_single_line(reason, parts)) {
    return Error{"line break in a header value", "response"};
  }
  MessageBuilder b = MessageBuilder::response(status, reason);
  const bool copy_record_route = request.method() == Method::Invite && status > 100 && status < 300;
  // A To that does not parse has no tag we could see; leave it as it came.
  const sb::Result<std::string_view> to_tag = to_tag_of(request);
  const bool add_tag = status > 100 && !parts.to_tag.empty() && to_tag && to_tag->empty();
  for (const HeaderField& h : request.headers()) {
    const std::string_view value = request.value_of(h);
    switch (h.name) {
      case HeaderName::Via:
      case HeaderName::From:
      case HeaderName::CallId:
      case HeaderName::CSeq:
        b.add(h.name, value);
        break;
      case HeaderName::To:
        if (add_tag) {
          b.add(h.name, std::string(value) + ";tag=" + parts.to_tag);
        } else {
          b.add(h.name, value);
        }
        break;
      case HeaderName::RecordRoute:
        if (copy_record_route) {
          b.add(h.name, value);
        }
        break;
      default:
        break;
    }
  }
  if (!parts.contact.empty()) {
    b.add(HeaderName::Contact, parts.contact);
  }
  for (const auto& [name, value] : parts.headers) {
    b.add(name, value);
  }
  if (!parts.body.empty() || !parts.content_type.empty()) {
    b.body(parts.content_type, parts.body);
  }
  ParseResult built = b.build();
  if (ParseError* e = std::get_if<ParseError>(&built)) {
    return Error{e->reason, "response"};
  }
  return std::get<Message>(std::move(built));
}

}  // namespace sb::sip
