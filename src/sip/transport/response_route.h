// sip/transport/response_route.h: where a server sends its responses (RFC 3261 §18.2.2 with
// RFC 3581 symmetric response routing) and the received/rport stamp on the top Via
// (RFC 3261 §18.2.1, RFC 3581 §4) that lets a client behind NAT get them back.
#pragma once

#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/parse/via.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// The top Via element with `received` added when the sent-by host is not the packet's source
// address, and the rport value filled in when the client asked for it. `element` is one Via
// element (already split from a comma list).
std::string stamp_via(std::string_view element, const Via& parsed, const SocketAddress& source);

// RFC 3261 §18.2.1 / RFC 3581 §4 on arrival: stamps received/rport for `source` on the
// request's top Via, so every response any layer builds from it routes back through the NAT.
// In place: the new element replaces the old in the buffer (Message::replace_top_via), the
// other headers and the body are not parsed again. false, changing nothing, when nothing needs
// stamping (sent-by is the source, no rport) or the top Via does not parse (the transaction
// layer answers those 400).
bool stamp_received(Message& request, const Peer& source);

// Where the response to a request that arrived from `source` with top Via `via` goes:
// - reliable transports: back on the same connection (the transport falls back to a new
//   connection to received:port if that one is gone);
// - UDP with rport: the source address and port, whatever the Via says (NAT);
// - UDP without rport: the source address (the `received` one) and the Via port, 5060 if none.
// maddr is not honoured: we never send multicast.
Peer response_destination(const Via& via, const Peer& source);

}  // namespace sb::sip
