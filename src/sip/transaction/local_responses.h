// sip/transaction/local_responses.h: the responses the transaction layer makes itself: 100
// Trying for a slow TU, 200/481 to CANCEL, 487 to a cancelled INVITE, and the 408/503 the TU
// receives in place of a response that never came.
#pragma once

#include <optional>
#include <string_view>

#include "sip/message.h"

namespace sb::sip {

// 100 Trying (RFC 3261 §8.2.6.1): Via, From, To (no tag), Call-ID, CSeq and Timestamp copied.
std::optional<Message> make_trying(const Message& request);

// make_response() as an optional: nullopt only for a request the builder refuses to echo.
std::optional<Message> make_local_response(const Message& request, int status,
                                           std::string_view reason, std::string_view to_tag = {});

}  // namespace sb::sip
