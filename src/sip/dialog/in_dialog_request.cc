// sip/dialog/in_dialog_request.cc
#include "sip/dialog/in_dialog_request.h"

#include <string>

#include "sip/message_builder.h"

namespace sb::sip {
namespace {

constexpr std::string_view kMaxForwards = "70";  // RFC 3261 §8.1.1.6

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

bool options_are_single_line(const RequestOptions& options) {
  if (has_line_break(options.via) || has_line_break(options.content_type)) {
    return false;
  }
  for (const auto& [name, value] : options.headers) {
    if (has_line_break(name) || has_line_break(value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

sb::Result<Message> build_in_dialog_request(const Dialog& dialog, Method method, uint32_t cseq,
                                            const RequestOptions& options) {
  const std::string_view name = method_name(method);
  if (name.empty()) {
    return Error{"method without a name", "request"};
  }
  if (options.via.empty()) {
    return Error{"missing Via", "request"};
  }
  if (!options_are_single_line(options)) {
    return Error{"line break in a header value", "request"};
  }
  sb::Result<RequestTarget> target = dialog.target();
  if (!target) {
    return target.error();
  }
  const DialogId& id = dialog.id();
  MessageBuilder b = MessageBuilder::request(name, target->request_uri);
  b.add(HeaderName::Via, options.via);
  b.add(HeaderName::MaxForwards, kMaxForwards);
  for (const std::string& route : target->routes) {
    b.add(HeaderName::Route, route);
  }
  b.add(HeaderName::From, dialog.local_party() + ";tag=" + id.local_tag);
  // RFC 3261 §12.2.1.1: the remote tag, "if the remote tag is null, no tag" (RFC 2543 peers).
  b.add(HeaderName::To, id.remote_tag.empty() ? dialog.remote_party()
                                              : dialog.remote_party() + ";tag=" + id.remote_tag);
  b.add(HeaderName::CallId, id.call_id);
  b.add(HeaderName::CSeq, std::to_string(cseq) + " " + std::string(name));
  // §12.2.1.1: a Contact in target refresh requests, so the peer can update its remote target.
  if (is_target_refresh(method) && !dialog.local_contact().empty()) {
    b.add(HeaderName::Contact, dialog.local_contact());
  }
  for (const auto& [header, value] : options.headers) {
    b.add(header, value);
  }
  if (!options.body.empty() || !options.content_type.empty()) {
    b.body(options.content_type, options.body);
  }
  ParseResult built = b.build();
  if (ParseError* e = std::get_if<ParseError>(&built)) {
    return Error{e->reason, "request"};
  }
  return std::get<Message>(std::move(built));
}

}  // namespace sb::sip
