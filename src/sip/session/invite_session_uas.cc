// sip/session/invite_session_uas.cc: the session as UAS: the INVITE that made it, its
// provisional responses (reliable ones retransmitted until PRACKed, RFC 3262 §3), the 2xx and
// the ACK that confirms it.
#include <spdlog/spdlog.h>

#include "sip/session/invite_session.h"
#include "sip/session/session_layer.h"

namespace sb::sip::session {

void InviteSession::start_uas(ServerTransactionId tx, const Message& invite, const Peer& source,
                              uint32_t first_rseq) {
  invite_tx_ = tx;
  invite_cseq_ = invite.cseq();
  source_ = source;
  reliable_.emplace(first_rseq);
  peer_supports_100rel_ = supports_option(invite, "100rel");
  peer_requires_100rel_ = requires_option(invite, "100rel");
  peer_allows_update_ = allows_method(invite, Method::Update);
  SessionTimerDecision decision = decide_session_timer(invite, layer_.policy().timers);
  if (decision.reject_status == 422) {
    ResponseParts refusal;
    refusal.headers.emplace_back("Min-SE", decision.min_se_header);
    layer_.stack().reply(tx, 422, "Session Interval Too Small", std::move(refusal));
    return finish();
  }
  if (decision.reject_status != 0) {
    layer_.stack().reply(tx, 400, "Bad Session-Expires");
    return finish();
  }
  timer_ = decision.timer;
  if (!invite.body().empty()) {
    remote_sdp_ = std::string(invite.body());
    remote_hold_ = is_hold(media_direction(remote_sdp_));
    (void)offer_answer_.offer_received(Method::Invite, invite_cseq_);
  }
  user_.on_incoming(*this, invite, source);
}

Result<void> InviteSession::open_early_dialog(int status, std::string_view reason, ResponseParts parts) {
  if (dialog_) {
    if (Dialog* d = current_dialog()) {
      layer_.stack().answer_in_dialog(*invite_tx_, *d, status, reason, std::move(parts));
      return {};
    }
    return Error{"the dialog has ended", "dialog", ErrorCode::NotFound};
  }
  Dialog* d = layer_.stack().accept_invite(*invite_tx_, source_, status, reason, std::move(parts));
  if (d == nullptr) {
    terminate({EndReason::Rejected, 400});
    return Error{"no dialog could be made from the INVITE", "dialog", ErrorCode::Invalid};
  }
  dialog_ = d->id();
  layer_.index(*this, *dialog_);
  return {};
}

Result<void> InviteSession::provisional(int status, std::string_view reason, std::string sdp, Headers headers) {
  if (role_ != SessionRole::Uas || state_ != SessionState::Incoming) {
    return Error{"the INVITE is answered already", "state", ErrorCode::Conflict};
  }
  if (status <= 100 || status >= 200) {
    return Error{"a provisional status is 101 to 199", "status", ErrorCode::Invalid};
  }
  ResponseParts parts;
  parts.headers = std::move(headers);
  if (!sdp.empty()) {
    parts.content_type = "application/sdp";
    parts.body = sdp;
  }
  // RFC 3262 §3: with Require: 100rel every 1xx must be reliable; with Supported, we make
  // early media reliable so the caller surely gets it.
  const bool reliable =
      peer_requires_100rel_ || (peer_supports_100rel_ && !sdp.empty() && layer_.policy().reliable_early_media);
  if (!reliable) {
    if (!sdp.empty()) {
      early_preview_ = sdp;  // RFC 3261 §13.3.1: the 2xx must carry the same answer
      local_sdp_ = std::move(sdp);
    }
    return open_early_dialog(status, reason, std::move(parts));
  }
  if (!reliable_->can_send()) {
    return Error{"a reliable provisional response is still unacknowledged", "100rel", ErrorCode::Conflict};
  }
  if (!sdp.empty()) {
    if (offer_answer_.state() == OfferState::RemoteOffer) {
      (void)offer_answer_.answer_sent();
    } else if (offer_answer_.is_idle() && !offer_answer_.negotiated()) {
      (void)offer_answer_.offer_sent(Method::Invite, invite_cseq_);  // answered in the PRACK
    }
    early_preview_ = sdp;
    local_sdp_ = std::move(sdp);
  }
  send_reliable(status, std::string(reason), std::move(parts));
  return {};
}

void InviteSession::send_reliable(int status, std::string reason, ResponseParts parts) {
  const uint32_t rseq =
      reliable_->sent(invite_cseq_, !parts.body.empty(), layer_.stack().clock().now(), layer_.policy().t1);
  parts.headers.emplace_back("Require", "100rel");
  parts.headers.emplace_back("RSeq", std::to_string(rseq));
  ++layer_.stats_.reliable_1xx;
  if (!open_early_dialog(status, reason, parts)) {
    return;
  }
  unacked_1xx_ = Sent1xx{status, std::move(reason), std::move(parts)};
  reliable_timer_ = layer_.stack().timers().schedule(*reliable_->next_retransmit(), [this] {
    reliable_timer_ = 0;
    retransmit_reliable();
  });
}

void InviteSession::retransmit_reliable() {
  if (!unacked_1xx_ || state_ != SessionState::Incoming) {
    return;
  }
  if (!reliable_->retransmitted(layer_.stack().clock().now())) {
    // RFC 3262 §3: no PRACK within 64*T1: the UAS SHOULD reject the INVITE with a 5xx.
    spdlog::info("sip: no PRACK for the reliable {} of Call-ID {}", unacked_1xx_->status,
                 dialog_ ? dialog_->call_id : std::string());
    Dialog* d = current_dialog();
    terminate({EndReason::PrackTimeout, 504});
    if (d != nullptr) {
      layer_.stack().answer_in_dialog(*invite_tx_, *d, 504, "Provisional Response Not Acknowledged");
    }
    return;
  }
  if (Dialog* d = current_dialog()) {
    layer_.stack().answer_in_dialog(*invite_tx_, *d, unacked_1xx_->status, unacked_1xx_->reason, unacked_1xx_->parts);
  }
  reliable_timer_ = layer_.stack().timers().schedule(*reliable_->next_retransmit(), [this] {
    reliable_timer_ = 0;
    retransmit_reliable();
  });
}

void InviteSession::on_prack(ServerTransactionId tx, const Message& prack) {
  Dialog* d = current_dialog();
  if (d == nullptr) {
    return;
  }
  auto rack = prack.first(HeaderName::RAck);
  auto parsed = rack ? parse_rack(*rack) : std::nullopt;
  if (!parsed || !reliable_->prack_received(*parsed)) {
    // RFC 3262 §3: a PRACK that matches no unacknowledged reliable 1xx gets 481.
    layer_.stack().answer_in_dialog(tx, *d, 481, "Call/Transaction Does Not Exist");
    return;
  }
  unacked_1xx_.reset();
  if (reliable_timer_ != 0) {
    layer_.stack().timers().cancel(reliable_timer_);
    reliable_timer_ = 0;
  }
  const bool answers_ours = !prack.body().empty() && offer_answer_.state() == OfferState::LocalOffer;
  layer_.stack().answer_in_dialog(tx, *d, 200, "OK");
  if (answers_ours) {
    (void)offer_answer_.answer_received();
    take_answer(prack.body());
  }
  if (deferred_accept_ && !reliable_->final_2xx_must_wait()) {
    send_accept();
  }
}

Result<void> InviteSession::accept(std::string sdp, Headers headers) {
  if (role_ != SessionRole::Uas || state_ != SessionState::Incoming) {
    return Error{"the INVITE is answered already", "state", ErrorCode::Conflict};
  }
  if (offer_answer_.negotiated() && offer_answer_.is_idle()) {
    // An answer went in a reliable 1xx (and UPDATEs may have changed it since): the 2xx
    // repeats the latest description, never a new one (RFC 6337 §3.1).
    sdp = local_sdp_;
  } else if (!early_preview_.empty()) {
    // RFC 3261 §13.3.1: the answer in the 2xx repeats the one previewed in an unreliable 1xx.
    sdp = early_preview_;
  }
  if (offer_answer_.state() == OfferState::RemoteOffer) {
    if (sdp.empty()) {
      return Error{"the caller's offer needs an answer", "sdp", ErrorCode::Invalid};
    }
    (void)offer_answer_.answer_sent();
  } else if (offer_answer_.is_idle() && !offer_answer_.negotiated()) {
    if (sdp.empty()) {
      return Error{"an INVITE without an offer needs ours in the 2xx", "sdp", ErrorCode::Invalid};
    }
    (void)offer_answer_.offer_sent(Method::Invite, invite_cseq_);  // answered in the ACK
  }
  if (!sdp.empty()) {
    local_sdp_ = sdp;
  }
  ResponseParts parts = answer_parts(std::move(sdp));
  for (auto& h : headers) {
    parts.headers.push_back(std::move(h));
  }
  deferred_accept_ = std::move(parts);
  if (reliable_->final_2xx_must_wait()) {
    return {};  // sent by on_prack()
  }
  send_accept();
  return {};
}

void InviteSession::send_accept() {
  ResponseParts parts = std::move(*deferred_accept_);
  deferred_accept_.reset();
  if (!open_early_dialog(200, "OK", std::move(parts))) {
    return;
  }
  state_ = SessionState::Accepted;
  arm_timer();
}

void InviteSession::reject(int status, std::string_view reason, Headers headers) {
  if (role_ != SessionRole::Uas || state_ != SessionState::Incoming) {
    return end(status);
  }
  ResponseParts parts;
  parts.headers = std::move(headers);
  Dialog* d = current_dialog();
  finish();  // first: the dialog's end that follows is ours, not news for the user
  if (d != nullptr) {
    layer_.stack().answer_in_dialog(*invite_tx_, *d, status, reason, std::move(parts));
  } else {
    layer_.stack().reply(*invite_tx_, status, reason, std::move(parts));
  }
}

void InviteSession::on_ack(const Message& ack) {
  // Our offer in a 2xx (to an INVITE or re-INVITE without one) is answered in the ACK.
  if (offer_answer_.state() == OfferState::LocalOffer && offer_answer_.carrier() == Method::Invite) {
    if (!ack.body().empty()) {
      (void)offer_answer_.answer_received();
      take_answer(ack.body());
    } else {
      offer_answer_.rolled_back(Method::Invite, *offer_answer_.carrier_cseq());
    }
  }
  if (state_ == SessionState::Accepted) {
    state_ = SessionState::Connected;
    user_.on_connected(*this);
  }
}

}  // namespace sb::sip::session
