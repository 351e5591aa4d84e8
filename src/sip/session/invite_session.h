// sip/session/invite_session.h: one INVITE dialog as its user sees it, UAS or UAC (in the
// spirit of reSIProcate's InviteSession): it owns the offer/answer turns (offer_answer.h),
// re-INVITE and UPDATE in both directions, glare (491 and the §14.1 retry), session timers in
// both roles (RFC 4028), reliable provisional responses (RFC 3262) and the early dialogs of
// forks, and tells its SessionUser what happened as typed events. SDP bodies are opaque: the
// user decides them (through media/). Created and owned by SessionLayer; the control thread
// only. Not the dialog bookkeeping (sip/dialog/) nor the transactions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sip/session/offer_answer.h"
#include "sip/session/reliable_provisional.h"
#include "sip/session/session_events.h"
#include "sip/session/session_timer.h"
#include "sip/session/stack_port.h"

namespace sb::sip::session {

enum class SessionRole : uint8_t { Uac, Uas };

enum class SessionState : uint8_t {
  Incoming,   // UAS: their INVITE is here and not answered finally
  Calling,    // UAC: our INVITE is out, no final response yet
  Accepted,   // UAS: our 2xx is out, its ACK not in
  Connected,  // the dialog is confirmed
  Ended,
};

std::string_view session_state_name(SessionState state);

using Headers = std::vector<std::pair<std::string, std::string>>;

struct SessionPolicy {
  SessionTimerPolicy timers;
  Duration t1 = std::chrono::milliseconds(500);  // RFC 3261 T1, for reliable 1xx resends
  bool reliable_early_media = true;  // a 183 with SDP goes reliably when the peer supports 100rel
};

class SessionLayer;

class InviteSession {
 public:
  uint64_t id() const { return id_; }
  SessionRole role() const { return role_; }
  SessionState state() const { return state_; }
  bool is_ended() const { return state_ == SessionState::Ended; }
  // The confirmed dialog, or the latest early one; none before any dialog exists.
  const std::optional<DialogId>& dialog() const { return dialog_; }
  const OfferAnswer& offer_answer() const { return offer_answer_; }
  const std::string& local_sdp() const { return local_sdp_; }    // the last we sent
  const std::string& remote_sdp() const { return remote_sdp_; }  // the last they sent
  bool remote_hold() const { return remote_hold_; }              // their description holds us
  const std::optional<SessionTimer>& timer() const { return timer_; }
  // Opaque to the session: the user's own reference (its call and leg).
  uint64_t user_tag = 0;

  // --- UAS: answering the INVITE that made the session ---
  // A 1xx (180, 183) with our To tag, making the early dialog. With `sdp` (early media) it is
  // sent reliably when the caller supports 100rel (then its PRACK completes the exchange),
  // else it is a preview that accept() must repeat. Fails when answered finally already.
  Result<void> provisional(int status, std::string_view reason, std::string sdp = {}, Headers headers = {});
  // 200 OK with `sdp` (their offer's answer, or our offer when the INVITE had none) and the
  // session timer headers. Waits for the PRACK of a reliable 1xx that carried SDP (§3).
  Result<void> accept(std::string sdp, Headers headers = {});
  // A final non-2xx; the session ends without an on_terminated.
  void reject(int status, std::string_view reason, Headers headers = {});

  // --- both roles, once there is a dialog ---
  // A new offer: a re-INVITE in a confirmed dialog, an UPDATE in an early one (RFC 3311).
  // Fails (Conflict) while an offer is outstanding either way; a 491 is retried after the
  // §14.1 delay, any other refusal comes as on_offer_refused.
  Result<void> offer(std::string sdp);
  // Answers the offer reported by on_offer; refuse_offer() answers 488 (or `status`) and
  // rolls the offer back.
  Result<void> answer(std::string sdp);
  void refuse_offer(int status = 488);
  // A response to a REFER, INFO or other request the user was handed.
  void respond(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts = {});
  // A request inside the dialog (NOTIFY, INFO, REFER); not INVITE, UPDATE, PRACK or BYE.
  Result<ClientTransactionId> request(Method method, RequestOptions options, InDialogResponse on_response = {});
  // Hangs up however the state allows (a final `status_if_unanswered`, CANCEL, BYE). Quiet:
  // no on_terminated follows.
  void end(int status_if_unanswered = 480);

