// sip/dialog/dialog_set.h: the dialogs of a UA core, keyed by (Call-ID, local tag, remote tag),
// and the entry points a transaction user calls: a request received (→ its dialog, or the
// response to send: 481, 500, 491, 200 to BYE), a response to our dialog-creating INVITE (→ early
// dialogs per To tag when forked, confirmation on 2xx), a new UAS dialog. Pure: no I/O, no
// timers; one owner thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_id.h"
#include "sip/dialog/id_generator.h"
#include "sip/message.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// What receive() makes of a request. Dialog pointers stay valid until that dialog is erased.

// No To tag: a request outside any dialog. An INVITE may start one with create_uas().
struct OutOfDialog {};
// Accepted in `dialog`: the transaction user answers it with dialog->respond().
struct InDialog {
  Dialog* dialog = nullptr;
};
// Send `response` on the request's server transaction; nothing else to do. `dialog` is the
// dialog the request matched, nullptr when none did (481) or the request was unreadable (400).
struct Reply {
  Message response;
  Dialog* dialog = nullptr;
};
// A BYE ended `dialog` (RFC 3261 §15.1.2): send `response` (200 OK) and end the session. When
// `invite_unanswered`, the INVITE that created the (early) dialog still needs a final response:
// 487 Request Terminated is the recommended one. Erase the dialog when done with it.
struct DialogEnded {
  Dialog* dialog = nullptr;
  Message response;
  bool invite_unanswered = false;
};
// The ACK for our 2xx to an INVITE of `dialog` (RFC 3261 §13.3.1.4): stop retransmitting it.
// Its body, if any, is the answer to an offer we made in the 2xx.
struct AckReceived {
  Dialog* dialog = nullptr;
};
// Nothing to send: an ACK that matches no dialog or no 2xx (an ACK never gets a response,
// RFC 3261 §17.2.3), or, should a response fail to build, why.
struct Discard {
  std::string why;
};
using Incoming = std::variant<OutOfDialog, InDialog, Reply, DialogEnded, AckReceived, Discard>;

// What on_invite_response() made of a response to our dialog-creating INVITE.
struct InviteResponseOutcome {
  Dialog* dialog = nullptr;  // the response's dialog; nullptr for 100, 1xx without tag, 300-699
  bool created = false;      // this response created it: a new early dialog, or another fork
  bool confirmed = false;    // this 2xx moved it to confirmed (every 2xx needs an ACK anyway)
  // Another dialog of this INVITE was confirmed before: a forked INVITE was answered twice.
  // RFC 3261 §13.2.2.4: ACK this 2xx too, then BYE the dialog if only one call is wanted.
  bool other_confirmed = false;
  std::vector<DialogId> terminated;  // early dialogs a 300-699 ended (§12.3)
};

class DialogSet {
 public:
  // `seed` drives the tags and Retry-After values (IdGenerator::random_seed() for the server).
  explicit DialogSet(uint64_t seed) : ids_(seed) {}

  // --- UAS ---

  // A dialog for the INVITE we received (see Dialog::uas_from_invite), with a fresh local tag.
  // Answer the INVITE through the returned dialog's respond(): a 1xx makes it early, a 2xx
  // confirms it, 300-699 terminates it. Fails like uas_from_invite(): answer 400 with the
  // error's message as reason phrase.
  sb::Result<Dialog*> create_uas(const Message& invite, const Peer& source,
                                 std::string local_contact);

  // A request the transaction layer passed up (TransactionUser::on_request or on_ack).
  Incoming receive(const Message& request);

  // --- UAC ---

  // A response to `invite`, the dialog-creating INVITE we sent, received from `source`:
  //  - 101-199 with a To tag: the early dialog of that tag, created on first sight; one per
  //    tag, so each fork of the INVITE has its own (§12.1.2, §13.2.2.1).
  //  - 2xx: confirms the early dialog of that tag (route set recomputed from the 2xx), or
  //    creates a confirmed one. Each 2xx, retransmissions included, needs Dialog::make_ack().
  //  - 300-699: terminates every early dialog of the INVITE (§12.3).
  // 100 and 1xx without tag change nothing. Fails for a 2xx (or 1xx) that cannot form a dialog
  // (no Contact in a 2xx, a Record-Route that does not parse); no dialog is made, so such a
  // 2xx goes un-ACKed and its sender gives up after 64*T1 (§13.3.1.4).
  // Responses to re-INVITEs and other in-dialog requests go to Dialog::on_response().
  sb::Result<InviteResponseOutcome> on_invite_response(const Message& invite,
                                                       const Message& response, const Peer& source);

  // Terminates the early dialogs of the INVITE with this Call-ID and From tag: RFC 3261
  // §13.2.2.4, 64*T1 after the first 2xx, or when the transaction user cancels. Returns them.
  std::vector<DialogId> terminate_early(std::string_view call_id, std::string_view local_tag);

  // --- the table ---

  Dialog* find(DialogIdView id);  // terminated dialogs included
  // The dialog of a response to a request we sent (local tag from From, remote from To).
  Dialog* find_for_response(const Message& response);
  // Every dialog with this Call-ID and local tag: the forks of one INVITE.
  std::vector<Dialog*> dialogs_of(std::string_view call_id, std::string_view local_tag);
  bool erase(DialogIdView id);
  size_t erase_terminated();
  size_t size() const { return dialogs_.size(); }

  // Tags and Call-IDs for new requests (the From tag and Call-ID of an INVITE we send).
  IdGenerator& ids() { return ids_; }

 private:
  Incoming reply(const Message& request, RequestCheck check, Dialog* dialog);

  IdGenerator ids_;
  std::map<DialogId, Dialog, DialogIdLess> dialogs_;
};

}  // namespace sb::sip
