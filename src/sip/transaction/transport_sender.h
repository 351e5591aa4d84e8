// sip/transaction/transport_sender.h: the one thing the transaction layer asks of a transport.
// The live TransportLayer is wrapped to implement it; tests record what would have gone out.
#pragma once

#include <string_view>

#include "sip/transport/peer.h"

namespace sb::sip {

class TransportSender {
 public:
  virtual ~TransportSender() = default;
  // Sends one whole message. Never blocks and reports nothing: a loss is SIP's retransmissions'
  // business, and a failure the transport notices is reported with
  // TransactionLayer::transport_failed (from inside send() too: the layer defers it).
  virtual void send(const Peer& to, std::string_view bytes) = 0;
};

}  // namespace sb::sip
