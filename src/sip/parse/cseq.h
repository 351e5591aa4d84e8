// sip/parse/cseq.h: the CSeq header (RFC 3261 §20.16): a sequence number and a method.
// Checking that the method matches the request line is the message layer's job.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace sb::sip {

struct CSeq {
  uint32_t number = 0;      // < 2^31 (RFC 3261 §8.1.1.5)
  std::string_view method;  // a view into the parsed value, as written
};

// Parses `1*DIGIT LWS Method`. Leading zeros are fine (RFC 4475 §3.1.1.1 sends "0009"); fails
// on a missing or non-numeric number, a number of 2^31 or more, or a method that is not a token.
sb::Result<CSeq> parse_cseq(std::string_view value);

}  // namespace sb::sip
