// sip/auth/quote.cc
#include "sip/auth/quote.h"

namespace sb::sip::auth {

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace sb::sip::auth
