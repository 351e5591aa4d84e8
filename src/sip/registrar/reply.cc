// sip/registrar/reply.cc
#include "sip/registrar/reply.h"

#include "sip/message_builder.h"
#include "sip/parse/name_addr.h"

namespace sb::sip::registrar {

std::optional<Message> build_reply(const Message& request, int status, std::string_view reason,
                                   std::string_view to_tag, const HeaderList& headers) {
  MessageBuilder b = MessageBuilder::response(status, reason);
  for (const auto& h : request.headers()) {
    const std::string_view value = request.value_of(h);
    switch (h.name) {
      case HeaderName::Via:
      case HeaderName::From:
      case HeaderName::CallId:
      case HeaderName::CSeq:
        b.add(h.name, value);
        break;
      case HeaderName::To: {
        auto to = parse_name_addr(value);
        if (to && !to->tag() && !to_tag.empty()) {
          b.add(h.name, std::string(value) + ";tag=" + std::string(to_tag));
        } else {
          b.add(h.name, value);
        }
        break;
      }
      default:
        break;
    }
  }
  for (const auto& [name, value] : headers) {
    b.add(name, value);
  }
  ParseResult built = b.build();
  if (auto* message = std::get_if<Message>(&built)) {
    return std::move(*message);
  }
  return std::nullopt;
}

}  // namespace sb::sip::registrar
