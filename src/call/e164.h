// call/e164.h: what an agent dials, or a caller's number, as an E.164 number for the trunk
// ("+15551234567"). A PBX dial plan in three settings: the country we are in, the national
// trunk prefix ("0" in most of Europe, "1" in North America) and the international prefix
// ("00", "011"). Pure. Numbering plans vary more than this (see ITU-T E.164 and national
// plans); this covers what agents type on a desk phone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::call {

struct DialPlan {
  std::string country_code = "1";  // without '+'
  std::string national_prefix = "1";
  std::string international_prefix = "011";
  size_t min_national_digits = 7;  // shorter numbers are extensions, not PSTN numbers
};

// "+44 20 7946 0958" -> "+442079460958"; "011442079460958" -> "+442079460958";
// "(555) 123-4567" -> "+15551234567" (country 1); "0612345678" -> "+33612345678" (country 33,
// national prefix 0). Visual separators (space, '-', '.', '(', ')') are dropped. nullopt for
// anything else: letters, '*', '#', too short, or longer than E.164's 15 digits.
std::optional<std::string> normalize_e164(std::string_view dialled, const DialPlan& plan);

}  // namespace sb::call
