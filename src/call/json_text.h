// call/json_text.h: an event's data as JSON text. Callers' numbers, Call-IDs and display
// names come from the network and need not be UTF-8: nlohmann's plain dump() would throw on
// them, on the control thread. Invalid bytes are replaced instead.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sb::call {

inline std::string json_text(const nlohmann::json& data) {
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb::call
