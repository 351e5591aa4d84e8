// media/dtmf/sip_info_dtmf.h: DTMF carried in SIP INFO bodies, for phones and carriers that
// send digits that way: application/dtmf-relay ("Signal=5\r\nDuration=160") and
// application/dtmf ("5"). Pure text; the SIP layer hands over the Content-Type and body.
#pragma once

#include <optional>
#include <string_view>

namespace sb::media::dtmf {

struct InfoDigit {
  char digit = '\0';      // 0-9, *, #, A-D
  int duration_ms = 250;  // Duration= when given (milliseconds), else a typical key press
};

// nullopt when the content type is not a DTMF one or the body names no valid digit.
std::optional<InfoDigit> parse_info_dtmf(std::string_view content_type, std::string_view body);

}  // namespace sb::media::dtmf
