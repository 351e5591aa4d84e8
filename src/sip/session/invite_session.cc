// sip/session/invite_session.cc: what both roles share once a dialog exists: offers in
// re-INVITE and UPDATE either way (RFC 3264, RFC 3311) with glare (RFC 3261 §14.1), session
// timers (RFC 4028), requests the user answers, and the end of the session.
#include "sip/session/invite_session.h"

#include <spdlog/spdlog.h>

#include "sip/session/glare.h"
#include "sip/session/session_layer.h"

namespace sb::sip::session {
namespace {

constexpr int kGlareRetries = 3;

std::string_view reason_of(int status) {
  switch (status) {
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 480: return "Temporarily Unavailable";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 491: return "Request Pending";
    case 500: return "Server Internal Error";
    case 503: return "Service Unavailable";
    case 603: return "Decline";
    default: return status < 300 ? "OK" : "Rejected";
  }
}

}  // namespace

std::string_view session_state_name(SessionState state) {
  switch (state) {
    case SessionState::Incoming: return "incoming";
    case SessionState::Calling: return "calling";
    case SessionState::Accepted: return "accepted";
    case SessionState::Connected: return "connected";
    case SessionState::Ended: return "ended";
  }
  return "ended";
}

std::string_view end_reason_name(EndReason reason) {
  switch (reason) {
    case EndReason::RemoteHangup: return "remote-hangup";
    case EndReason::Cancelled: return "cancelled";
    case EndReason::Rejected: return "rejected";
    case EndReason::NoAck: return "no-ack";
    case EndReason::PrackTimeout: return "prack-timeout";
    case EndReason::SessionExpired: return "session-expired";
    case EndReason::DialogGone: return "dialog-gone";
  }
  return "remote-hangup";
}

void SessionUser::on_refer(InviteSession& session, ServerTransactionId tx, const Message&) {
  session.respond(tx, 403, "Transfer Not Allowed");
}
void SessionUser::on_info(InviteSession& session, ServerTransactionId tx, const Message&) {
  session.respond(tx, 200, "OK");
}
void SessionUser::on_request(InviteSession& session, ServerTransactionId tx, const Message&) {
  session.respond(tx, 200, "OK");
}

InviteSession::InviteSession(SessionLayer& layer, SessionUser& user, uint64_t id, SessionRole role)
    : layer_(layer),
      user_(user),
      id_(id),
      role_(role),
      state_(role == SessionRole::Uas ? SessionState::Incoming : SessionState::Calling) {}

Dialog* InviteSession::current_dialog() { return dialog_ ? layer_.stack().dialog(*dialog_) : nullptr; }

void InviteSession::on_request(ServerTransactionId tx, const Message& request) {
  switch (request.method()) {
    case Method::Invite:
    case Method::Update:
      return on_offer_request(tx, request);
    case Method::Prack:
      return on_prack(tx, request);
    case Method::Refer:
      return user_.on_refer(*this, tx, request);
    case Method::Info:
      return user_.on_info(*this, tx, request);
    default:
      return user_.on_request(*this, tx, request);
  }
}

// A re-INVITE or UPDATE from the far end: a refresh, an offer, or a request for ours.
void InviteSession::on_offer_request(ServerTransactionId tx, const Message& request) {
  Dialog* d = current_dialog();
  if (d == nullptr || !refresh_timer_from(tx, request)) {
    return;
  }
  const Method method = request.method();
  if (request.body().empty()) {
    // An UPDATE without a body only refreshes the session (RFC 4028 §7.4); a re-INVITE without
    // one asks for our offer, which goes in the 2xx and is answered in the ACK (RFC 3261 §14.2).
    if (method == Method::Invite && (local_sdp_.empty() || !offer_answer_.offer_sent(Method::Invite, request.cseq()))) {
      layer_.stack().answer_in_dialog(tx, *d, 491, "Request Pending");
      return;
    }
    ++layer_.stats_.refreshes;
    layer_.stack().answer_in_dialog(tx, *d, 200, "OK",
                                    method == Method::Invite ? answer_parts(local_sdp_) : answer_parts({}));
    return user_.on_refreshed(*this);
  }
  switch (offer_answer_.offer_received(method, request.cseq())) {
    case OfferClash::Glare:
      ++layer_.stats_.glare_491;
      return layer_.stack().answer_in_dialog(tx, *d, 491, "Request Pending");
    case OfferClash::Pending: {
      // RFC 3311 §5.2: 500 with a Retry-After between 0 and 10 seconds.
      ResponseParts parts;
      parts.headers.emplace_back("Retry-After", std::to_string(layer_.random() % 11));
      return layer_.stack().answer_in_dialog(tx, *d, 500, "Server Internal Error", std::move(parts));
    }
    case OfferClash::None:
      break;
  }
  if (request.body() == remote_sdp_ && !local_sdp_.empty() && offer_answer_.negotiated()) {
    // The same description again: a session refresh the user need not hear of.
    (void)offer_answer_.answer_sent();
    ++layer_.stats_.refreshes;
    layer_.stack().answer_in_dialog(tx, *d, 200, "OK", answer_parts(local_sdp_));
    return user_.on_refreshed(*this);
  }
  const MediaDirection direction = media_direction(request.body());
  offer_tx_ = tx;
  offered_sdp_ = std::string(request.body());
  user_.on_offer(*this, Offer{offered_sdp_, direction, is_hold(direction) != remote_hold_, method});
}

// RFC 4028 §9-10: a refresh restarts the session timer; one below our Min-SE gets 422.
bool InviteSession::refresh_timer_from(ServerTransactionId tx, const Message& request) {
  if (!timer_) {
    return true;
  }
  SessionTimerDecision decision = decide_session_timer(request, layer_.policy().timers);
  if (decision.reject_status == 422) {
    ResponseParts refusal;
    refusal.headers.emplace_back("Min-SE", decision.min_se_header);
    if (Dialog* d = current_dialog()) {
      layer_.stack().answer_in_dialog(tx, *d, 422, "Session Interval Too Small", std::move(refusal));
    }
    return false;
  }
  if (decision.timer) {
    timer_ = decision.timer;
  }
  arm_timer();
  return true;
}

Result<void> InviteSession::answer(std::string sdp) {
  Dialog* d = current_dialog();
  if (!offer_tx_ || d == nullptr) {
    return Error{"no offer waits for an answer", "offer", ErrorCode::Conflict};
  }
  if (!offer_answer_.answer_sent()) {
    return Error{"no offer waits for an answer", "offer", ErrorCode::Conflict};
  }
  const ServerTransactionId tx = *offer_tx_;
  offer_tx_.reset();
  remote_sdp_ = std::move(offered_sdp_);
  remote_hold_ = is_hold(media_direction(remote_sdp_));
  local_sdp_ = sdp;
  layer_.stack().answer_in_dialog(tx, *d, 200, "OK", answer_parts(std::move(sdp)));
  return {};
}

void InviteSession::refuse_offer(int status) {
  Dialog* d = current_dialog();
  if (!offer_tx_ || d == nullptr) {
    return;
  }
  if (auto cseq = offer_answer_.carrier_cseq()) {
    offer_answer_.rolled_back(*offer_answer_.carrier(), *cseq);
  }
  const ServerTransactionId tx = *offer_tx_;
  offer_tx_.reset();
  offered_sdp_.clear();
  layer_.stack().answer_in_dialog(tx, *d, status, reason_of(status));
}

Result<void> InviteSession::offer(std::string sdp) {
  Dialog* d = current_dialog();
  if (d == nullptr || is_ended()) {
    return Error{"the session has no dialog", "dialog", ErrorCode::NotFound};
  }
  if (!offer_answer_.is_idle()) {
    return Error{"an offer is outstanding", "offer", ErrorCode::Conflict};
  }
  Method method = Method::Invite;
  if (state_ != SessionState::Connected) {
    // RFC 3311 §5.1: in an early dialog only UPDATE can carry a new offer.
    if (!peer_allows_update_ || !offer_answer_.negotiated()) {
      return Error{"no new offer before the dialog is confirmed", "state", ErrorCode::Conflict};
    }
    method = Method::Update;
  }
  offering_sdp_ = std::move(sdp);
  glare_retries_left_ = kGlareRetries;
  return send_offer(method, false);
}

Result<void> InviteSession::send_offer(Method method, bool refresh) {
  RequestOptions options;
  if (method == Method::Invite || !offering_sdp_.empty()) {
    options.content_type = "application/sdp";
    options.body = offering_sdp_;
  }
  if (timer_) {
    options.headers.emplace_back("Supported", "timer");
    options.headers.emplace_back("Session-Expires",
                                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timer_->interval).count()) +
                                     (timer_->we_refresh() ? ";refresher=uac" : ";refresher=uas"));
  }
  Dialog* d = current_dialog();
  if (d == nullptr) {
    return Error{"the dialog has ended", "dialog", ErrorCode::NotFound};
  }
  // The dialog gives the request the next local CSeq (RFC 3261 §12.2.1.1).
  const uint32_t cseq = d->local_cseq() ? *d->local_cseq() + 1 : 1;
  const uint64_t id = id_;
  SessionLayer* layer = &layer_;
  auto on_response = [layer, id, method, cseq, refresh](const Message& response) {
    if (InviteSession* session = layer->find(id); session != nullptr && !session->is_ended()) {
      session->on_offer_response(method, cseq, refresh, response);
    }
  };
  auto tx = layer_.stack().request_in_dialog(*dialog_, method, options, std::move(on_response));
  if (!tx) {
    return tx.error();
  }
  if (!options.body.empty()) {
    (void)offer_answer_.offer_sent(method, cseq);
  }
  return {};
}

