// sip/stack/session_layer_handler.h: plugs a session layer (sip/session/) into the stack: the
// stack's SessionHandler calls become the layer's entry points. The layer is made at the
// first of them, or by attach() for a user that calls out before anyone calls in, so the
// stack and the layer need no pointer to each other at construction.
#pragma once

#include <memory>

#include "sip/session/session_layer.h"
#include "sip/stack/session_handler.h"

namespace sb::sip {

class SessionLayerHandler final : public SessionHandler {
 public:
  SessionLayerHandler(session::SessionUser& user, session::SessionPolicy policy) : user_(user), policy_(policy) {}

  // The layer over `stack` (made on first use).
  session::SessionLayer& attach(SipStack& stack);
  session::SessionLayer* layer() { return layer_.get(); }

  void on_invite(SipStack& stack, ServerTransactionId tx, const Message& invite, const Peer& source) override;
  void on_cancelled(SipStack& stack, ServerTransactionId tx) override;
  void on_dialog_request(SipStack& stack, ServerTransactionId tx, Dialog& dialog, const Message& request) override;
  void on_ack(SipStack& stack, Dialog& dialog, const Message& ack) override;
  void on_dialog_ended(SipStack& stack, Dialog& dialog) override;

 private:
  session::SessionUser& user_;
  session::SessionPolicy policy_;
  std::unique_ptr<session::SessionLayer> layer_;
};

}  // namespace sb::sip
