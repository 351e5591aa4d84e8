// sip/dialog/dialog_response.h: responses a UA core sends to a request (RFC 3261 §8.2.6), with
// what the dialog layer adds: our To tag, a Contact, Record-Route copied (§12.1.1), extra
// headers and a body. Building only; which response to send is decided elsewhere.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sip/message.h"

namespace sb::sip {

struct ResponseParts {
  std::string to_tag;   // added when the request's To has no tag and the status is above 100
  std::string contact;  // Contact header value ("<sip:sb@10.0.0.1:5060>"); none when empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  std::string content_type;                                  // with a body only
  std::string body;
};

// Via, From, To, Call-ID and CSeq copied from `request` (To with `parts.to_tag` when it had no
// tag), Record-Route copied into 101-299 responses to INVITE, then Contact, `parts.headers` and
// the body. Fails only when a given piece holds a line break.
sb::Result<Message> build_response(const Message& request, int status, std::string_view reason,
                                   const ResponseParts& parts = {});

}  // namespace sb::sip
