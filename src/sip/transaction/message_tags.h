// sip/transaction/message_tags.h: the From and To tags of a message (RFC 3261 §19.3), which the
// RFC 2543 matching fallback, CANCEL answers and ACK-to-2xx matching need. Not dialog state.
#pragma once

#include <string_view>

#include "sip/message.h"

namespace sb::sip {

// The tag parameter of the From or To header: a view into the message, "" when there is none
// or the header does not parse.
std::string_view from_tag(const Message& message);
std::string_view to_tag(const Message& message);

}  // namespace sb::sip
