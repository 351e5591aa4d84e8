// sip/stack/sip_stack_uac.cc: the SipStack as the caller: INVITEs we send (the B2BUA's agent
// and outbound legs) and the dialogs they make, requests we send inside any dialog, and hang-up
// in whatever state a dialog is in. The UAS side is in sip_stack.cc.
#include <spdlog/spdlog.h>

#include "net/event_loop.h"
#include "sip/parse/uri.h"
#include "sip/stack/sip_stack.h"

namespace sb::sip {
namespace {

bool is_wildcard(const SocketAddress& a) { return a.ip() == "0.0.0.0" || a.ip() == "::"; }

// "host:port" of a Contact like "<sip:sb@127.0.0.1:5060;transport=tcp>", for our Via.
std::string sent_by_of(std::string_view contact) {
  size_t open = contact.find('<');
  size_t close = contact.find('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    contact = contact.substr(open + 1, close - open - 1);
  }
  auto uri = parse_uri(contact);
  if (!uri) return "invalid.invalid";
  std::string out = uri->host_is_ipv6 ? "[" + std::string(uri->host) + "]" : std::string(uri->host);
  if (uri->port) out += ":" + std::to_string(*uri->port);
  return out;
}

std::string lower_transport(Transport t) {
  std::string name(transport_name(t));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string_view reason_for(int status) {
  switch (status) {
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 500: return "Server Internal Error";
    case 503: return "Service Unavailable";
    case 603: return "Decline";
    default: return "Temporarily Unavailable";
  }
}

}  // namespace

Peer SipStack::destination_of(const Dialog& dialog) const {
  Peer to = dialog.peer();
  if (auto target = dialog.target()) {
    if (auto uri = parse_uri(target->next_hop)) {
      if (auto a = SocketAddress::parse(uri->host, uri->port.value_or(5060))) {
        // Another address than the one the dialog was learned from: a new connection, if any.
        if (!(*a == to.remote)) to.connection = 0;
        to.remote = *a;
      }
    }
  }
  return to;
}

std::string SipStack::via_for(const Dialog& dialog, const Peer& to) {
  return "SIP/2.0/" + std::string(transport_name(to.transport)) + " " + sent_by_of(dialog.local_contact()) +
         ";branch=" + transactions_->make_branch() + ";rport";
}

Result<client::UacRequestId> SipStack::invite(OutgoingInvite out, InviteProgress progress) {
  Peer to = out.destination;
  if (is_wildcard(to.local)) {
    if (auto towards = local_address_towards(to.remote)) {
      const uint16_t port = to.local.port();
      to.local = *towards;
      to.local.set_port(port);
    }
  }
  client::RequestSpec spec;
  spec.method = "INVITE";
  spec.request_uri = out.request_uri;
  spec.from = out.from;
  spec.to = out.to;
  spec.contact = "<sip:sb@" + to.local.host_for_uri() + ":" + std::to_string(to.local.port()) +
                 (to.transport == Transport::Udp ? "" : ";transport=" + lower_transport(to.transport)) + ">";
  spec.headers = std::move(out.headers);
  spec.headers.emplace_back("Allow", allow_);
  if (!supported_.empty()) spec.headers.emplace_back("Supported", supported_);
  if (!out.sdp.empty()) {
    spec.content_type = "application/sdp";
    spec.body = std::move(out.sdp);
  }
  // The Uac never calls back from inside send(), so the id is known before the first answer.
  auto key = std::make_shared<uint64_t>(0);
  auto sent = uac_->send(std::move(spec), to, std::move(out.credentials),
                         [this, key](const Message& response) { on_invite_response(*key, response); });
  if (!sent) return sent.error();
  *key = sent->value;
  const Message* request = uac_->last_request(*sent);
  outgoing_[sent->value] = Outgoing{std::move(progress), to, request != nullptr ? *request : Message{}, false, {}};
  return *sent;
}

void SipStack::on_invite_response(uint64_t key, const Message& response) {
  auto it = outgoing_.find(key);
  if (it == outgoing_.end()) return;
  Outgoing& o = it->second;
  // An authorized re-send has a new CSeq: the dialog matches responses against the last one.
  if (const Message* current = uac_->last_request(client::UacRequestId{key})) {
    if (current->cseq() != o.invite.cseq()) o.invite = *current;
  }
  const int status = response.status();
  if (status == 100) return;
  auto outcome = dialogs_.on_invite_response(o.invite, response, o.destination);
  if (!outcome) spdlog::debug("sip: response to our INVITE {}: {}", response.call_id(), outcome.error().to_string());
  Dialog* dialog = outcome ? outcome->dialog : nullptr;
  if (status >= 200 && status < 300) {
    if (dialog == nullptr) return;  // no dialog can be formed: left un-ACKed (§13.3.1.4)
    ack_2xx(*dialog, response);
    if (o.answered) {
      // A retransmission of the 2xx we took (ACKed again), or a second fork answering: end it.
      if (!(*o.answered == dialog->id())) {
        ending_quietly_ = true;
        send_bye(*dialog);
        ending_quietly_ = false;
      }
      return;
    }
    o.answered = dialog->id();
    if (o.cancelled) {
      // The 2xx overtook our CANCEL (§9.1): the call was not wanted any more.
      ending_quietly_ = true;
      send_bye(*dialog);
      ending_quietly_ = false;
      return;
    }
    // Kept for the retransmissions and forks of the 2xx while the Uac still reports them.
    loop_.schedule_after(config_.uac.invite_linger, [this, key] { outgoing_.erase(key); });
  }
  if (status >= 300 && outcome) {
    for (const DialogId& id : outcome->terminated) {
      if (Dialog* d = dialogs_.find(id.view())) {
        ending_quietly_ = true;
        end_dialog(*d);
        ending_quietly_ = false;
      }
    }
    dialog = nullptr;
  }
  if (o.cancelled) {
    if (status >= 300) outgoing_.erase(it);
    return;
  }
  InviteProgress progress = o.progress;  // the callback may cancel or hang up: `o` may go
  if (status >= 300) outgoing_.erase(it);
  if (progress) progress(response, dialog);
}

void SipStack::ack_2xx(Dialog& dialog, const Message& response) {
  Peer to = destination_of(dialog);
  RequestOptions options;
  options.via = via_for(dialog, to);
  auto ack = dialog.make_ack(response, options);
  if (!ack) {
    spdlog::debug("sip: no ACK: {}", ack.error().to_string());
    return;
  }
  transactions_->send_ack(*ack, to);
}

void SipStack::cancel_invite(client::UacRequestId id) {
  auto it = outgoing_.find(id.value);
  if (it == outgoing_.end() || it->second.cancelled) return;
  it->second.cancelled = true;
  if (it->second.answered) {
    // Already answered: the dialog is the caller's to hang up; nothing to cancel.
    if (Dialog* d = dialog(*it->second.answered)) {
      ending_quietly_ = true;
      send_bye(*d);
      ending_quietly_ = false;
    }
    return;
  }
  if (auto cancelled = uac_->cancel(id); !cancelled) {
    spdlog::debug("sip: CANCEL not sent: {}", cancelled.error().to_string());
  }
  // Early dialogs of this INVITE end with it; the 487 erases the entry.
  const Message& invite = it->second.invite;
  for (Dialog* d : dialogs_.dialogs_of(invite.call_id(), invite.from_tag())) {
    if (d->state() == DialogState::Early) d->terminate();
  }
}

Result<ClientTransactionId> SipStack::request_in_dialog(const DialogId& id, Method method, const RequestOptions& extra,
                                         InDialogResponse on_response) {
  Dialog* d = dialog(id);
  if (d == nullptr) return Error{"the dialog has ended", std::string(method_name(method))};
  Peer to = destination_of(*d);
  RequestOptions options = extra;
  options.via = via_for(*d, to);
  auto request = d->make_request(method, options);
  if (!request) return request.error();
  auto tx = transactions_->send_request(std::move(*request), to);
  if (!tx) return tx.error();
  in_dialog_[tx->value] = InDialogRequest{id, method, std::move(on_response)};
  return *tx;
}

void SipStack::on_in_dialog_response(ClientTransactionId tx, const Message& response) {
  auto it = in_dialog_.find(tx.value);
  if (it == in_dialog_.end() || response.status() < 200) return;
  InDialogRequest request = std::move(it->second);
  in_dialog_.erase(it);
  Dialog* d = dialogs_.find(request.dialog.view());
  if (d != nullptr && !d->is_terminated()) {
    if (auto state = d->on_response(response); !state) {
      spdlog::debug("sip: in-dialog response: {}", state.error().to_string());
    }
    if (request.method == Method::Invite && response.status() < 300) ack_2xx(*d, response);
  }
  if (request.on_response) request.on_response(response);
  // 481 and 408 end the dialog (§12.2.1.2): the far end is gone.
  if (d = dialogs_.find(request.dialog.view()); d != nullptr && d->is_terminated()) end_dialog(*d);
}

void SipStack::hang_up(const DialogId& id, int status_if_unanswered) {
  Dialog* d = dialogs_.find(id.view());
  if (d == nullptr || d->is_terminated()) return;
  ending_quietly_ = true;
  if (d->role() == DialogRole::Uas) {
    if (auto it = invite_tx_.find(id); it != invite_tx_.end()) {
      answer_in_dialog(it->second, *d, status_if_unanswered, reason_for(status_if_unanswered));
    } else if (d->awaiting_ack()) {
      bye_after_ack_[id] = true;  // §15.1.1: BYE once the ACK is in (or never came)
    } else {
      send_bye(*d);
    }
  } else if (d->state() == DialogState::Early) {
    for (auto& [key, o] : outgoing_) {
      if (o.invite.call_id() == id.call_id) {
        cancel_invite(client::UacRequestId{key});
        break;
      }
    }
    if (Dialog* still = dialogs_.find(id.view())) {
      still->terminate();
      end_dialog(*still);
    }
  } else {
    send_bye(*d);
  }
  ending_quietly_ = false;
}

}  // namespace sb::sip
