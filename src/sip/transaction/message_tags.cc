// sip/transaction/message_tags.cc
#include "sip/transaction/message_tags.h"

#include "sip/parse/name_addr.h"

namespace sb::sip {
namespace {

std::string_view tag_of(const Message& message, HeaderName name) {
  const std::optional<std::string_view> value = message.first(name);
  if (!value) {
    return {};
  }
  const Result<NameAddr> parsed = parse_name_addr(*value);
  if (!parsed) {
    return {};
  }
  return parsed->tag().value_or(std::string_view{});
}

}  // namespace

std::string_view from_tag(const Message& message) { return tag_of(message, HeaderName::From); }
std::string_view to_tag(const Message& message) { return tag_of(message, HeaderName::To); }

}  // namespace sb::sip
