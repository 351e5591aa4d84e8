// sip/dialog/dialog.h: one SIP dialog (RFC 3261 §12): its identity and state, the requests it
// sends (§12.2.1) and how it takes the requests and responses it receives (§12.2.2, §13-15).
// Pure: no I/O, no timers; the transaction user passes messages in and sends what comes out.
// Not the table of dialogs (dialog_set.h) and not the 2xx retransmission (retransmit_2xx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sip/dialog/dialog_id.h"
#include "sip/dialog/dialog_response.h"
#include "sip/dialog/request_options.h"
#include "sip/dialog/route_set.h"
#include "sip/message.h"
#include "sip/transport/peer.h"

namespace sb::sip {

enum class DialogState : uint8_t { Early, Confirmed, Terminated };
enum class DialogRole : uint8_t { Uac, Uas };  // which side of the INVITE that created it

std::string_view dialog_state_name(DialogState state);  // "early", "confirmed", "terminated"

// What a dialog makes of a request received in it. Everything but Accepted and the ACK cases
// maps to one response (DialogSet builds it; see reply_status()).
enum class RequestCheck : uint8_t {
  Accepted,        // for the transaction user, which answers it with Dialog::respond()
  AckFor2xx,       // the ACK for the 2xx we sent (§13.3.1.4): stop retransmitting that 2xx
  AckStray,        // an ACK for no 2xx awaiting one (a retransmitted ACK): drop, never answer
  Bye,             // BYE: the dialog is now terminated (§15.1.2); answer 200
  OutOfOrder,      // CSeq lower than the remote CSeq (§12.2.2): 500
  InviteOverlap,   // re-INVITE while their previous INVITE is unanswered (§14.2): 500 +
                   // Retry-After 0-10 s
  RequestPending,  // re-INVITE while our INVITE is in progress (§14.2, glare): 491
  BadContact,      // a target refresh whose Contact is not one SIP URI: 400
  Gone,            // the dialog is terminated: 481 (§12.2.2)
};

// The status and reason phrase a RequestCheck answers with; {0, ""} for Accepted and ACKs.
struct ReplyStatus {
  int status = 0;
  std::string_view reason;
};
ReplyStatus reply_status(RequestCheck check);

// Methods whose requests and 2xx responses replace the remote target (RFC 3261 §12.2: re-INVITE;
// RFC 3311 UPDATE; RFC 6665 §4.3 SUBSCRIBE and NOTIFY).
bool is_target_refresh(Method method);

class Dialog {
 public:
  // As UAS (RFC 3261 §12.1.1), from the INVITE we received on `source`: an early dialog whose
  // responses carry `local_tag` and the Contact `local_contact` (a header value such as
  // "<sip:sb@10.0.0.1:5060>"). The dialog exists from the first 101-299 response respond()
  // builds; answering 300-699 terminates it. Fails, for a 400 with the error's message as the
  // reason phrase, on a To that already has a tag, no Contact or more than one, or a
  // Record-Route or Contact that does not parse.
  static sb::Result<Dialog> uas_from_invite(const Message& invite, const Peer& source,
                                            std::string local_tag, std::string local_contact);

  // As UAC (RFC 3261 §12.1.2), from a 101-299 response with a To tag to `invite`, which we
  // sent: early for 1xx, confirmed for 2xx. The route set is the response's Record-Route
  // reversed; the remote target its Contact (for a 1xx without Contact, the INVITE's
  // Request-URI). Fails on another status, a response without To tag or not to this INVITE
  // (Call-ID, CSeq, From tag), a 2xx without Contact, or a Record-Route that does not parse.
  static sb::Result<Dialog> uac_from_response(const Message& invite, const Message& response,
                                              const Peer& source);

  const DialogId& id() const { return id_; }
  DialogRole role() const { return role_; }
  DialogState state() const { return state_; }
  bool is_terminated() const { return state_ == DialogState::Terminated; }

  const std::string& local_uri() const { return local_uri_; }    // From of our requests
  const std::string& remote_uri() const { return remote_uri_; }  // To of our requests
  // The From and To of our requests without tags: "Alice <sip:alice@a.example>".
  std::string local_party() const;
  std::string remote_party() const;
  const std::string& remote_target() const { return remote_target_; }  // peer's Contact URI
  const RouteSet& route_set() const { return route_set_; }
  const std::string& local_contact() const { return local_contact_; }
  std::optional<uint32_t> local_cseq() const { return local_cseq_; }  // empty until we send
  std::optional<uint32_t> remote_cseq() const { return remote_cseq_; }
  bool secure() const { return secure_; }     // TLS and a SIPS Request-URI (§12.1.1): use TLS
  const Peer& peer() const { return peer_; }  // where the dialog was learned from

