// sip/transaction/local_responses.cc
#include "sip/transaction/local_responses.h"

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

}  // namespace

std::optional<Message> make_trying(const Message& request) {
  MessageBuilder b = MessageBuilder::response(100, "Trying");
  for (const HeaderField& h : request.headers()) {
    switch (h.name) {
      case HeaderName::Via:
      case HeaderName::From:
      case HeaderName::To:
      case HeaderName::CallId:
      case HeaderName::CSeq:
      case HeaderName::Timestamp:  // §8.2.6.1: lets the client measure the round trip
        b.add(h.name, request.value_of(h));
        break;
      default:
        break;
    }
  }
  return built(b.build());
}

std::optional<Message> make_local_response(const Message& request, int status,
                                           std::string_view reason, std::string_view to_tag) {
  return built(make_response(request, status, reason, to_tag));
}

}  // namespace sb::sip
