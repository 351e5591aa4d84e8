// sip/message.cc: header look-ups on a parsed or built message.
#include "sip/message.h"

#include "sip/parse/split.h"

namespace sb::sip {

std::optional<std::string_view> Message::first(HeaderName name) const {
  for (const auto& h : headers_) {
    if (h.name == name) {
      return view(h.value);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::values(HeaderName name) const {
  std::vector<std::string_view> out;
  const bool split = is_multi_value(name);
  for (const auto& h : headers_) {
    if (h.name != name) {
      continue;
    }
    if (split) {
      split_comma_list(view(h.value), out);
    } else {
      out.push_back(view(h.value));
    }
  }
  return out;
}

size_t Message::count(HeaderName name) const {
  size_t n = 0;
  for (const auto& h : headers_) {
    n += h.name == name ? 1 : 0;
  }
  return n;
}

}  // namespace sb::sip
