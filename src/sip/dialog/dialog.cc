// sip/dialog/dialog.cc
#include "sip/dialog/dialog.h"

#include "sip/dialog/in_dialog_request.h"
#include "sip/parse/name_addr.h"

namespace sb::sip {
namespace {

bool is_sip_uri(const Uri& uri) {
  return uri.scheme == UriScheme::Sip || uri.scheme == UriScheme::Sips;
}

// The single Contact of a dialog-creating or target refresh message, as a URI: nullopt when
// there is none; an error when there are several, a wildcard, or no SIP/SIPS URI.
sb::Result<std::optional<std::string>> contact_uri(const Message& message) {
  const std::vector<std::string_view> contacts = message.values(HeaderName::Contact);
  if (contacts.empty()) {
    return std::optional<std::string>{};
  }
  if (contacts.size() > 1) {
    return Error{"more than one Contact", "Contact"};
  }
  sb::Result<NameAddr> parsed = parse_name_addr(contacts.front());
  if (!parsed) {
    return Error{parsed.error().message, "Contact"};
  }
  if (!is_sip_uri(parsed->uri)) {
    return Error{"Contact is not a SIP URI", "Contact"};
  }
  return std::optional<std::string>(std::string(parsed->uri_text));
}

// A From or To header: its URI and raw display name.
struct Party {
  std::string uri;
  std::string display_name;
  std::string tag;
};

sb::Result<Party> party_of(const Message& message, HeaderName name) {
  const sb::Result<NameAddr>& parsed = name == HeaderName::From ? message.from() : message.to();
  if (!parsed) {
    return parsed.error();
  }
  return Party{std::string(parsed->uri_text), std::string(parsed->display_name),
               std::string(parsed->tag().value_or(std::string_view{}))};
}

std::string name_addr(const std::string& display_name, const std::string& uri) {
  return display_name.empty() ? "<" + uri + ">" : display_name + " <" + uri + ">";
}

// RFC 3261 §12.1.1, §12.1.2: "the secure flag is set to TRUE" when the request went over TLS
// and its Request-URI is a SIPS URI.
bool secure_dialog(const Message& invite, const Peer& peer) {
  const sb::Result<Uri>& uri = invite.request_uri_parsed();
  return is_secure(peer.transport) && uri && uri->scheme == UriScheme::Sips;
}

}  // namespace

std::string_view dialog_state_name(DialogState state) {
  switch (state) {
    case DialogState::Early:
      return "early";
    case DialogState::Confirmed:
      return "confirmed";
    case DialogState::Terminated:
      return "terminated";
  }
  return "";
}

ReplyStatus reply_status(RequestCheck check) {
  switch (check) {
    case RequestCheck::Accepted:
    case RequestCheck::AckFor2xx:
    case RequestCheck::AckStray:
      return {};
    case RequestCheck::Bye:
      return {200, "OK"};
    case RequestCheck::OutOfOrder:
    case RequestCheck::InviteOverlap:
      return {500, "Server Internal Error"};
    case RequestCheck::RequestPending:
      return {491, "Request Pending"};
    case RequestCheck::BadContact:
      return {400, "Bad Contact"};
    case RequestCheck::Gone:
      return {481, "Call/Transaction Does Not Exist"};
  }
  return {};
}

bool is_target_refresh(Method method) {
  return method == Method::Invite || method == Method::Update || method == Method::Subscribe ||
         method == Method::Notify;
}

sb::Result<Dialog> Dialog::uas_from_invite(const Message& invite, const Peer& source,
                                           std::string local_tag, std::string local_contact) {
  if (!invite.is_request() || invite.method() != Method::Invite) {
    return Error{"not an INVITE", "request"};
  }
  sb::Result<Party> from = party_of(invite, HeaderName::From);
  if (!from) {
    return from.error();
  }
  sb::Result<Party> to = party_of(invite, HeaderName::To);
  if (!to) {
    return to.error();
  }
  if (!to->tag.empty()) {
    return Error{"To tag in a dialog-creating INVITE", "To"};
  }
  sb::Result<std::optional<std::string>> target = contact_uri(invite);
  if (!target) {
    return target.error();
  }
  if (!target->has_value()) {
    // RFC 3261 §8.1.1.8: an INVITE MUST carry a Contact; there is no remote target without it.
    return Error{"Missing Contact", "Contact"};
  }
  sb::Result<RouteSet> routes = route_set_of_request(invite);
  if (!routes) {
    return routes.error();
  }
  if (sb::Result<NameAddr> ours = parse_name_addr(local_contact); !ours || ours->wildcard) {
    return Error{"our Contact does not parse", "local contact"};
  }

  Dialog d;
  d.id_ = DialogId{std::string(invite.call_id()), std::move(local_tag), std::move(from->tag)};
  d.role_ = DialogRole::Uas;
  d.state_ = DialogState::Early;
  // §12.1.1: the local URI is the To URI, the remote URI the From URI.
  d.local_uri_ = std::move(to->uri);
  d.local_display_name_ = std::move(to->display_name);
  d.remote_uri_ = std::move(from->uri);
  d.remote_display_name_ = std::move(from->display_name);
  d.remote_target_ = std::move(**target);
  d.route_set_ = std::move(*routes);
  d.local_contact_ = std::move(local_contact);
  d.remote_cseq_ = invite.cseq();  // the local sequence number stays empty (§12.1.1)
  d.secure_ = secure_dialog(invite, source);
  d.peer_ = source;
  d.invite_in_ = invite.cseq();
  return d;
}

sb::Result<Dialog> Dialog::uac_from_response(const Message& invite, const Message& response,
                                             const Peer& source) {
  if (!invite.is_request() || invite.method() != Method::Invite) {
    return Error{"not an INVITE", "request"};
  }
  if (response.is_request() || response.status() <= 100 || response.status() >= 300) {
    return Error{"only a 101-299 response creates a dialog", "response"};
  }
  if (response.cseq_method() != Method::Invite || response.cseq() != invite.cseq() ||
      response.call_id() != invite.call_id()) {
    return Error{"response to another request", "response"};
  }
  sb::Result<Party> from = party_of(invite, HeaderName::From);
  if (!from) {
    return from.error();
  }
  sb::Result<Party> to = party_of(invite, HeaderName::To);
  if (!to) {
    return to.error();
  }
  sb::Result<DialogIdView> id = dialog_id_of_response(response);
  if (!id) {
    return id.error();
  }
  if (id->remote_tag.empty()) {
    return Error{"response without To tag", "To"};
  }
  if (id->local_tag != from->tag) {
    return Error{"From tag differs from the INVITE's", "From"};
  }
  const bool is_2xx = response.status() >= 200;
  sb::Result<std::optional<std::string>> target = contact_uri(response);
  if (!target) {
    return target.error();
  }
  if (!target->has_value() && is_2xx) {
    return Error{"2xx without Contact", "Contact"};
  }
  sb::Result<RouteSet> routes = route_set_of_response(response);
  if (!routes) {
    return routes.error();
  }

  Dialog d;
  d.id_ = DialogId::from(*id);
  d.role_ = DialogRole::Uac;
  d.state_ = is_2xx ? DialogState::Confirmed : DialogState::Early;
  // §12.1.2: the local URI is the From URI, the remote URI the To URI of the request.
  d.local_uri_ = std::move(from->uri);
  d.local_display_name_ = std::move(from->display_name);
  d.remote_uri_ = std::move(to->uri);
  d.remote_display_name_ = std::move(to->display_name);
  // A 1xx without Contact (which §12.1.1 forbids) leaves the INVITE's target in place.
  d.remote_target_ = target->has_value() ? std::move(**target) : std::string(invite.request_uri());
  d.route_set_ = std::move(*routes);
  d.local_contact_ = std::string(invite.first(HeaderName::Contact).value_or(std::string_view{}));
  d.local_cseq_ = invite.cseq();  // the remote sequence number stays empty (§12.1.2)
  d.secure_ = secure_dialog(invite, source);
  d.peer_ = source;
  if (!is_2xx) {
    d.invite_out_ = invite.cseq();
  }
  return d;
}

std::string Dialog::local_party() const { return name_addr(local_display_name_, local_uri_); }

std::string Dialog::remote_party() const { return name_addr(remote_display_name_, remote_uri_); }

sb::Result<Message> Dialog::make_request(Method method, const RequestOptions& options) {
  if (state_ == DialogState::Terminated) {
    return Error{"dialog terminated", "dialog"};
  }
  if (method == Method::Ack) {
    return Error{"an ACK is built by make_ack()", "dialog"};
  }
  if (method == Method::Cancel) {
    return Error{"a CANCEL is built from its INVITE by the transaction layer", "dialog"};
  }
  if (method == Method::Invite && (invite_out_ || invite_in_)) {
    // §14.1: no new INVITE while another INVITE transaction is in progress in either direction.
    return Error{"an INVITE transaction is in progress", "dialog"};
  }
  if (method == Method::Bye && role_ == DialogRole::Uas) {
    // §15: the callee never sends BYE on an early dialog; §15.1.1: nor on a confirmed one
    // before the ACK of its 2xx arrived or the retransmissions timed out.
    if (state_ == DialogState::Early) {
      return Error{"the UAS may not send BYE on an early dialog", "dialog"};
    }
    if (awaiting_ack_) {
      return Error{"BYE before the ACK of our 2xx", "dialog"};
    }
  }
  // §12.2.1.1: "incremented by one"; an empty local sequence number starts anywhere (§8.1.1.5).
  const uint32_t cseq = local_cseq_ ? *local_cseq_ + 1 : 1;
  sb::Result<Message> request = build_in_dialog_request(*this, method, cseq, options);
  if (!request) {
    return request;
  }
  local_cseq_ = cseq;
  if (method == Method::Invite) {
    invite_out_ = cseq;
  } else if (method == Method::Bye) {
    // §15.1.1: the session is over as soon as the BYE is sent. A BYE on an early dialog (§15)
    // gives up the INVITE too: its answers no longer confirm this dialog.
    if (state_ == DialogState::Early) {
      invite_out_.reset();
    }
    state_ = DialogState::Terminated;
  }
  return request;
}

sb::Result<Message> Dialog::make_ack(const Message& response_2xx,
                                     const RequestOptions& options) const {
  if (response_2xx.is_request() || response_2xx.status() < 200 || response_2xx.status() >= 300 ||
      response_2xx.cseq_method() != Method::Invite || response_2xx.call_id() != id_.call_id) {
    return Error{"an ACK acknowledges a 2xx to INVITE of this dialog", "dialog"};
  }
  // §13.2.2.4: the CSeq number of the INVITE, the method ACK.
  return build_in_dialog_request(*this, Method::Ack, response_2xx.cseq(), options);
}

sb::Result<DialogState> Dialog::on_response(const Message& response) {
  sb::Result<DialogIdView> id = dialog_id_of_response(response);
  if (response.is_request() || !id || id->call_id != id_.call_id ||
      id->local_tag != id_.local_tag || id->remote_tag != id_.remote_tag) {
    return Error{"not a response in this dialog", "dialog"};
  }
  const int status = response.status();
  const Method method = response.cseq_method();
  const bool is_2xx = status >= 200 && status < 300;
  // The 2xx of the INVITE an early dialog waits for confirms it, even when the dialog was ended
  // locally meanwhile (a CANCEL that lost the race, §9.1): the UAS now has a confirmed dialog,
  // which the transaction user ACKs and then ends with a BYE.
  const bool confirms = is_2xx && method == Method::Invite && invite_out_ &&
                        *invite_out_ == response.cseq() && state_ != DialogState::Confirmed;
  if (is_2xx && (state_ != DialogState::Terminated || confirms)) {
    std::optional<std::string> new_target;
    if (confirms || is_target_refresh(method)) {
      sb::Result<std::optional<std::string>> target = contact_uri(response);
      if (!target) {
        return target.error();
      }
      new_target = std::move(*target);
    }
    if (confirms) {
      // §13.2.2.4 / §12.1.2: the route set is recomputed from the 2xx, which confirms the
      // early dialog.
      sb::Result<RouteSet> routes = route_set_of_response(response);
      if (!routes) {
        return routes.error();
      }
      route_set_ = std::move(*routes);
      state_ = DialogState::Confirmed;
    }
    // §12.2.1.2: a 2xx to a target refresh replaces the remote target with its Contact.
    if (new_target) {
      remote_target_ = std::move(*new_target);
    }
  }
  if (method == Method::Invite && status >= 200 && invite_out_ && *invite_out_ == response.cseq()) {
    invite_out_.reset();
    if (status >= 300 && state_ == DialogState::Early) {
      state_ = DialogState::Terminated;  // §12.3: a non-2xx final ends the early dialog
    }
  }
  // §12.2.1.2: a 481 or 408 to a request inside the dialog terminates it.
  if (status == 481 || status == 408) {
    state_ = DialogState::Terminated;
  }
  return state_;
}

RequestCheck Dialog::check_request(const Message& request) {
  const Method method = request.method();
  if (method == Method::Ack) {
    // §13.3.1.4: the ACK carries the CSeq number of the INVITE whose 2xx it acknowledges.
    if (awaiting_ack_ && *awaiting_ack_ == request.cseq()) {
      awaiting_ack_.reset();
      return RequestCheck::AckFor2xx;
    }
    return RequestCheck::AckStray;
  }
  if (state_ == DialogState::Terminated) {
    return RequestCheck::Gone;
  }
  // §12.2.2: lower than the remote sequence number is out of order.
  if (remote_cseq_ && request.cseq() < *remote_cseq_) {
    return RequestCheck::OutOfOrder;
  }
  std::optional<std::string> new_target;
  if (is_target_refresh(method)) {
    sb::Result<std::optional<std::string>> target = contact_uri(request);
    if (!target) {
      return RequestCheck::BadContact;
    }
    new_target = std::move(*target);
  }
  remote_cseq_ = request.cseq();
  if (method == Method::Bye) {
    state_ = DialogState::Terminated;
    return RequestCheck::Bye;
  }
  if (method == Method::Invite) {
    // §14.2: an INVITE while ours is in progress is glare (491, the peer retries after a random
    // wait); one while theirs is unanswered gets 500 with a Retry-After of 0 to 10 seconds.
    if (invite_out_) {
      return RequestCheck::RequestPending;
    }
    if (invite_in_) {
      return RequestCheck::InviteOverlap;
    }
    invite_in_ = request.cseq();
  }
  // §12.2.2: a target refresh request replaces the remote target with its Contact, if present.
  if (new_target) {
    remote_target_ = std::move(*new_target);
  }
  return RequestCheck::Accepted;
}

sb::Result<Message> Dialog::respond(const Message& request, int status, std::string_view reason,
                                    ResponseParts parts) {
  if (!request.is_request() || request.call_id() != id_.call_id) {
    return Error{"not a request of this dialog", "dialog"};
  }
  const Method method = request.method();
  const bool is_2xx = status >= 200 && status < 300;
  parts.to_tag = id_.local_tag;
  // §12.1.1: a Contact in every dialog-creating response; §13.3.1.4 and §12.2.2 in 2xx to
  // target refreshes, so the peer can refresh its remote target.
  if (parts.contact.empty() && ((method == Method::Invite && status > 100 && status < 300) ||
                                (is_2xx && is_target_refresh(method)))) {
    parts.contact = local_contact_;
  }
  sb::Result<Message> response = build_response(request, status, reason, parts);
  if (!response) {
    return response;
  }
  if (method == Method::Invite && status >= 200) {
    if (invite_in_ && *invite_in_ == request.cseq()) {
      invite_in_.reset();
    }
    if (is_2xx) {
      awaiting_ack_ = request.cseq();
      if (state_ == DialogState::Early) {
        state_ = DialogState::Confirmed;
      }
    } else if (state_ == DialogState::Early) {
      state_ = DialogState::Terminated;  // §12.1.1: a 300-699 answer ends the early dialog
    }
  }
  return response;
}

}  // namespace sb::sip
