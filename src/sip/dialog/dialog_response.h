// sip/dialog/dialog_response.h: responses a UA core sends (RFC 3261 §8.2.6) with our To tag,
// Contact, extra headers and a body: build_response() and ResponseParts live with the other
// builders in sip/message_builder.h; this header stays for the dialog layer's includes.
#pragma once

#include "sip/message_builder.h"