void InviteSession::on_offer_response(Method method, uint32_t cseq, bool refresh, const Message& response) {
  const int status = response.status();
  if (status >= 200 && status < 300) {
    if (auto t = session_timer_of_answer(response, layer_.policy().timers)) {
      timer_ = t;
    }
    arm_timer();
    if (offer_answer_.state() == OfferState::LocalOffer && offer_answer_.carrier_cseq() == cseq) {
      if (response.body().empty()) {
        offer_answer_.rolled_back(method, cseq);
        return user_.on_offer_refused(*this, status);
      }
      (void)offer_answer_.answer_received();
      local_sdp_ = offering_sdp_;
      if (refresh) {
        return take_answer(response.body());
      }
      remote_sdp_ = std::string(response.body());
      remote_hold_ = is_hold(media_direction(remote_sdp_));
      user_.on_answer(*this, remote_sdp_);
    }
    return;
  }
  offer_answer_.rolled_back(method, cseq);
  if (status == 481 || status == 408) {
    ending_ = Ended{EndReason::DialogGone, status};  // the stack ends the dialog next
    return;
  }
  if (status == 491 && glare_retries_left_-- > 0) {
    return retry_after_glare(method, refresh);
  }
  if (!refresh) {
    user_.on_offer_refused(*this, status);
  }
}

