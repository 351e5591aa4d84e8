// sip/session/invite_session_uac.cc: the session as UAC: our INVITE, the provisional
// responses of each fork (PRACKed in order when reliable, RFC 3262 §4), early media answers,
// and the 2xx that confirms one dialog. The stack ACKs the 2xx and ends the other forks.
#include <spdlog/spdlog.h>

#include "sip/session/invite_session.h"
#include "sip/session/session_layer.h"

namespace sb::sip::session {

Result<void> InviteSession::start_uac(OutgoingInvite invite) {
  local_sdp_ = invite.sdp;
  invite.headers.emplace_back("Supported", "timer, 100rel");
  const auto& policy = layer_.policy().timers;
  invite.headers.emplace_back(
      "Session-Expires", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(policy.default_interval).count()));
  const uint64_t id = id_;
  SessionLayer* layer = &layer_;
  auto sent = layer_.stack().invite(std::move(invite), [layer, id](const Message& response, Dialog* dialog) {
    if (InviteSession* session = layer->find(id); session != nullptr && !session->is_ended()) {
      session->on_invite_response(response, dialog);
    }
  });
  if (!sent) {
    return sent.error();
  }
  uac_request_ = *sent;
  (void)offer_answer_.offer_sent(Method::Invite, 0);
  return {};
}

void InviteSession::on_invite_response(const Message& response, Dialog* dialog) {
  const int status = response.status();
  if (status < 200) {
    return on_provisional(response, dialog);
  }
  if (status < 300) {
    if (dialog == nullptr) {
      return;
    }
    return on_invite_2xx(response, *dialog);
  }
  terminate({EndReason::Rejected, status});
}

void InviteSession::on_provisional(const Message& response, Dialog* dialog) {
  if (dialog != nullptr) {
    if (!dialog_) {
      dialog_ = dialog->id();
    }
    bool known = false;
    for (const DialogId& d : indexed_) {
      known = known || d.view() == dialog->id().view();
    }
    if (!known) {
      layer_.index(*this, dialog->id());
    }
    auto [fork, added] = forks_.try_emplace(dialog->id().remote_tag);
    const ProvisionalKind kind = fork->second.classify(response);
    if (kind == ProvisionalKind::Duplicate || kind == ProvisionalKind::OutOfOrder) {
      return;  // RFC 3262 §4: neither processed nor PRACKed again
    }
    if (kind == ProvisionalKind::Prack) {
      prack(response, dialog->id(), *fork->second.last_rseq());
    }
    peer_allows_update_ = peer_allows_update_ || allows_method(response, Method::Update);
  }
  if (!response.body().empty()) {
    if (offer_answer_.state() == OfferState::LocalOffer) {
      (void)offer_answer_.answer_received();
    }
    take_answer(response.body());
  }
  if (state_ != SessionState::Ended) {
    user_.on_progress(*this, response);
  }
}

void InviteSession::prack(const Message& provisional, const DialogId& fork, uint32_t rseq) {
  const RAck rack{rseq, provisional.cseq(), Method::Invite};
  RequestOptions options;
  options.headers.emplace_back("RAck", rack.value());
  ++layer_.stats_.pracks_sent;
  if (auto sent = layer_.stack().request_in_dialog(fork, Method::Prack, options); !sent) {
    spdlog::debug("sip: PRACK not sent: {}", sent.error().to_string());
  }
}

void InviteSession::on_invite_2xx(const Message& response, Dialog& dialog) {
  // The fork that answered is the session's dialog; the stack ends the others.
  dialog_ = dialog.id();
  layer_.index(*this, *dialog_);
  uac_request_.reset();
  peer_allows_update_ = peer_allows_update_ || allows_method(response, Method::Update);
  if (!response.body().empty()) {
    if (offer_answer_.state() == OfferState::LocalOffer) {
      (void)offer_answer_.answer_received();
    }
    take_answer(response.body());
  } else if (offer_answer_.state() == OfferState::LocalOffer) {
    spdlog::info("sip: the 2xx of Call-ID {} carries no answer", dialog.id().call_id);
  }
  timer_ = session_timer_of_answer(response, layer_.policy().timers);
  state_ = SessionState::Connected;
  arm_timer();
  user_.on_connected(*this);
}

// An answer (or a changed one from another fork) reaches the user once per distinct body.
void InviteSession::take_answer(std::string_view sdp) {
  if (sdp == remote_sdp_) {
    return;
  }
  remote_sdp_ = std::string(sdp);
  remote_hold_ = is_hold(media_direction(remote_sdp_));
  user_.on_answer(*this, remote_sdp_);
}

}  // namespace sb::sip::session
