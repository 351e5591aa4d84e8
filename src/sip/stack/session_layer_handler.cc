// sip/stack/session_layer_handler.cc
#include "sip/stack/session_layer_handler.h"

#include "sip/stack/sip_stack.h"

namespace sb::sip {

session::SessionLayer& SessionLayerHandler::attach(SipStack& stack) {
  if (!layer_) {
    layer_ = std::make_unique<session::SessionLayer>(stack, user_, policy_);
  }
  return *layer_;
}

void SessionLayerHandler::on_invite(SipStack& stack, ServerTransactionId tx, const Message& invite,
                                    const Peer& source) {
  attach(stack).on_invite(tx, invite, source);
}

void SessionLayerHandler::on_cancelled(SipStack& stack, ServerTransactionId tx) { attach(stack).on_cancelled(tx); }

void SessionLayerHandler::on_dialog_request(SipStack& stack, ServerTransactionId tx, Dialog& dialog,
                                            const Message& request) {
  attach(stack).on_dialog_request(tx, dialog, request);
}

void SessionLayerHandler::on_ack(SipStack& stack, Dialog& dialog, const Message& ack) {
  attach(stack).on_ack(dialog, ack);
}

void SessionLayerHandler::on_dialog_ended(SipStack& stack, Dialog& dialog) {
  attach(stack).on_dialog_ended(dialog);
}

}  // namespace sb::sip