// RFC 3261 §14.1: after a 491, the owner of the Call-ID waits 2.1-4 s, the other side 0-2 s.
void InviteSession::retry_after_glare(Method method, bool refresh) {
  const Duration delay = glare_retry_delay(role_ == SessionRole::Uac, layer_.random());
  glare_timer_ = layer_.stack().timers().schedule(layer_.stack().clock().now() + delay, [this, method, refresh] {
    glare_timer_ = 0;
    if (is_ended() || !offer_answer_.is_idle()) {
      return user_.on_offer_refused(*this, 491);
    }
    ++layer_.stats_.glare_retries;
    if (auto sent = send_offer(method, refresh); !sent) {
      user_.on_offer_refused(*this, 491);
    }
  });
}

ResponseParts InviteSession::answer_parts(std::string sdp) const {
  ResponseParts parts;
  if (!sdp.empty()) {
    parts.content_type = "application/sdp";
    parts.body = std::move(sdp);
  }
  parts.headers = timer_headers();
  return parts;
}

Headers InviteSession::timer_headers() const {
  Headers headers;
  if (timer_) {
    headers.emplace_back("Session-Expires", timer_->header_value());
    if (timer_->refresher == Refresher::Uac) {
      headers.emplace_back("Require", "timer");
    }
  }
  return headers;
}

