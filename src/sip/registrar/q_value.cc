// sip/registrar/q_value.cc: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
#include "sip/registrar/q_value.h"

namespace sb::sip::registrar {

std::optional<uint16_t> parse_q(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) {
    return std::nullopt;
  }
  const bool one = text[0] == '1';
  uint16_t value = one ? 1000 : 0;
  if (text.size() == 1) {
    return value;
  }
  if (text[1] != '.' || text.size() > 5) {
    return std::nullopt;
  }
  uint16_t scale = 100;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9' || (one && c != '0')) {
      return std::nullopt;
    }
    value = static_cast<uint16_t>(value + (c - '0') * scale);
    scale = static_cast<uint16_t>(scale / 10);
  }
  return value;
}

std::string format_q(uint16_t q_milli) {
  if (q_milli >= 1000) {
    return "1";
  }
  std::string out = "0";
  if (q_milli == 0) {
    return out;
  }
  out += '.';
  out += static_cast<char>('0' + q_milli / 100);
  out += static_cast<char>('0' + q_milli / 10 % 10);
  out += static_cast<char>('0' + q_milli % 10);
  while (out.back() == '0') {
    out.pop_back();
  }
  return out;
}

}  // namespace sb::sip::registrar
