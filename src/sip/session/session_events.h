// sip/session/session_events.h: what an invite session tells its user (the call layer), as
// typed events: an incoming call, progress, offers and answers, connected, hold seen in the
// far end's description, refresh, REFER and INFO, and the end with its reason. The user
// implements SessionUser; every callback runs on the control thread, and the session may be
// acted on (answered, ended) from inside it.
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/message.h"
#include "sip/session/sdp_direction.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transport/peer.h"

namespace sb::sip::session {

class InviteSession;

enum class EndReason : uint8_t {
  RemoteHangup,    // BYE from the far end
  Cancelled,       // the caller CANCELled its INVITE before we answered
  Rejected,        // our INVITE got a final non-2xx (Ended::status says which; 408 on timeout)
  NoAck,           // our 2xx was never ACKed (RFC 3261 §13.3.1.4)
  PrackTimeout,    // our reliable 1xx was never PRACKed (RFC 3262 §3)
  SessionExpired,  // no refresh within the session interval (RFC 4028 §10)
  DialogGone,      // a request in the dialog got 481 or 408: the far end forgot us
};

std::string_view end_reason_name(EndReason reason);  // "remote-hangup", "session-expired", ...

struct Ended {
  EndReason reason = EndReason::RemoteHangup;
  int status = 0;  // the final response, for Rejected
};

// An offer from the far end that the user must answer (InviteSession::answer) or refuse
// (InviteSession::refuse_offer). A refresh that repeats the last offer is answered by the
// session itself and reported as on_refreshed, never as an offer.
struct Offer {
  std::string_view sdp;
  MediaDirection direction = MediaDirection::SendRecv;  // as the far end states it
  bool hold_changed = false;  // is_hold(direction) differs from the previous offer's
  Method carrier = Method::Invite;
};

class SessionUser {
 public:
  virtual ~SessionUser() = default;
  // A new UAS session for an INVITE out of any dialog. Its offer, if any, is remote_sdp().
  // Session timers were negotiated (a 422 already went out for a too small interval). Answer
  // with provisional(), accept() or reject(), now or later.
  virtual void on_incoming(InviteSession& session, const Message& invite, const Peer& source) = 0;
  // A provisional response to our INVITE (UAC), after its answer, if it had one, was reported.
  virtual void on_progress(InviteSession& /*session*/, const Message& /*provisional*/) {}
  virtual void on_offer(InviteSession& session, const Offer& offer) = 0;
  // The far end answered our offer (in a 1xx, 2xx, ACK, PRACK or the 2xx of UPDATE). Early
  // forks may answer differently: each different answer is reported.
  virtual void on_answer(InviteSession& session, std::string_view sdp) = 0;
  // Our re-INVITE or UPDATE was refused with `status` (after the glare retries): the previous
  // session description stands.
  virtual void on_offer_refused(InviteSession& /*session*/, int /*status*/) {}
  virtual void on_connected(InviteSession& session) = 0;
  virtual void on_refreshed(InviteSession& /*session*/) {}
  // REFER, INFO and the other requests inside the dialog: the user answers each with
  // InviteSession::respond(). The defaults answer 403 (REFER) and 200 (the others).
  virtual void on_refer(InviteSession& session, ServerTransactionId tx, const Message& refer);
  virtual void on_info(InviteSession& session, ServerTransactionId tx, const Message& info);
  virtual void on_request(InviteSession& session, ServerTransactionId tx, const Message& request);
  // The session ended for `ended.reason`. Not called for an end() of the user's own.
  virtual void on_terminated(InviteSession& session, const Ended& ended) = 0;
};

}  // namespace sb::sip::session
