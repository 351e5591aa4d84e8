// sip/dialog/dialog_id.cc
#include "sip/dialog/dialog_id.h"

#include "sip/parse/name_addr.h"

namespace sb::sip {
namespace {

sb::Result<std::string_view> tag_of(const Message& message, HeaderName name) {
  const std::optional<std::string_view> value = message.first(name);
  if (!value) {
    return Error{"missing header", std::string(canonical_name(name))};
  }
  // The NameAddr's views point into `*value`, itself a view into the message buffer.
  sb::Result<NameAddr> parsed = parse_name_addr(*value);
  if (!parsed) {
    return Error{parsed.error().message, std::string(canonical_name(name))};
  }
  return parsed->tag().value_or(std::string_view{});
}

}  // namespace

sb::Result<std::string_view> from_tag_of(const Message& message) {
  return tag_of(message, HeaderName::From);
}

sb::Result<std::string_view> to_tag_of(const Message& message) {
  return tag_of(message, HeaderName::To);
}

sb::Result<DialogIdView> dialog_id_of_request(const Message& request) {
  sb::Result<std::string_view> local = to_tag_of(request);
  if (!local) {
    return local.error();
  }
  sb::Result<std::string_view> remote = from_tag_of(request);
  if (!remote) {
    return remote.error();
  }
  return DialogIdView{request.call_id(), *local, *remote};
}

sb::Result<DialogIdView> dialog_id_of_response(const Message& response) {
  sb::Result<std::string_view> local = from_tag_of(response);
  if (!local) {
    return local.error();
  }
  sb::Result<std::string_view> remote = to_tag_of(response);
  if (!remote) {
    return remote.error();
  }
  return DialogIdView{response.call_id(), *local, *remote};
}

}  // namespace sb::sip
