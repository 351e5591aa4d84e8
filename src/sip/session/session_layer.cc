// sip/session/session_layer.cc: dispatch of the stack's INVITE-dialog events to sessions.
#include "sip/session/session_layer.h"

#include <vector>

namespace sb::sip::session {

SessionLayer::SessionLayer(StackPort& stack, SessionUser& user, SessionPolicy policy, uint64_t seed)
    : stack_(stack), user_(user), policy_(policy), rng_(seed) {}

SessionLayer::~SessionLayer() {
  destroying_ = true;
  if (reap_timer_ != 0) {
    stack_.timers().cancel(reap_timer_);
  }
  for (auto& [id, session] : sessions_) {
    session->finish();  // cancels its timers
  }
}

void SessionLayer::on_invite(ServerTransactionId tx, const Message& invite, const Peer& source) {
  ++stats_.incoming;
  const uint64_t id = next_id_++;
  auto owned = std::unique_ptr<InviteSession>(new InviteSession(*this, user_, id, SessionRole::Uas));
  InviteSession& session = *owned;
  sessions_[id] = std::move(owned);
  by_invite_tx_[tx.value] = id;
  // RFC 3262 §3: the first RSeq is random in 1..2^31-1.
  session.start_uas(tx, invite, source, static_cast<uint32_t>(random() % 0x7ffffffeu) + 1);
}

void SessionLayer::on_cancelled(ServerTransactionId tx) {
  auto it = by_invite_tx_.find(tx.value);
  if (it == by_invite_tx_.end()) {
    return;  // its early dialog's end already told the session
  }
  InviteSession* session = find(it->second);
  by_invite_tx_.erase(it);
  if (session != nullptr && !session->is_ended()) {
    session->terminate({EndReason::Cancelled, 487});
  }
}

void SessionLayer::on_dialog_request(ServerTransactionId tx, Dialog& dialog, const Message& request) {
  InviteSession* session = find(dialog.id());
  if (session == nullptr || session->is_ended()) {
    stack_.answer_in_dialog(tx, dialog, 481, "Call/Transaction Does Not Exist");
    return;
  }
  session->on_request(tx, request);
}

void SessionLayer::on_ack(Dialog& dialog, const Message& ack) {
  if (InviteSession* session = find(dialog.id())) {
    session->on_ack(ack);
  }
}

void SessionLayer::on_dialog_ended(Dialog& dialog) {
  const DialogId id = dialog.id();
  InviteSession* session = find(id);
  unindex(id);
  if (session == nullptr || session->is_ended()) {
    return;
  }
  // Only the session's own dialog ends it; an early fork that lost ends alone.
  if (session->dialog_ && session->dialog_->view() == id.view()) {
    session->on_dialog_ended();
  }
}

Result<InviteSession*> SessionLayer::invite(OutgoingInvite invite) {
  if (invite.sdp.empty()) {
    return Error{"an INVITE without an offer is not supported", "sdp", ErrorCode::Unsupported};
  }
  const uint64_t id = next_id_++;
  auto owned = std::unique_ptr<InviteSession>(new InviteSession(*this, user_, id, SessionRole::Uac));
  InviteSession& session = *owned;
  sessions_[id] = std::move(owned);
  if (auto started = session.start_uac(std::move(invite)); !started) {
    session.finish();
    sessions_.erase(id);
    return started.error();
  }
  ++stats_.outgoing;
  return &session;
}

InviteSession* SessionLayer::find(uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

InviteSession* SessionLayer::find(const DialogId& dialog) {
  auto it = by_dialog_.find(dialog.view());
  return it == by_dialog_.end() ? nullptr : find(it->second);
}

void SessionLayer::end_all() {
  std::vector<uint64_t> ids;
  for (auto& [id, session] : sessions_) {
    ids.push_back(id);
  }
  for (uint64_t id : ids) {
    if (InviteSession* session = find(id); session != nullptr && !session->is_ended()) {
      session->end(503);
    }
  }
}

void SessionLayer::index(InviteSession& session, const DialogId& dialog) {
  by_dialog_[dialog] = session.id();
  session.indexed_.push_back(dialog);
}

void SessionLayer::unindex(const DialogId& dialog) {
  if (auto it = by_dialog_.find(dialog.view()); it != by_dialog_.end()) {
    by_dialog_.erase(it);
  }
}

void SessionLayer::schedule_reap() {
  if (reap_timer_ != 0 || destroying_) {
    return;
  }
  reap_timer_ = stack_.timers().schedule(stack_.clock().now(), [this] {
    reap_timer_ = 0;
    reap();
  });
}

void SessionLayer::reap() {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (!it->second->is_ended()) {
      ++it;
      continue;
    }
    for (const DialogId& d : it->second->indexed_) {
      if (auto at = by_dialog_.find(d.view()); at != by_dialog_.end() && at->second == it->first) {
        by_dialog_.erase(at);
      }
    }
    if (it->second->invite_tx_) {
      by_invite_tx_.erase(it->second->invite_tx_->value);
    }
    it = sessions_.erase(it);
  }
}

}  // namespace sb::sip::session