 private:
  friend class SessionLayer;
  InviteSession(SessionLayer& layer, SessionUser& user, uint64_t id, SessionRole role);

  // invite_session_uas.cc
  void start_uas(ServerTransactionId tx, const Message& invite, const Peer& source, uint32_t first_rseq);
  void on_ack(const Message& ack);
  void on_prack(ServerTransactionId tx, const Message& prack);
  void send_reliable(int status, std::string reason, ResponseParts parts);
  void retransmit_reliable();
  void send_accept();
  Result<void> open_early_dialog(int status, std::string_view reason, ResponseParts parts);
  // invite_session_uac.cc
  Result<void> start_uac(OutgoingInvite invite);
  void on_invite_response(const Message& response, Dialog* dialog);
  void on_provisional(const Message& response, Dialog* dialog);
  void on_invite_2xx(const Message& response, Dialog& dialog);
  void prack(const Message& provisional, const DialogId& fork, uint32_t rseq);
  void take_answer(std::string_view sdp);
  // invite_session.cc
  void on_request(ServerTransactionId tx, const Message& request);
  void on_offer_request(ServerTransactionId tx, const Message& request);
  bool refresh_timer_from(ServerTransactionId tx, const Message& request);
  void on_offer_response(Method method, uint32_t cseq, bool refresh, const Message& response);
  Result<void> send_offer(Method method, bool refresh);
  void retry_after_glare(Method method, bool refresh);
  ResponseParts answer_parts(std::string sdp) const;
  Headers timer_headers() const;
  void arm_timer();
  void on_timer();
  void refresh();
  void on_dialog_ended();
  void terminate(Ended ended);
  void finish();
  Dialog* current_dialog();

  SessionLayer& layer_;
  SessionUser& user_;
  uint64_t id_;
  SessionRole role_;
  SessionState state_;
  std::optional<DialogId> dialog_;
  OfferAnswer offer_answer_;
  std::string local_sdp_;
  std::string remote_sdp_;
  bool remote_hold_ = false;
  bool peer_allows_update_ = false;
  bool peer_supports_100rel_ = false;
  bool peer_requires_100rel_ = false;
  std::optional<SessionTimer> timer_;
  TimerId timer_id_ = 0;
  TimerId glare_timer_ = 0;
  std::optional<std::string> glare_retry_sdp_;
  std::optional<Ended> ending_;  // why, when the stack is about to end the dialog
  std::vector<DialogId> indexed_;  // every dialog of this session the layer maps to it
  // UAS
  std::optional<ServerTransactionId> invite_tx_;
  uint32_t invite_cseq_ = 0;
  Peer source_;
  std::optional<ReliableSender> reliable_;
  struct Sent1xx {
    int status = 0;
    std::string reason;
    ResponseParts parts;
  };
  std::optional<Sent1xx> unacked_1xx_;  // the reliable 1xx being retransmitted
  TimerId reliable_timer_ = 0;
  std::optional<ResponseParts> deferred_accept_;  // a 2xx waiting for the PRACK (§3)
  std::string early_preview_;  // the SDP of an unreliable 183: the 2xx repeats it
  // UAC
  std::optional<client::UacRequestId> uac_request_;
  std::map<std::string, ReliableReceiver, std::less<>> forks_;  // by To tag
  // The offer in the far end's request, awaiting the user's answer.
  std::optional<ServerTransactionId> offer_tx_;
  std::string offered_sdp_;
  // Our offer in a re-INVITE or UPDATE, until answered; glare retries left for it.
  std::string offering_sdp_;
  int glare_retries_left_ = 0;
};

}  // namespace sb::sip::session
