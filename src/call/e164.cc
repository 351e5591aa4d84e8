// call/e164.cc
#include "call/e164.h"

#include <cctype>

namespace sb::call {

std::optional<std::string> normalize_e164(std::string_view dialled, const DialPlan& plan) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < dialled.size(); ++i) {
    const char c = dialled[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  std::string e164;
  if (plus) {
    e164 = digits;
  } else if (!plan.international_prefix.empty() && digits.rfind(plan.international_prefix, 0) == 0) {
    e164 = digits.substr(plan.international_prefix.size());
  } else if (!plan.national_prefix.empty() && digits.rfind(plan.national_prefix, 0) == 0 &&
             digits.size() - plan.national_prefix.size() >= plan.min_national_digits) {
    e164 = plan.country_code + digits.substr(plan.national_prefix.size());
  } else if (digits.size() >= plan.min_national_digits) {
    e164 = plan.country_code + digits;
  } else {
    return std::nullopt;
  }
  // E.164: at most 15 digits; a country code never starts with 0.
  if (e164.size() < 8 || e164.size() > 15 || e164[0] == '0') return std::nullopt;
  return "+" + e164;
}

}  // namespace sb::call
