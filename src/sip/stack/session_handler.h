// sip/stack/session_handler.h: what the SIP stack asks of whoever handles calls. The stack
// does REGISTER, OPTIONS, CANCEL, BYE and the dialog bookkeeping itself; INVITEs and the
// requests inside their dialogs go to a SessionHandler: the call center, the session layer
// (session_layer_handler.h), or one that answers 480.
#pragma once

#include "sip/dialog/dialog.h"
#include "sip/message.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transport/peer.h"

namespace sb::sip {

class SipStack;

class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  // An INVITE outside any dialog. Answer it through the stack (SipStack::reply, or create a
  // dialog with SipStack::accept_invite), now or later.
  virtual void on_invite(SipStack& stack, ServerTransactionId tx, const Message& invite, const Peer& source) = 0;
  // The caller cancelled INVITE `tx` (the stack already answered 200 and 487).
  virtual void on_cancelled(SipStack& /*stack*/, ServerTransactionId /*tx*/) {}
  // A request accepted inside `dialog` that is not BYE (re-INVITE, UPDATE, INFO, ...).
  // The default answers 200 OK.
  virtual void on_dialog_request(SipStack& stack, ServerTransactionId tx, Dialog& dialog, const Message& request);
  // The ACK for a 2xx we sent in `dialog` (to its INVITE or a re-INVITE); it may carry an answer.
  virtual void on_ack(SipStack& /*stack*/, Dialog& /*dialog*/, const Message& /*ack*/) {}
  // The dialog ended (BYE received, or no ACK for our 2xx); it is erased after this returns.
  virtual void on_dialog_ended(SipStack& /*stack*/, Dialog& /*dialog*/) {}
};

// Until the call path exists: every INVITE gets 480 Temporarily Unavailable.
class UnavailableSessions final : public SessionHandler {
 public:
  void on_invite(SipStack& stack, ServerTransactionId tx, const Message& invite, const Peer& source) override;
};

}  // namespace sb::sip
