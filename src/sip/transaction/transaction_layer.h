// sip/transaction/transaction_layer.h: the SIP transaction layer (RFC 3261 §17, with RFC 6026):
// matches what the transport parsed to transactions, runs their timers and retransmissions, and
// talks to one TransactionUser above. Pure: no I/O, no threads; time from a Clock, timers on a
// TimerQueue the owner drives, bytes out through a TransportSender.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/timer_queue.h"
#include "sip/message.h"
#include "sip/transaction/transaction_config.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transaction/transaction_state.h"
#include "sip/transaction/transaction_stats.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// Single-threaded: every call, and run_due() of the TimerQueue, on the same thread. The clock,
// timer queue, sender and TU must outlive the layer; destroying the layer cancels its timers
// and drops its transactions without telling the TU.
class TransactionLayer {
 public:
  TransactionLayer(const Clock& clock, TimerQueue& timers, TransportSender& sender,
                   TransactionUser& tu, TransactionConfig config = {});
  ~TransactionLayer();
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // Everything the transport parsed. Requests: a retransmission is absorbed (and answered with
  // the latest response), a new one opens a server transaction and goes to the TU, an ACK ends
  // in its INVITE transaction or goes to TU::on_ack, a CANCEL is answered here (200 + 487, or
  // 481). Responses go to their client transaction, or to TU::on_stray_response.
  void receive(Message message, const Peer& source);

  // Sends the TU's response on server transaction `tx`, to response_destination(top Via,
  // source). Returns the transaction's new state. Fails, sending nothing, for an unknown or
  // ended transaction, a message that is not a response to its request, or a response the
  // state forbids (a second final, a provisional after a 2xx).
  // A 2xx to INVITE is never retransmitted by the layer: RFC 3261 §13.3.1.4 gives that to the
  // UAS core. The TU sends the same 2xx again through respond() (allowed in Accepted, which
  // lasts the 64*T1 of that duty) until TU::on_ack brings its ACK.
  Result<TransactionState> respond(ServerTransactionId tx, Message response);

  // Opens a client transaction for `request` and sends it to `destination` (already resolved,
  // RFC 3263 is the caller's business). The caller put a top Via with a branch from
  // make_branch(). Fails for a response, an ACK (see send_ack), a top Via without the
  // z9hG4bK cookie, or a branch and method already in use.
  Result<ClientTransactionId> send_request(Message request, const Peer& destination);

  // Cancels client INVITE transaction `invite_tx` (RFC 3261 §9.1): the CANCEL is built from the
  // INVITE and sent as its own non-INVITE transaction, now or when the first provisional
  // arrives. Its answers stay here; the TU learns the outcome from the INVITE's final response
  // (487, or the 2xx that won the race). Fails for an unknown or non-INVITE transaction, or one
  // that already has a final response.
  Result<CancelState> cancel(ClientTransactionId invite_tx);

  // The ACK for a 2xx, which is no transaction (RFC 3261 §17.1.1.3, §13.2.2.4): sent as is.
  // The TU builds it (it needs the dialog's route set) and sends it again for each repeated
  // 2xx it receives. false, sending nothing, for anything but an ACK.
  bool send_ack(const Message& ack, const Peer& destination);

  // The transport could not reach `peer` (connection refused or lost): every transaction
  // whose messages go there (same transport, address and port) ends, and the TU is told
  // (§17.1.4, §17.2.4). Safe to call from inside TransportSender::send.
  void transport_failed(const Peer& peer);

  // A fresh Via branch with the magic cookie, and a fresh From/To tag.
  std::string make_branch();
  std::string make_tag();

  // nullopt once the transaction has ended and been freed.
  std::optional<TransactionState> state(ServerTransactionId tx) const;
  std::optional<TransactionState> state(ClientTransactionId tx) const;
  // The request a server transaction was opened for; nullptr once it has been freed.
  const Message* request(ServerTransactionId tx) const;

  size_t active_server_transactions() const;
  size_t active_client_transactions() const;
  const TransactionStats& stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::sip
