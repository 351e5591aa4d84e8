// sip/dialog/dialog_id.h: the dialog identifier of RFC 3261 §12 (Call-ID, local tag, remote
// tag) and how to read it from a message we received. Matching only; no dialog state here.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sip/message.h"

namespace sb::sip {

// Views, for look-ups without copying; valid as long as what they point into.
struct DialogIdView {
  std::string_view call_id;
  std::string_view local_tag;
  std::string_view remote_tag;  // "" for an RFC 2543 peer that sent no tag (§12.1.1)

  friend bool operator==(const DialogIdView&, const DialogIdView&) = default;
  friend auto operator<=>(const DialogIdView&, const DialogIdView&) = default;
};

// Call-IDs and tags compare byte for byte (RFC 3261 §20.8, §19.3: opaque tokens).
struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;

  DialogIdView view() const { return {call_id, local_tag, remote_tag}; }
  static DialogId from(DialogIdView v) {
    return {std::string(v.call_id), std::string(v.local_tag), std::string(v.remote_tag)};
  }
  friend bool operator==(const DialogId&, const DialogId&) = default;
  friend auto operator<=>(const DialogId&, const DialogId&) = default;
};

// Ordering on the three fields in turn, with DialogId and DialogIdView mixed, so a std::map
// keyed by DialogId is searched with views and ranged over one Call-ID and local tag (forks).
struct DialogIdLess {
  using is_transparent = void;
  static DialogIdView v(const DialogId& id) { return id.view(); }
  static DialogIdView v(const DialogIdView& id) { return id; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return v(a) < v(b);
  }
};

// The id of the dialog a received request belongs to, seen from us, the UAS of that request:
// local tag from To, remote tag from From (RFC 3261 §12.2.2). A request whose To has no tag is
// outside any dialog: local_tag comes back empty. Fails when From or To does not parse. The tags
// are read through Message::to() and from(), parsed once for every layer.
sb::Result<DialogIdView> dialog_id_of_request(const Message& request);

// The id of the dialog a response to our request belongs to: local tag from From, remote tag
// from To (RFC 3261 §12.1.2). remote_tag is empty for a response without a To tag.
sb::Result<DialogIdView> dialog_id_of_response(const Message& response);

}  // namespace sb::sip
