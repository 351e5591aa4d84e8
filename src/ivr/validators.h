// ivr/validators.h: the named checksum hooks a collect node can ask for (`validator: luhn`). The
// built-in ones are listed here so config validation can name the valid choices; the call layer may
// add its own to a FlowRun.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace sb::ivr {

// Whether the digits pass the entered-digits check; never called with non-digits by FlowRun unless
// the collect node's pattern allows them.
using Validator = std::function<bool(std::string_view digits)>;

// The Luhn (mod 10) check of card and many account numbers; false for non-digits or empty.
bool luhn_valid(std::string_view digits);

// The built-in validator of that name; nullptr when there is none.
const Validator* builtin_validator(std::string_view name);

// The built-in names, comma separated, for "expected one of ..." messages.
std::string builtin_validator_choices();

}  // namespace sb::ivr
