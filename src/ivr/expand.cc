// ivr/expand.cc
#include "ivr/expand.h"

namespace sb::ivr {

void for_each_reference(std::string_view text, const std::function<void(std::string_view)>& visit) {
  size_t at = 0;
  while ((at = text.find("${", at)) != std::string_view::npos) {
    const size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) {
      return;
    }
    visit(text.substr(at + 2, close - at - 2));
    at = close + 1;
  }
}

bool has_reference(std::string_view text) {
  bool found = false;
  for_each_reference(text, [&found](std::string_view) { found = true; });
  return found;
}

std::string expand(std::string_view text, const std::map<std::string, std::string>& variables) {
  std::string out;
  out.reserve(text.size());
  size_t done = 0;
  size_t at = 0;
  while ((at = text.find("${", done)) != std::string_view::npos) {
    const size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) {
      break;  // "${" without "}": kept as written
    }
    out.append(text.substr(done, at - done));
    const std::string name(text.substr(at + 2, close - at - 2));
    if (auto it = variables.find(name); it != variables.end()) {
      out += it->second;
    }
    done = close + 1;
  }
  out.append(text.substr(done));
  return out;
}

}  // namespace sb::ivr
