#include <string>

#include "net/event_loop.h"
#include "sip/parse/uri.h"
#include "sip/stack/session_handler.h"
#include "sip/stack/sip_stack.h"

namespace sb::sip {

void UnavailableSessions::on_invite(SipStack& stack, ServerTransactionId tx, const Message&, const Peer&) {
  stack.reply(tx, 480, "Temporarily Unavailable");
}

namespace {

// The answer to an SDP offer for a test peer: the same session with our origin. Enough for
// SIPp's checks; the media engine negotiates for real.
std::string echo_answer(std::string_view offer) {
  std::string answer(offer);
  if (size_t o = answer.find("o="); o != std::string::npos) {
    size_t end = answer.find('\n', o);
    answer.replace(o, end == std::string::npos ? std::string::npos : end - o, "o=switchboard 1 1 IN IP4 127.0.0.1\r");
  }
  for (auto [from, to] : {std::pair{"a=sendonly", "a=recvonly"}, std::pair{"a=recvonly", "a=sendonly"}}) {
    if (size_t at = answer.find(from); at != std::string::npos) {
      answer.replace(at, std::string_view(from).size(), to);
      break;
    }
  }
  return answer;
}

}  // namespace

void AnsweringSessions::on_invite(SipStack& stack, ServerTransactionId tx, const Message& invite, const Peer& source) {
  auto uri = parse_uri(invite.request_uri());
  std::string user = uri ? std::string(uri->user) : std::string();
  if (user != "answer" && user != "ring") {
    stack.reply(tx, 480, "Temporarily Unavailable");
    return;
  }
  Dialog* dialog = stack.accept_invite(tx, source, 180, "Ringing");
  if (dialog == nullptr || user == "ring") return;
  const DialogId id = dialog->id();
  ResponseParts parts;
  if (!invite.body().empty()) {
    parts.content_type = "application/sdp";
    parts.body = echo_answer(invite.body());
  }
  stack.loop().schedule_after(std::chrono::milliseconds(100), [&stack, tx, id, parts] {
    if (Dialog* d = stack.dialog(id)) stack.answer_in_dialog(tx, *d, 200, "OK", parts);
  });
}

void AnsweringSessions::on_dialog_request(SipStack& stack, ServerTransactionId tx, Dialog& dialog,
                                          const Message& request) {
  ResponseParts parts;
  if (request.method() == Method::Invite && !request.body().empty()) {
    parts.content_type = "application/sdp";
    parts.body = echo_answer(request.body());
  }
  stack.answer_in_dialog(tx, dialog, 200, "OK", parts);
}

}  // namespace sb::sip
