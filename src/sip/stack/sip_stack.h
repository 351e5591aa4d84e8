// sip/stack/sip_stack.h: the SIP stack assembled on the control-plane event loop: transports,
// source protection, the transaction layer, dialogs, the registrar, and a SessionHandler for
// calls. `switchboard serve` runs one; the call layer will plug into SessionHandler.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "sip/client/uac.h"
#include "sip/dialog/dialog_response.h"
#include "sip/dialog/dialog_set.h"
#include "sip/dialog/retransmit_2xx.h"
#include "sip/protection/source_guard.h"
#include "sip/registrar/registrar.h"
#include "sip/request_check.h"
#include "sip/session/stack_port.h"
#include "sip/stack/session_handler.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/transport_layer.h"

namespace sb::net {
class EventLoop;
}

namespace sb::sip {

struct SipStackConfig {
  std::vector<ListenerConfig> listeners;
  TransactionConfig transactions;
  TransportLimits transport;
  GuardLimits guard;
  registrar::RegistrarConfig registrar;
  UasCapabilities capabilities;
  client::UacConfig uac;
  std::string user_agent = "Switchboard";
};

struct SipStackStats {
  uint64_t options_answered = 0;
  uint64_t registers = 0;
  uint64_t auth_failures = 0;
  uint64_t invites = 0;
  uint64_t no_dialog_481 = 0;
  uint64_t retransmitted_2xx = 0;
};

class SipStack final : public session::StackPort,
                       private TransportHandler,
                       private TransactionUser,
                       private TransportSender {
 public:
  SipStack(net::EventLoop& loop, SipStackConfig config, SessionHandler& sessions);
  ~SipStack() override;
  // Hands INVITEs and their dialogs to `sessions` from now on: whoever takes the calls may be
  // built after the stack it needs (the call center takes the stack's ports). Before start().
  void set_session_handler(SessionHandler& sessions) { sessions_ = &sessions; }

  // Opens every listener; the first failure is returned (file:line is the config's business).
  Result<std::vector<Peer>> start();
  void stop();

  // --- for SessionHandlers ---
  // A response on server transaction `tx`: the transaction headers copied, `parts` added.
  void reply(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts = {}) override;
  // Creates the UAS dialog for INVITE `tx` and answers it (1xx/2xx; a 2xx is retransmitted
  // until the ACK). Returns the dialog, or nullptr after answering 400 when none can be made.
  Dialog* accept_invite(ServerTransactionId tx, const Peer& source, int status, std::string_view reason,
                        ResponseParts parts = {}) override;
  // A later answer in the same dialog (e.g. 200 after 180).
  void answer_in_dialog(ServerTransactionId tx, Dialog& dialog, int status, std::string_view reason,
                        ResponseParts parts = {}) override;
  // Sends an INVITE out of dialog (digest challenges answered with the credentials). Fails,
  // sending nothing, when the request cannot be built.
  Result<client::UacRequestId> invite(OutgoingInvite invite, InviteProgress progress) override;
  // CANCELs an INVITE of ours that has no final response yet; later answers are not reported.
  void cancel_invite(client::UacRequestId id) override;
  // A request inside a dialog (re-INVITE, UPDATE, NOTIFY, INFO...): fails when the dialog is
  // gone or cannot send it now (an INVITE already in progress, §14.1).
  Result<ClientTransactionId> request_in_dialog(const DialogId& id, Method method, const RequestOptions& extra = {},
                                                InDialogResponse on_response = {}) override;
  // Ends a dialog however its state allows: a final response (`status_if_unanswered`) to an
  // INVITE we have not answered, a BYE once confirmed (after the ACK of our 2xx if it is still
  // due), or CANCEL for one we sent. The handler's on_dialog_ended is not called for a hang-up
  // we asked for; the caller already knows.
  void hang_up(const DialogId& id, int status_if_unanswered = 480) override;

  // A dialog by id, nullptr once it ended (handlers keep ids, not pointers, across waits).
  Dialog* dialog(const DialogId& id) override;
  net::EventLoop& loop() { return loop_; }
  const Clock& clock() const override;
  TimerQueue& timers() override;
  // Our Contact for a request that came in on `arrived_on`: "<sip:sb@127.0.0.1:5060;transport=tcp>".
  // A wildcard listener (0.0.0.0, ::) uses the host the peer addressed (the Request-URI's).
  std::string contact_for(const Message& request, const Peer& arrived_on) const;

  // --- observation ---
  const SipStackStats& stats() const { return stats_; }
  const TransactionLayer& transactions() const { return *transactions_; }
  const TransportLayer& transport() const { return transport_; }
  registrar::LocationService& locations() { return locations_; }
  // Requests we originate (trunk REGISTERs now, calls later): digest challenges answered.
  client::Uac& uac() { return *uac_; }
  const SourceGuard& guard() const { return guard_; }
  // Requests from `ip` are never limited (a trunk's registrar, once resolved).
  void trust_source(const std::string& ip) { guard_.trust(ip); }

 private:
  // TransportHandler
  bool admit(const Peer& from) override;
  void on_message(Message&& message, const Peer& from) override;
  void on_refused(const ParseError& error, const Peer& from) override;
  void on_transport_error(const Peer& peer) override;
  // TransactionUser
  void on_request(ServerTransactionId tx, const Message& request, const Peer& source) override;
  void on_ack(const Message& ack, const Peer& source) override;
  void on_cancelled(ServerTransactionId invite_tx, const Message& cancel) override;
  void on_ack_timeout(ServerTransactionId invite_tx, const Message& final_response) override;
  void on_response(ClientTransactionId tx, const Message& response) override;
  void on_client_timeout(ClientTransactionId tx, const Message& synthesized_408) override;
  void on_client_transport_error(ClientTransactionId tx, const Message& synthesized_503) override;
  // TransportSender
  void send(const Peer& to, std::string_view bytes) override;

  bool answer_options_statelessly(const Message& request, const Peer& from);
  std::vector<std::pair<std::string, std::string>> capability_headers() const;
  void send_bye(Dialog& dialog);
  // Where requests in `dialog` go: its next hop, over the transport it was learned on.
  Peer destination_of(const Dialog& dialog) const;
  std::string via_for(const Dialog& dialog, const Peer& to);
  void on_invite_response(uint64_t id, const Message& response);
  void ack_2xx(Dialog& dialog, const Message& response);
  void on_in_dialog_response(ClientTransactionId tx, const Message& response);
  void handle_register(ServerTransactionId tx, const Message& request, const Peer& source);
  void handle_in_dialog(ServerTransactionId tx, const Message& request, const Peer& source);
  void respond(ServerTransactionId tx, Message response);
  void start_2xx_retransmission(ServerTransactionId tx, const Dialog& dialog, const Message& response);
  void end_dialog(Dialog& dialog);
  void schedule_housekeeping();

  net::EventLoop& loop_;
  SipStackConfig config_;
  SessionHandler* sessions_;  // never null
  std::string allow_;
  std::string supported_;
  TransportLayer transport_;
  SourceGuard guard_;
  registrar::LocationService locations_;
  registrar::Registrar registrar_;
  std::unique_ptr<TransactionLayer> transactions_;
  std::unique_ptr<client::Uac> uac_;
  DialogSet dialogs_;
  // 2xx to INVITE awaiting their ACK, by dialog.
  std::map<DialogId, std::unique_ptr<Retransmit2xxTimer>, DialogIdLess> pending_2xx_;
  // The INVITE server transaction that made each UAS dialog, while it may still be answered.
  std::map<DialogId, ServerTransactionId, DialogIdLess> invite_tx_;
  // INVITEs we sent, by UacRequestId value, while they may still be answered.
  struct Outgoing {
    InviteProgress progress;
    Peer destination;
    Message invite;  // as first sent (its Call-ID and From tag identify the dialogs)
    bool cancelled = false;
    std::optional<DialogId> answered;  // the dialog the first 2xx confirmed
  };
  std::unordered_map<uint64_t, Outgoing> outgoing_;
  // Requests we sent inside dialogs, awaiting their final response.
  struct InDialogRequest {
    DialogId dialog;
    Method method = Method::Unknown;
    InDialogResponse on_response;
  };
  std::unordered_map<uint64_t, InDialogRequest> in_dialog_;  // by ClientTransactionId value
  // UAS dialogs whose BYE waits for the ACK of our 2xx (§15.1.1).
  std::map<DialogId, bool, DialogIdLess> bye_after_ack_;
  bool ending_quietly_ = false;  // inside hang_up(): no on_dialog_ended for the caller's own hang-up
  SipStackStats stats_;
  TimerId housekeeping_ = 0;
  bool stopped_ = false;
};

}  // namespace sb::sip
