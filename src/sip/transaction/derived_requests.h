// sip/transaction/derived_requests.h: the requests a client transaction makes from the request
// it carries: the ACK for a 3xx-6xx (RFC 3261 §17.1.1.3) and CANCEL (§9.1). The ACK for a 2xx
// is not here: it belongs to the dialog (route set, remote target) and the TU builds it.
#pragma once

#include <optional>

#include "sip/message.h"

namespace sb::sip {

// Request-URI, Call-ID, From, Route and Max-Forwards of `invite`, its top Via alone, the To of
// `response` (with the UAS tag) and CSeq `<number> ACK`. nullopt only if the INVITE was
// malformed in a way the builder refuses (a line break in a value).
std::optional<Message> make_non_2xx_ack(const Message& invite, const Message& response);

// Request-URI, Call-ID, From, To, Route and Max-Forwards of `request`, its top Via alone (so
// the CANCEL has the same branch) and CSeq `<number> CANCEL`; no Require or Proxy-Require.
std::optional<Message> make_cancel(const Message& request);

}  // namespace sb::sip
