// common/duration_text.h: durations as people write them in config and on the command line
// ("30s", "2m", "1h30m", "250ms", or a bare number of seconds).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace sb {

// Parses a duration; nullopt when the text is not one (negative values are rejected).
std::optional<Duration> parse_duration(std::string_view text);

// Formats for humans: "45s", "2m30s", "1h", "250ms".
std::string format_duration(Duration d);

// Parses a time of day "HH:MM" or "HH:MM:SS" into the offset from midnight.
std::optional<Duration> parse_time_of_day(std::string_view text);

}  // namespace sb
