// sip/transaction/transaction_state.h: the transaction states, named as RFC 3261 §17 names
// them, plus Accepted from RFC 6026. One enum serves the four state machines; each uses the
// subset its figure shows.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::sip {

enum class TransactionState : uint8_t {
  Calling,     // client INVITE: request sent, nothing back yet
  Trying,      // non-INVITE, client and server: nothing provisional yet
  Proceeding,  // a provisional response passed
  Completed,   // a final response passed (3xx-6xx for INVITE); absorbing retransmissions
  Confirmed,   // server INVITE: the ACK for a 3xx-6xx arrived
  Accepted,    // RFC 6026: a 2xx to INVITE passed; absorbing INVITE retransmissions
  Terminated,
};

std::string_view state_name(TransactionState state);  // "Proceeding"

// What cancel() did with a client INVITE transaction (RFC 3261 §9.1).
enum class CancelState : uint8_t {
  Sent,                   // the CANCEL went out (now or earlier)
  WaitingForProvisional,  // no provisional yet: the CANCEL goes out when one arrives
};

}  // namespace sb::sip
