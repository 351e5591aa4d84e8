// sip/transaction/transaction_user.h: the callbacks from the transaction layer up to its
// transaction user (the dialog layer, a UA core, the B2BUA). Retransmissions, ACKs for 3xx-6xx
// and responses to the layer's own CANCELs never come up; everything else does, exactly once.
#pragma once

#include "sip/message.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// All calls come on the layer's (control-loop) thread, from inside TransactionLayer::receive,
// from a timer firing, or from another layer call. The TU may call back into the layer from
// any of them (respond, send_request, cancel); the layer defers freeing what ended until the
// outermost call returns, so the references passed here stay valid for the whole callback.
class TransactionUser {
 public:
  virtual ~TransactionUser() = default;

  // --- server side ---

  // A new request (never a retransmission, an ACK or a CANCEL) opened server transaction `tx`.
  // Answer it with TransactionLayer::respond(tx, ...), now or later. For INVITE, answering
  // within TransactionConfig::trying_delay spares the automatic 100 Trying.
  virtual void on_request(ServerTransactionId tx, const Message& request, const Peer& source) = 0;

  // An ACK that no server transaction absorbed: the ACK for a 2xx (RFC 3261 §17.2.3, §13.3.1.4),
  // for the dialog layer, which stops retransmitting that 2xx. ACK retransmissions (the UAC
  // re-ACKs each 2xx it sees) come too.
  virtual void on_ack(const Message& ack, const Peer& source) = 0;

  // A CANCEL matched INVITE transaction `invite_tx` before its final response: the layer has
  // answered the CANCEL 200 and the INVITE 487 (RFC 3261 §9.2). Stop ringing; respond() on
  // `invite_tx` now fails. A CANCEL after the final response, or matching nothing, is not reported.
  virtual void on_cancelled(ServerTransactionId invite_tx, const Message& cancel) = 0;

  // Timer H: no ACK came for the 3xx-6xx `final_response` to INVITE `invite_tx` (§17.2.1).
  // Nothing to undo; worth a log line. `invite_tx` is gone. (A 2xx without ACK is the UAS
  // core's to notice, §13.3.1.4: the layer does not retransmit 2xx.)
  virtual void on_ack_timeout(ServerTransactionId invite_tx, const Message& final_response) = 0;

  // The transport could not deliver a response of `tx`, which is gone (§17.2.4).
  virtual void on_server_transport_error(ServerTransactionId /*tx*/) {}

  // --- client side ---

  // A response for client transaction `tx`: each provisional, the final, and for INVITE every
  // 2xx (retransmitted or from another fork, RFC 6026) until timer M: the TU ACKs each 2xx
  // itself with TransactionLayer::send_ack. 3xx-6xx to INVITE were ACKed already (§17.1.1.3).
  virtual void on_response(ClientTransactionId tx, const Message& response) = 0;

  // Timer B or F fired (or a cancelled INVITE got no final response within 64*T1, §9.1):
  // the request timed out, handled as this locally made 408 (§8.1.3.1). `tx` is gone.
  virtual void on_client_timeout(ClientTransactionId tx, const Message& synthesized_408) = 0;

  // The transport could not deliver the request: handled as this locally made 503 (§8.1.3.1,
  // §17.1.4). `tx` is gone.
  virtual void on_client_transport_error(ClientTransactionId tx,
                                         const Message& synthesized_503) = 0;

  // A response that matched no client transaction (RFC 3261 §18.1.2: passed to the core). A
  // UA core mostly drops it; a stateful proxy may forward it.
  virtual void on_stray_response(const Message& /*response*/, const Peer& /*source*/) {}
};

}  // namespace sb::sip
