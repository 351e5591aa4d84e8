// sip/transaction/transaction_key.h: which transaction a message belongs to, as a string key
// for a hash map: RFC 3261 §17.2.3 for requests (with the RFC 2543 fallback when the branch
// lacks the magic cookie) and §17.1.3 for responses. Keys only; the maps live in the layer.
#pragma once

#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/parse/via.h"

namespace sb::sip {

// The key of the server transaction `method` for `request`, whose top Via element is
// `top_via_text`, parsed as `top_via`. `method` is the request's own method to find its own
// transaction, or "INVITE" to find the INVITE an ACK or a CANCEL refers to.
// With the magic cookie: branch, sent-by (host case-insensitive, port as written) and method.
// Without it (RFC 2543 peers): Call-ID, CSeq number, From tag, Request-URI, the top Via as
// written, and method. The To tag is left out on purpose: an INVITE has none and its ACK
// carries ours, and Call-ID, CSeq and From tag already tell transactions apart.
std::string server_key(const Message& request, const Via& top_via, std::string_view top_via_text,
                       std::string_view method);

// The key of the client transaction a response belongs to (§17.1.3): the branch of its top Via
// and its CSeq method (a CANCEL shares its INVITE's branch). Also used, with the request's own
// branch and method, when the client transaction is created.
std::string client_key(std::string_view branch, std::string_view method);

}  // namespace sb::sip
