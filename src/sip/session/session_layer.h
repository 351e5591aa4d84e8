// sip/session/session_layer.h: the invite sessions of one SIP stack. It takes what the stack
// hands up about INVITE dialogs (a new INVITE, CANCEL, requests and ACKs inside dialogs, the
// end of a dialog), finds the session each one belongs to, and creates the UAC sessions the
// user asks for. Owns every InviteSession; an ended one is freed after the current event.
// Control thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <unordered_map>

#include "sip/session/invite_session.h"

namespace sb::sip::session {

struct SessionLayerStats {
  uint64_t incoming = 0;
  uint64_t outgoing = 0;
  uint64_t glare_491 = 0;        // re-INVITEs and UPDATEs we refused with 491
  uint64_t glare_retries = 0;    // ours sent again after a 491
  uint64_t pracks_sent = 0;
  uint64_t reliable_1xx = 0;     // reliable provisionals we sent
  uint64_t refreshes = 0;        // session refreshes answered without the user
  uint64_t expired = 0;          // sessions ended by RFC 4028
};

class SessionLayer {
 public:
  SessionLayer(StackPort& stack, SessionUser& user, SessionPolicy policy, uint64_t seed = std::random_device{}());
  ~SessionLayer();
  SessionLayer(const SessionLayer&) = delete;
  SessionLayer& operator=(const SessionLayer&) = delete;

  // --- from the stack (stack/session_layer_adapter.h forwards SessionHandler here) ---
  void on_invite(ServerTransactionId tx, const Message& invite, const Peer& source);
  void on_cancelled(ServerTransactionId tx);
  void on_dialog_request(ServerTransactionId tx, Dialog& dialog, const Message& request);
  void on_ack(Dialog& dialog, const Message& ack);
  void on_dialog_ended(Dialog& dialog);

  // --- for the user ---
  // A UAC session: sends the INVITE (which must carry an offer) with Supported: timer and
  // 100rel. Progress comes to the layer's user. Fails when the INVITE cannot be sent.
  Result<InviteSession*> invite(OutgoingInvite invite);
  InviteSession* find(uint64_t id);
  InviteSession* find(const DialogId& dialog);
  size_t size() const { return sessions_.size(); }
  // Ends every session (quietly), as at shut-down.
  void end_all();

  const SessionLayerStats& stats() const { return stats_; }
  const SessionPolicy& policy() const { return policy_; }
  void set_policy(SessionPolicy policy) { policy_ = policy; }

 private:
  friend class InviteSession;
  StackPort& stack() { return stack_; }
  uint64_t random() { return rng_(); }
  void index(InviteSession& session, const DialogId& dialog);
  void unindex(const DialogId& dialog);
  // Frees ended sessions once no callback of theirs is on the stack.
  void schedule_reap();
  void reap();

  StackPort& stack_;
  SessionUser& user_;
  SessionPolicy policy_;
  std::mt19937_64 rng_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<InviteSession>> sessions_;
  std::map<DialogId, uint64_t, DialogIdLess> by_dialog_;
  std::unordered_map<uint64_t, uint64_t> by_invite_tx_;  // unanswered INVITEs without a dialog
  SessionLayerStats stats_;
  TimerId reap_timer_ = 0;
  bool destroying_ = false;
};

}  // namespace sb::sip::session
