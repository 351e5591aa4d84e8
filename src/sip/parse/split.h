// sip/parse/split.h: splitting header values on commas (RFC 3261 §7.3.1) without breaking
// quoted strings ("Smith, John") or URIs in angle brackets (<sip:a@b;x=1,2>).
#pragma once

#include <string_view>
#include <vector>

namespace sb::sip {

// Appends each trimmed, non-empty element of a comma-separated list to `out`.
void split_comma_list(std::string_view value, std::vector<std::string_view>& out);
// The first trimmed, non-empty element (the top Via of a Via line); empty if there is none.
std::string_view first_list_element(std::string_view value);
// True when `text` reads as exactly one element wherever it is put in a list: not empty, no
// surrounding LWS, no comma outside quotes and angle brackets, and not ending inside either
// (an open quote would swallow the elements after it).
bool is_one_list_element(std::string_view text);

// Trims SP and HTAB (and the spaces folding left behind) from both ends.
std::string_view trim_lws(std::string_view text);

}  // namespace sb::sip
