// sip/session/glare.h: when to try a re-INVITE (or UPDATE) again after a 491 Request Pending
// (RFC 3261 §14.1). The side that owns the Call-ID waits longer, so the two ends of a glare do
// not collide again.
#pragma once

#include <cstdint>

#include "common/clock.h"

namespace sb::sip::session {

// §14.1: the owner of the Call-ID (the UAC of the dialog's INVITE) waits 2.1 to 4 s, the other
// side 0 to 2 s, in units of 10 ms; `random` is any uniformly drawn number.
Duration glare_retry_delay(bool we_own_call_id, uint64_t random);

}  // namespace sb::sip::session