  // The CSeq of an INVITE of ours still without a final response, or of theirs we have not
  // answered finally; the CSeq of the INVITE whose 2xx we sent and whose ACK has not come.
  std::optional<uint32_t> invite_out() const { return invite_out_; }
  std::optional<uint32_t> invite_in() const { return invite_in_; }
  std::optional<uint32_t> awaiting_ack() const { return awaiting_ack_; }

  // --- requests we send (RFC 3261 §12.2.1.1) ---

  // Where in-dialog requests go: Request-URI, Route, next hop (loose or strict routing).
  sb::Result<RequestTarget> target() const { return request_target(route_set_, remote_target_); }

  // BYE, re-INVITE, UPDATE, INFO, ... with the next local CSeq (1 when we have sent none),
  // From with our tag, To with theirs, the Call-ID, Request-URI and Route from target(),
  // Max-Forwards 70 and, for target refresh requests, our Contact. Fails, changing nothing, for
  // a terminated dialog, ACK (make_ack) or CANCEL (the transaction layer builds it), an INVITE
  // while one is in progress either way (§14.1), and a BYE the UAS may not send yet: on an early
  // dialog (§15) or before the ACK of its 2xx or on_ack_timeout() (§15.1.1). A BYE terminates
  // the dialog; an INVITE is in progress until on_response() sees its final response.
  sb::Result<Message> make_request(Method method, const RequestOptions& options = {});

  // The ACK for a 2xx to our INVITE or re-INVITE (RFC 3261 §13.2.2.4): built like any
  // in-dialog request but with the INVITE's CSeq number and method ACK. Changes nothing, so
  // each retransmitted 2xx gets the same ACK again. Fails for anything but a 2xx to INVITE of
  // this Call-ID.
  sb::Result<Message> make_ack(const Message& response_2xx,
                               const RequestOptions& options = {}) const;

  // A response to a request we sent in this dialog (RFC 3261 §12.2.1.2, §13.2.2.4, §14.1):
  // a 2xx to INVITE confirms an early dialog, recomputing the route set (also one terminated
  // locally while its INVITE was in progress, e.g. by a CANCEL the 2xx overtook); a 2xx to a target
  // refresh takes its Contact as remote target; a final response to our INVITE ends it being in
  // progress; 300-699 to the INVITE of an early dialog, and 481 or 408 to anything, terminate
  // the dialog. Fails, changing nothing, for a 2xx whose Contact or Record-Route does not parse.
  sb::Result<DialogState> on_response(const Message& response);

  // --- requests we receive (RFC 3261 §12.2.2) ---

  // Checks a request with this dialog's id and records it: ACK matching, CSeq order, the
  // remote CSeq, glare, target refresh, BYE. See RequestCheck for what to answer.
  RequestCheck check_request(const Message& request);

  // Our response to `request` (received in this dialog, or the INVITE that made it): our To
  // tag added if missing, our Contact on 101-299 to INVITE and 2xx to target refreshes unless
  // `parts.contact` says otherwise. A final response to INVITE ends it being in progress; a
  // 2xx to INVITE confirms the dialog and awaits the ACK; 300-699 to INVITE ends an early
  // dialog. Fails, changing nothing, for a request of another Call-ID or a line break in `parts`.
  sb::Result<Message> respond(const Message& request, int status, std::string_view reason,
                              ResponseParts parts = {});

  // No ACK came for our 2xx within 64*T1 (RFC 3261 §13.3.1.4): the dialog stays confirmed, no
  // ACK is awaited any more, and a BYE may now be sent (which the RFC says the UAS SHOULD do).
  void on_ack_timeout() { awaiting_ack_.reset(); }

  // Ends the dialog locally (the INVITE transaction of an early dialog ended without a 2xx, or
  // the transaction user gives up on it). Further requests in it get 481.
  void terminate() { state_ = DialogState::Terminated; }

 private:
  Dialog() = default;

  DialogId id_;
  DialogRole role_ = DialogRole::Uas;
  DialogState state_ = DialogState::Early;
  std::string local_uri_;
  std::string local_display_name_;  // raw, quotes included
  std::string remote_uri_;
  std::string remote_display_name_;
  std::string remote_target_;
  RouteSet route_set_;
  std::string local_contact_;
  std::optional<uint32_t> local_cseq_;
  std::optional<uint32_t> remote_cseq_;
  bool secure_ = false;
  Peer peer_;
  std::optional<uint32_t> invite_out_;
  std::optional<uint32_t> invite_in_;
  std::optional<uint32_t> awaiting_ack_;
};

}  // namespace sb::sip
