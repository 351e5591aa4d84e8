// ivr/expand.h: ${name} substitution in prompt names, URLs, numbers and attached data. No
// expressions, no escapes: text that is not a complete ${name} is kept as written.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace sb::ivr {

// Replaces each ${name} with the variable's value; an unknown variable becomes "".
std::string expand(std::string_view text, const std::map<std::string, std::string>& variables);

// Whether `text` contains a ${name} reference (then its value is only known while a call runs).
bool has_reference(std::string_view text);

// Calls `visit` with each referenced name, in order (for validation of names).
void for_each_reference(std::string_view text, const std::function<void(std::string_view)>& visit);

}  // namespace sb::ivr
