// sip/stack/session_handlers.cc: the handler for a stack with no call layer.
#include "sip/stack/session_handler.h"
#include "sip/stack/sip_stack.h"

namespace sb::sip {

void UnavailableSessions::on_invite(SipStack& stack, ServerTransactionId tx, const Message&, const Peer&) {
  stack.reply(tx, 480, "Temporarily Unavailable");
}

}  // namespace sb::sip
