// sip/registrar/http_date.h: the SIP-date of the Date header (RFC 3261 §20.17, the RFC 1123
// form, always GMT), which the registrar puts in its 200 so simple phones can set their clock.
#pragma once

#include <string>

#include "common/clock.h"

namespace sb::sip::registrar {

// "Sat, 13 Nov 2010 23:29:00 GMT"
std::string http_date(TimePoint time);

}  // namespace sb::sip::registrar
