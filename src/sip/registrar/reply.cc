// sip/registrar/reply.cc
#include "sip/registrar/reply.h"

#include "sip/message_builder.h"

namespace sb::sip::registrar {

std::optional<Message> build_reply(const Message& request, int status, std::string_view reason,
                                   std::string_view to_tag, const HeaderList& headers) {
  ResponseParts parts;
  parts.to_tag = std::string(to_tag);
  for (const auto& [name, value] : headers) parts.headers.emplace_back(std::string(canonical_name(name)), value);
  auto built = build_response(request, status, reason, parts);
  if (!built) return std::nullopt;
  return std::move(*built);
}

}  // namespace sb::sip::registrar
