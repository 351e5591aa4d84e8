// sip/dialog/in_dialog_request.h: the text of a request inside a dialog (RFC 3261 §12.2.1.1),
// from the dialog's state and a CSeq number the caller chose. No state changes: Dialog's
// make_request() and make_ack() decide the CSeq and record what was sent.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/request_options.h"
#include "sip/message.h"
#include "sip/method.h"

namespace sb::sip {

// Request-URI and Route from the route set and remote target (loose or strict routing), Via
// from `options`, Max-Forwards 70, From with the local tag, To with the remote tag (if any),
// Call-ID, `CSeq: <cseq> <method>`, Contact for target refresh requests, then the options'
// headers and body. Fails on an empty options.via, a route set or remote target that does not
// parse, a method without a name (Method::Unknown), or a line break in `options`.
sb::Result<Message> build_in_dialog_request(const Dialog& dialog, Method method, uint32_t cseq,
                                            const RequestOptions& options);

}  // namespace sb::sip
