// sip/registrar/reply.h: a response to a REGISTER with headers of the status's own (Contact,
// Date, Path, WWW-Authenticate, Min-Expires), by header name; build_response() underneath.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message.h"

namespace sb::sip::registrar {

using HeaderList = std::vector<std::pair<HeaderName, std::string>>;

// Via (every value, in order), From, Call-ID and CSeq copied; To copied with `to_tag` added
// when it has no tag (RFC 3261 §8.2.6.2); then `headers` in order. nullopt only when the
// result does not build (a header value with a line break), which is a bug of the caller.
std::optional<Message> build_reply(const Message& request, int status, std::string_view reason,
                                   std::string_view to_tag, const HeaderList& headers);

}  // namespace sb::sip::registrar
