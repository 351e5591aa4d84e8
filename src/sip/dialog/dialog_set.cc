// sip/dialog/dialog_set.cc
#include "sip/dialog/dialog_set.h"

#include "sip/dialog/dialog_response.h"

namespace sb::sip {
namespace {

constexpr uint32_t kMaxRetryAfter = 10;  // RFC 3261 §14.2: "between 0 and 10 seconds"

Incoming respond_with(sb::Result<Message> response, Dialog* dialog) {
  if (!response) {
    return Discard{response.error().to_string()};
  }
  return Reply{std::move(*response), dialog};
}

}  // namespace

sb::Result<Dialog*> DialogSet::create_uas(const Message& invite, const Peer& source,
                                          std::string local_contact) {
  sb::Result<Dialog> dialog =
      Dialog::uas_from_invite(invite, source, ids_.tag(), std::move(local_contact));
  if (!dialog) {
    return dialog.error();
  }
  DialogId id = dialog->id();
  auto [it, inserted] = dialogs_.emplace(std::move(id), std::move(*dialog));
  if (!inserted) {
    return Error{"dialog exists", "dialog"};  // a repeated 64-bit tag: should not happen
  }
  return &it->second;
}

Incoming DialogSet::receive(const Message& request) {
  if (!request.is_request()) {
    return Discard{"not a request"};
  }
  const bool is_ack = request.method() == Method::Ack;
  sb::Result<DialogIdView> id = dialog_id_of_request(request);
  if (!id) {
    if (is_ack) {
      return Discard{id.error().to_string()};
    }
    return respond_with(build_response(request, 400, "Bad " + id.error().where + " header"),
                        nullptr);
  }
  if (id->local_tag.empty()) {
    // An ACK without To tag acknowledged a 3xx-6xx, which its transaction absorbs.
    return is_ack ? Incoming{Discard{"ACK outside a dialog"}} : Incoming{OutOfDialog{}};
  }
  Dialog* dialog = find(*id);
  if (dialog == nullptr) {
    // §12.2.2: a request with a To tag that matches no dialog gets 481; an ACK gets nothing.
    if (is_ack) {
      return Discard{"ACK for no dialog"};
    }
    return respond_with(build_response(request, 481, reply_status(RequestCheck::Gone).reason),
                        nullptr);
  }
  const RequestCheck check = dialog->check_request(request);
  switch (check) {
    case RequestCheck::Accepted:
      return InDialog{dialog};
    case RequestCheck::AckFor2xx:
      return AckReceived{dialog};
    case RequestCheck::AckStray:
      return Discard{"ACK for no pending 2xx"};
    case RequestCheck::Bye: {
      const ReplyStatus ok = reply_status(check);
      sb::Result<Message> response = dialog->respond(request, ok.status, ok.reason);
      if (!response) {
        return Discard{response.error().to_string()};
      }
      return DialogEnded{dialog, std::move(*response), dialog->invite_in().has_value()};
    }
    default:
      return reply(request, check, dialog);
  }
}

Incoming DialogSet::reply(const Message& request, RequestCheck check, Dialog* dialog) {
  const ReplyStatus rs = reply_status(check);
  ResponseParts parts;
  if (check == RequestCheck::InviteOverlap) {
    parts.headers.emplace_back("Retry-After", std::to_string(ids_.uniform(0, kMaxRetryAfter)));
  }
  return respond_with(build_response(request, rs.status, rs.reason, parts), dialog);
}

sb::Result<InviteResponseOutcome> DialogSet::on_invite_response(const Message& invite,
                                                                const Message& response,
                                                                const Peer& source) {
  InviteResponseOutcome out;
  const int status = response.status();
  if (response.is_request() || status <= 100) {
    return out;
  }
  sb::Result<DialogIdView> id = dialog_id_of_response(response);
  if (!id) {
    return id.error();
  }
  if (status >= 300) {
    out.terminated = terminate_early(id->call_id, id->local_tag);
    return out;
  }
  if (id->remote_tag.empty()) {
    if (status >= 200) {
      return Error{"2xx without To tag", "To"};
    }
    return out;  // a provisional response without tag creates no dialog (§12.1.2)
  }
  const bool is_2xx = status >= 200;
  bool confirmed_before = false;
  for (Dialog* d : dialogs_of(id->call_id, id->local_tag)) {
    if (d->id().remote_tag != id->remote_tag && d->state() == DialogState::Confirmed) {
      confirmed_before = true;
    }
  }
  if (Dialog* existing = find(*id)) {
    const DialogState before = existing->state();
    sb::Result<DialogState> after = existing->on_response(response);
    if (!after) {
      return after.error();
    }
    out.dialog = existing;
    out.confirmed = before != DialogState::Confirmed && *after == DialogState::Confirmed;
    out.other_confirmed = is_2xx && confirmed_before;
    return out;
  }
  sb::Result<Dialog> created = Dialog::uac_from_response(invite, response, source);
  if (!created) {
    return created.error();
  }
  auto [it, inserted] = dialogs_.emplace(created->id(), std::move(*created));
  (void)inserted;  // find() above saw no dialog with this id
  out.dialog = &it->second;
  out.created = true;
  out.confirmed = is_2xx;
  out.other_confirmed = is_2xx && confirmed_before;
  return out;
}

std::vector<DialogId> DialogSet::terminate_early(std::string_view call_id,
                                                 std::string_view local_tag) {
  std::vector<DialogId> out;
  for (Dialog* d : dialogs_of(call_id, local_tag)) {
    if (d->state() == DialogState::Early) {
      d->terminate();
      out.push_back(d->id());
    }
  }
  return out;
}

Dialog* DialogSet::find(DialogIdView id) {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : &it->second;
}

Dialog* DialogSet::find_for_response(const Message& response) {
  sb::Result<DialogIdView> id = dialog_id_of_response(response);
  return id ? find(*id) : nullptr;
}

std::vector<Dialog*> DialogSet::dialogs_of(std::string_view call_id, std::string_view local_tag) {
  std::vector<Dialog*> out;
  // The map orders by Call-ID, then local tag, then remote tag: the forks are one range,
  // starting at the empty remote tag.
  for (auto it = dialogs_.lower_bound(DialogIdView{call_id, local_tag, {}});
       it != dialogs_.end() && it->first.call_id == call_id && it->first.local_tag == local_tag;
       ++it) {
    out.push_back(&it->second);
  }
  return out;
}

bool DialogSet::erase(DialogIdView id) {
  auto it = dialogs_.find(id);
  if (it == dialogs_.end()) {
    return false;
  }
  dialogs_.erase(it);
  return true;
}

size_t DialogSet::erase_terminated() {
  return std::erase_if(dialogs_, [](const auto& entry) { return entry.second.is_terminated(); });
}

}  // namespace sb::sip
