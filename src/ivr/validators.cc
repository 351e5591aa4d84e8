// ivr/validators.cc: the registry of built-in checksum hooks.
#include "ivr/validators.h"

#include <array>
#include <utility>

namespace sb::ivr {
namespace {

const std::array<std::pair<std::string_view, Validator>, 1>& registry() {
  static const std::array<std::pair<std::string_view, Validator>, 1> kValidators = {{
      {"luhn", Validator(luhn_valid)},
  }};
  return kValidators;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) {
    return false;
  }
  int sum = 0;
  bool twice = false;  // every second digit from the right is doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') {
      return false;
    }
    int d = *it - '0';
    if (twice) {
      d *= 2;
      d = d > 9 ? d - 9 : d;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

const Validator* builtin_validator(std::string_view name) {
  for (const auto& [n, v] : registry()) {
    if (n == name) {
      return &v;
    }
  }
  return nullptr;
}

std::string builtin_validator_choices() {
  std::string out;
  for (const auto& entry : registry()) {
    out += out.empty() ? "" : ", ";
    out += entry.first;
  }
  return out;
}

}  // namespace sb::ivr
