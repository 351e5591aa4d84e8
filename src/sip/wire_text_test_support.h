// sip/wire_text_test_support.h: test messages are written with bare LF line ends (raw string
// literals); crlf() makes them wire text. Shared by the tests of every SIP layer.
#pragma once

#include <string>
#include <string_view>

namespace sb::sip::testing {

inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out.push_back('\r');
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace sb::sip::testing
