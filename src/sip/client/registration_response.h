// sip/client/registration_response.h: what a REGISTER's response tells the client: the
// expiry granted to its binding (RFC 3261 §10.2.4), Min-Expires of a 423 (§10.2.8), and
// Retry-After (§20.33). Reading only; deciding is the RegistrationClient's.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "sip/header_name.h"
#include "sip/message.h"

namespace sb::sip::client {

// The expires parameter of the Contact that names `contact_uri` (URI equivalence of §19.1.4),
// else the Expires header; nullopt when neither says (or they do not parse).
std::optional<std::chrono::seconds> granted_expiry(const Message& ok, std::string_view contact_uri);

// delta-seconds (RFC 3261 §25.1): digits; anything longer than 2^32-1 reads as 2^32-1
// (§20.19). With `leading_only`, the number may be followed by a comment or parameters, as in
// Retry-After: "120 (in a meeting);duration=3600".
std::optional<std::chrono::seconds> parse_delta_seconds(std::string_view text,
                                                        bool leading_only = false);

// The first header `name` read as delta-seconds; Retry-After reads its leading number.
std::optional<std::chrono::seconds> header_seconds(const Message& message, HeaderName name);

}  // namespace sb::sip::client
