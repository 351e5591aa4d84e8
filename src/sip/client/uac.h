// sip/client/uac.h: the UAC core (RFC 3261 §8.1): builds out-of-dialog requests, sends them
// through the transaction layer, and answers 401/407 digest challenges (§22.2) once per round.
// Pure: no I/O, no threads. Not a dialog layer: it neither ACKs a 2xx nor keeps route sets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/timer_queue.h"
#include "sip/auth/digest_client.h"
#include "sip/client/request_spec.h"
#include "sip/client/uac_config.h"
#include "sip/dialog/id_generator.h"
#include "sip/message.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transaction_state.h"
#include "sip/transport/peer.h"

namespace sb::sip::client {

// A request as the caller knows it: stays the same across the authorized re-sends, each of
// which is a new client transaction. Never reused by a Uac.
struct UacRequestId {
  uint64_t value = 0;  // 0: none
  friend bool operator==(const UacRequestId&, const UacRequestId&) = default;
};

// Each provisional response, then the final one; for INVITE every 2xx (retransmitted or
// forked) until the transaction ends. A timeout comes as the layer's 408, a transport failure
// as its 503. A 401/407 the Uac answered never comes; one it gives up on does, as the final.
using ResponseCallback = std::function<void(const Message& response)>;

// Single-threaded, on the transaction layer's thread. The layer, clock and timer queue must
// outlive the Uac; destroying the Uac cancels its timers and forgets its requests (their
// transactions run out in the layer, and on_response() etc. then answer false).
//
// The TransactionUser that owns the layer forwards every client-side callback:
//   void on_response(ClientTransactionId tx, const Message& m) override {
//     if (uac_.on_response(tx, m)) return;
//     dialogs_.on_response(tx, m);  // or whoever else sends requests through the layer
//   }
// and the same for on_client_timeout and on_client_transport_error.
//
// The callback never runs inside send(): a transport failure the layer reports while
// send_request() has not yet returned the transaction id is delivered from a zero-delay timer.
//
// INVITE: provisional responses and every 2xx reach the callback; a 401/407 is answered like
// for any method (the layer has ACKed it, §17.1.1.3). The ACK for a 2xx is the caller's (the
// dialog layer builds it from last_request() and the 2xx, and sends it with
// TransactionLayer::send_ack, once per 2xx received); cancel() sends the CANCEL.
class Uac {
 public:
  Uac(TransactionLayer& layer, const Clock& clock, TimerQueue& timers, UacConfig config = {});
  ~Uac();
  Uac(const Uac&) = delete;
  Uac& operator=(const Uac&) = delete;

  // Builds the request of `spec` (Via with a fresh branch and the configured sent-by, the
  // transport token of `destination`, Max-Forwards, CSeq, Call-ID, From tag) and opens a client
  // transaction to `destination` (numeric, resolved by the caller). With `credentials`, a
  // 401/407 for their realm is answered by sending the request again: same Call-ID and From
  // tag, CSeq + 1, a new branch, Authorization / Proxy-Authorization (credentials given for
  // the proxy stay on later re-sends). A challenge after credentials for that realm were sent
  // means they were refused and is delivered, unless it says stale=true with a new nonce;
  // UacConfig::max_auth_rounds bounds the rest. Fails, sending nothing and never calling
  // `callback`, when the spec is incomplete (method, Request-URI, From), names a managed header,
  // has no sent-by for the transport, does not build, or the layer refuses it.
  Result<UacRequestId> send(RequestSpec spec, const Peer& destination,
                            std::optional<Credentials> credentials, ResponseCallback callback);

  // Cancels INVITE `request` (RFC 3261 §9.1) through TransactionLayer::cancel on its current
  // transaction: the 487 (or the 2xx that won) reaches the callback. Fails for an unknown
  // request, one that is not an INVITE, or one with a final response.
  Result<CancelState> cancel(UacRequestId request);

  // Never calls the callback of `request` again; its responses are still claimed (and
  // dropped) until it ends. For an owner that goes away first. An abandoned INVITE that gets
  // a 2xx is not ACKed: cancel it first.
  void abandon(UacRequestId request);

  // Client callbacks forwarded by the TransactionUser: true when `tx` is one of this Uac's
  // (the response was handled), false when it belongs to someone else.
  bool on_response(ClientTransactionId tx, const Message& response);
  bool on_client_timeout(ClientTransactionId tx, const Message& synthesized_408);
  bool on_client_transport_error(ClientTransactionId tx, const Message& synthesized_503);

  // The id mapping, for the INVITE use case (cancel, ACK, matching dialog events). The current
  // transaction changes with each authorized re-send.
  std::optional<ClientTransactionId> transaction_of(UacRequestId request) const;
  std::optional<UacRequestId> request_of(ClientTransactionId tx) const;
  // The request as last sent (with its credentials); nullptr once `request` is forgotten.
  const Message* last_request(UacRequestId request) const;
  size_t outstanding() const { return requests_.size(); }

  // Fresh identifiers from the Uac's generator, for callers that keep a Call-ID or From tag
  // across requests (registration refreshes).
  std::string make_call_id();
  std::string make_tag();

 private:
  struct Outstanding {
    UacRequestId id;
    RequestSpec spec;  // call_id, from_tag and cseq filled in
    Peer destination;
    std::optional<Credentials> credentials;
    ResponseCallback callback;
    ClientTransactionId tx;
    std::optional<Message> request;           // as last sent
    std::optional<auth::DigestClient> www;    // answers 401s
    std::optional<auth::DigestClient> proxy;  // answers 407s
    int auth_rounds = 0;
    bool accepted = false;               // INVITE with a 2xx: lingers for retransmissions and forks
    TimerId timer = 0;                   // the linger, or the early delivery of a failure
    std::optional<Message> early_final;  // a failure reported before send_request returned
  };
  struct EarlyReport {
    ClientTransactionId tx;
    Message response;
  };

  Result<Message> build(Outstanding& r, const std::string& branch);
  Result<ClientTransactionId> transmit(Outstanding& r);
  bool answer_challenge(Outstanding& r, const Message& response);
  bool report(ClientTransactionId tx, const Message& response);
  void deliver(UacRequestId id, const Message& response, bool final);
  void forget(uint64_t id);
  void deliver_early(uint64_t id);
  void linger_expired(uint64_t id);
  Outstanding* find(UacRequestId id);
  const Outstanding* find(UacRequestId id) const;

  TransactionLayer& layer_;
  const Clock& clock_;
  TimerQueue& timers_;
  UacConfig config_;
  IdGenerator ids_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, Outstanding> requests_;  // by UacRequestId
  std::unordered_map<uint64_t, uint64_t> by_tx_;        // ClientTransactionId -> UacRequestId
  int sending_ = 0;                                     // inside TransactionLayer::send_request
  std::vector<EarlyReport> early_;
};

}  // namespace sb::sip::client
