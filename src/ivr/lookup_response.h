// ivr/lookup_response.h: reads the variables a lookup node assigns out of a JSON response.
// nlohmann::json stays inside the .cc; nothing here throws.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sb::ivr {

// For each (variable, path) of `assign`, the value at `path` of the JSON `body`: a JSON pointer
// ("/customer/tier", RFC 6901) or a top-level field name ("tier"). Strings come as they are,
// numbers and booleans as their JSON text, objects and arrays as compact JSON, and null or a
// missing value as "". Fails only when `body` is not JSON.
Result<std::vector<std::pair<std::string, std::string>>> read_lookup_response(
    std::string_view body, const std::vector<std::pair<std::string, std::string>>& assign);

// Whether `path` is a well-formed JSON pointer ("" or "/a/b", with "~" only as "~0" or "~1").
bool is_json_pointer(std::string_view path);

}  // namespace sb::ivr
