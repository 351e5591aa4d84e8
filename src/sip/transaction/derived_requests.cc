// sip/transaction/derived_requests.cc
#include "sip/transaction/derived_requests.h"

#include <string>
#include <variant>

#include "sip/message_builder.h"

namespace sb::sip {
namespace {

std::optional<Message> built(ParseResult result) {
  if (!std::holds_alternative<Message>(result)) {
    return std::nullopt;
  }
  return std::get<Message>(std::move(result));
}

// The headers ACK and CANCEL share, in the order a request usually carries them.
MessageBuilder derived(const Message& request, std::string_view method, std::string_view to) {
  MessageBuilder b = MessageBuilder::request(method, request.request_uri());
  if (const std::string_view via = request.top_via_text(); !via.empty()) {
    b.add(HeaderName::Via, via);
  }
  // Route lines as they were, in order: the request and its ACK/CANCEL take the same path.
  for (const HeaderField& h : request.headers()) {
    if (h.name == HeaderName::Route) {
      b.add(HeaderName::Route, request.value_of(h));
    }
  }
  b.add(HeaderName::MaxForwards, request.first(HeaderName::MaxForwards).value_or("70"));
  b.add(HeaderName::From, request.first(HeaderName::From).value_or(""));
  b.add(HeaderName::To, to);
  b.add(HeaderName::CallId, request.call_id());
  b.add(HeaderName::CSeq, std::to_string(request.cseq()) + " " + std::string(method));
  return b;
}

}  // namespace

std::optional<Message> make_non_2xx_ack(const Message& invite, const Message& response) {
  const std::string_view to =
      response.first(HeaderName::To).value_or(invite.first(HeaderName::To).value_or(""));
  return built(derived(invite, "ACK", to).build());
}

std::optional<Message> make_cancel(const Message& request) {
  return built(derived(request, "CANCEL", request.first(HeaderName::To).value_or("")).build());
}

}  // namespace sb::sip
