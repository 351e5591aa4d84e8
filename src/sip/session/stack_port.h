// sip/session/stack_port.h: what the session layer asks of the SIP stack below it: answer a
// server transaction, make and answer dialogs, send an INVITE or a request inside a dialog,
// hang up, and the loop's timers and clock. SipStack implements it; the session tests use a
// fake (session_test_support.h). Nothing here knows about offers or timers of a session.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/timer_queue.h"
#include "sip/client/request_spec.h"
#include "sip/client/uac.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_response.h"
#include "sip/dialog/request_options.h"
#include "sip/message.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// An INVITE we send: the B2BUA's agent and outbound legs.
struct OutgoingInvite {
  std::string request_uri;  // the binding's Contact, or sip:+15551234@carrier
  std::string from;         // name-addr without tag
  std::string to;           // name-addr without tag; empty: <request_uri>
  // Numeric; `local` picks the listener (a wildcard one is resolved towards `remote`).
  Peer destination;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string sdp;  // the offer; empty: none (the answer then comes in the 2xx and our ACK)
  std::optional<client::Credentials> credentials;  // for a trunk that challenges
};

// Each provisional response and the final one to an INVITE we sent, with its dialog (early on
// a 1xx with a To tag, confirmed on a 2xx; nullptr otherwise). A 2xx is ACKed before this runs.
// A 2xx from a second fork, or one that arrives after cancel_invite(), is ACKed and ended with
// BYE by the stack and never reported. Timeouts come as 408, transport failures as 503.
using InviteProgress = std::function<void(const Message& response, Dialog* dialog)>;
// The final response to a request we sent inside a dialog (408 on timeout).
using InDialogResponse = std::function<void(const Message& response)>;

namespace session {

class StackPort {
 public:
  virtual ~StackPort() = default;
  // A response on server transaction `tx` (no dialog): the transaction headers copied.
  virtual void reply(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts = {}) = 0;
  // Creates the UAS dialog for INVITE `tx` and answers it (1xx/2xx; a 2xx is retransmitted
  // until the ACK). nullptr after answering 400 when no dialog can be made.
  virtual Dialog* accept_invite(ServerTransactionId tx, const Peer& source, int status, std::string_view reason,
                                ResponseParts parts = {}) = 0;
  // A response inside `dialog` to request `tx` (a later answer to the INVITE, or to a request
  // received in the dialog).
  virtual void answer_in_dialog(ServerTransactionId tx, Dialog& dialog, int status, std::string_view reason,
                                ResponseParts parts = {}) = 0;
  // An INVITE out of dialog; see InviteProgress.
  virtual Result<client::UacRequestId> invite(OutgoingInvite invite, InviteProgress progress) = 0;
  virtual void cancel_invite(client::UacRequestId id) = 0;
  // A request inside a dialog (re-INVITE, UPDATE, PRACK, INFO...); the ACK of a 2xx to a
  // re-INVITE is sent by the stack.
  virtual Result<ClientTransactionId> request_in_dialog(const DialogId& id, Method method,
                                                        const RequestOptions& extra = {},
                                                        InDialogResponse on_response = {}) = 0;
  // Ends a dialog however its state allows (final response, CANCEL or BYE), quietly.
  virtual void hang_up(const DialogId& id, int status_if_unanswered = 480) = 0;
  virtual Dialog* dialog(const DialogId& id) = 0;
  virtual TimerQueue& timers() = 0;
  virtual const Clock& clock() const = 0;
};

}  // namespace session
}  // namespace sb::sip
