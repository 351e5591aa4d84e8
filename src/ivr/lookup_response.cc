// ivr/lookup_response.cc: JSON pointer resolution by hand, so a malformed pointer or a mismatched
// type is a missing value instead of a nlohmann exception.
#include "ivr/lookup_response.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace sb::ivr {
namespace {

using nlohmann::json;

// One reference token of a pointer with ~1 -> '/' and ~0 -> '~' (RFC 6901 §4).
std::string unescape(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

const json* at_pointer(const json& root, std::string_view pointer) {
  const json* at = &root;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    const size_t slash = pointer.find('/');
    const std::string token = unescape(pointer.substr(0, slash));
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    if (at->is_object()) {
      auto it = at->find(token);
      if (it == at->end()) {
        return nullptr;
      }
      at = &*it;
    } else if (at->is_array()) {
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (token.empty() || ec != std::errc{} || ptr != token.data() + token.size() ||
          index >= at->size()) {
        return nullptr;
      }
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

std::string as_text(const json* value) {
  if (value == nullptr || value->is_null()) {
    return "";
  }
  if (value->is_string()) {
    return value->get_ref<const std::string&>();
  }
  // Invalid UTF-8 in a string inside an object must not throw: replace it.
  return value->dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

bool is_json_pointer(std::string_view path) {
  if (!path.empty() && path.front() != '/') {
    return false;
  }
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '~' && (i + 1 == path.size() || (path[i + 1] != '0' && path[i + 1] != '1'))) {
      return false;
    }
  }
  return true;
}

Result<std::vector<std::pair<std::string, std::string>>> read_lookup_response(
    std::string_view body, const std::vector<std::pair<std::string, std::string>>& assign) {
  const json root = json::parse(body.begin(), body.end(), nullptr,
                                /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return Error{"the response is not JSON", "body"};
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [variable, path] : assign) {
    const json* value = nullptr;
    if (path.starts_with('/') && is_json_pointer(path)) {
      value = at_pointer(root, path);
    } else if (root.is_object()) {
      auto it = root.find(path);
      value = it == root.end() ? nullptr : &*it;
    }
    out.emplace_back(variable, as_text(value));
  }
  return out;
}

}  // namespace sb::ivr
