// sip/error_status.h: the one place where an Error becomes the SIP response a UAS sends
// (RFC 3261 §21). Modules say what went wrong with an ErrorCode (common/result.h); the SIP
// boundary alone picks the status, so no status code travels inside an error's text.
#pragma once

#include <string_view>

#include "common/result.h"

namespace sb::sip {

struct StatusLine {
  int status = 500;
  std::string_view reason = "Server Internal Error";
};

// invalid 400, not-found 404, conflict 491 (an offer crossing ours, RFC 3261 §14.2),
// unsupported 488 (a session description we cannot accept, §21.4.26), unavailable 503,
// timeout 408, io and internal 500.
StatusLine status_for(ErrorCode code);
inline StatusLine status_for(const Error& error) { return status_for(error.code); }

}  // namespace sb::sip
