// sip/transport/raw_error_response.h: the error response to a request that cannot be handled
// as a message (it did not parse, or its top Via did not), built from its raw bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::sip {

// The error response to a request that did not parse, built leniently from whatever Via,
// From, To, Call-ID and CSeq lines can be found; nullopt when there is no Via to answer to.
std::optional<std::string> raw_error_response(std::string_view raw, int status, std::string_view reason);

}  // namespace sb::sip
