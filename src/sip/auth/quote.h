// sip/auth/quote.h: writing a quoted-string (RFC 3261 §25.1) for challenge and credentials
// parameters. Reading them is parse/auth.h's job.
#pragma once

#include <string>
#include <string_view>

namespace sb::sip::auth {

// "text" with '"' and '\' escaped as quoted-pairs. CR and LF, which no quoted-string may
// hold, are dropped so a configured realm can never split a header.
std::string quote(std::string_view text);

}  // namespace sb::sip::auth
