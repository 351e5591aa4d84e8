// sip/registrar/q_value.h: the Contact q parameter (RFC 3261 §20.10, qvalue in §25.1) as
// an integer per mille, so ordering never compares floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::sip::registrar {

// "0", "0.5", "0.125", "1", "1.000" → 0..1000; nullopt for anything else ("1.5", ".5", "0.1234").
std::optional<uint16_t> parse_q(std::string_view text);

// 500 → "0.5", 1000 → "1", 125 → "0.125".
std::string format_q(uint16_t q_milli);

}  // namespace sb::sip::registrar