void InviteSession::arm_timer() {
  if (timer_id_ != 0) {
    layer_.stack().timers().cancel(timer_id_);
    timer_id_ = 0;
  }
  if (!timer_ || is_ended() || state_ == SessionState::Incoming || state_ == SessionState::Calling) {
    return;
  }
  const Duration after = timer_->we_refresh() ? timer_->our_refresh_after() : timer_->expiry_after_refresh();
  timer_id_ = layer_.stack().timers().schedule(layer_.stack().clock().now() + after, [this] {
    timer_id_ = 0;
    on_timer();
  });
}

void InviteSession::on_timer() {
  if (timer_ && timer_->we_refresh()) {
    return refresh();
  }
  // RFC 4028 §10: no refresh came in time: BYE, and the session is over.
  ++layer_.stats_.expired;
  spdlog::info("sip: session of Call-ID {} expired without a refresh", dialog_ ? dialog_->call_id : std::string());
  const std::optional<DialogId> dialog = dialog_;
  terminate({EndReason::SessionExpired, 0});
  if (dialog) {
    layer_.stack().hang_up(*dialog);
  }
}

// Our turn to refresh (RFC 4028 §7.4): an UPDATE without a body when the peer takes UPDATE,
// else a re-INVITE with the description we last sent.
void InviteSession::refresh() {
  if (!offer_answer_.is_idle()) {
    // An exchange is under way; its 2xx will re-arm the timer, or we try again soon.
    timer_id_ = layer_.stack().timers().schedule(layer_.stack().clock().now() + std::chrono::seconds(2), [this] {
      timer_id_ = 0;
      on_timer();
    });
    return;
  }
  const Method method = peer_allows_update_ ? Method::Update : Method::Invite;
  offering_sdp_ = method == Method::Update ? std::string() : local_sdp_;
  glare_retries_left_ = kGlareRetries;
  if (auto sent = send_offer(method, true); !sent) {
    spdlog::debug("sip: session refresh not sent: {}", sent.error().to_string());
  }
}

void InviteSession::respond(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts) {
  if (Dialog* d = current_dialog()) {
    layer_.stack().answer_in_dialog(tx, *d, status, reason, std::move(parts));
  }
}

Result<ClientTransactionId> InviteSession::request(Method method, RequestOptions options, InDialogResponse on_response) {
  if (method == Method::Invite || method == Method::Update || method == Method::Prack || method == Method::Bye ||
      method == Method::Ack || method == Method::Cancel) {
    return Error{"the session sends " + std::string(method_name(method)) + " itself", "method", ErrorCode::Invalid};
  }
  if (!dialog_ || is_ended()) {
    return Error{"the session has no dialog", "dialog", ErrorCode::NotFound};
  }
  return layer_.stack().request_in_dialog(*dialog_, method, options, std::move(on_response));
}

void InviteSession::end(int status_if_unanswered) {
  if (is_ended()) {
    return;
  }
  if (role_ == SessionRole::Uas && state_ == SessionState::Incoming) {
    return reject(status_if_unanswered, reason_of(status_if_unanswered));
  }
  const std::optional<DialogId> dialog = dialog_;
  const std::optional<client::UacRequestId> request = uac_request_;
  finish();
  if (role_ == SessionRole::Uac && request && !dialog) {
    return layer_.stack().cancel_invite(*request);
  }
  if (dialog) {
    layer_.stack().hang_up(*dialog, status_if_unanswered);
  }
}

void InviteSession::on_dialog_ended() {
  Ended ended{EndReason::RemoteHangup, 0};
  if (ending_) {
    ended = *ending_;
  } else if (state_ == SessionState::Accepted) {
    ended.reason = EndReason::NoAck;
  } else if (role_ == SessionRole::Uas && state_ == SessionState::Incoming) {
    ended = {EndReason::Cancelled, 487};
  }
  terminate(ended);
}

void InviteSession::terminate(Ended ended) {
  if (is_ended()) {
    return;
  }
  finish();
  user_.on_terminated(*this, ended);
}

void InviteSession::finish() {
  state_ = SessionState::Ended;
  for (TimerId* t : {&timer_id_, &glare_timer_, &reliable_timer_}) {
    if (*t != 0) {
      layer_.stack().timers().cancel(*t);
      *t = 0;
    }
  }
  layer_.schedule_reap();
}

}  // namespace sb::sip::session
