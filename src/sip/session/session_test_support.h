// sip/session/session_test_support.h: a fake SIP stack under the session layer (records every
// response and request, makes real Dialogs, runs timers on a virtual clock) and a user that
// records every event. For the session tests, and for the call layer's tests that need a
// session layer on fakes.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "sip/dialog/dialog_test_support.h"
#include "sip/message_parser.h"
#include "sip/session/session_layer.h"

namespace sb::sip::session::testing {

using sip::testing::crlf;
using sip::testing::parse_ok;

// A message from its head (bare LF line ends, no Content-Length) and an SDP body (as sdp()
// makes it, CRLF): Content-Type and Content-Length are added.
inline Message message(std::string_view head, std::string_view body = "") {
  std::string text = crlf(head);
  if (!body.empty()) {
    text += "Content-Type: application/sdp\r\n";
  }
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
  ParseResult r = MessageParser().parse(text, /*datagram=*/false);
  if (const ParseError* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "does not parse: " << e->reason << "\n" << text;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

struct SentResponse {
  uint64_t tx = 0;
  int status = 0;
  std::string reason;
  ResponseParts parts;
  std::optional<Message> message;  // built by the dialog, when in one

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : parts.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }
};

struct SentRequest {
  DialogId dialog;
  Method method = Method::Unknown;
  RequestOptions options;
  InDialogResponse on_response;
  Message message;

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : options.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }
};

class FakeStack final : public StackPort {
 public:
  VirtualClock virtual_clock{TimePoint{std::chrono::seconds(1'000'000)}};
  TimerQueue queue;
  std::map<uint64_t, Message> server_requests;  // by server transaction id
  std::vector<SentResponse> responses;
  std::vector<SentRequest> requests;
  std::vector<OutgoingInvite> invites;
  InviteProgress progress;                // the last INVITE's
  std::vector<InviteProgress> progresses;  // every INVITE's, in the order of invites
  std::vector<uint64_t> cancelled;
  std::vector<std::pair<DialogId, int>> hung_up;
  std::map<DialogId, Dialog, DialogIdLess> dialogs;

  // A request arriving on server transaction `tx`.
  Message& receive(uint64_t tx, std::string_view head, std::string_view body = "") {
    server_requests.insert_or_assign(tx, message(head, body));
    return server_requests.at(tx);
  }
  void advance(Duration d) {
    virtual_clock.advance(d);
    queue.run_due(virtual_clock.now());
  }
  const SentResponse* last_response(uint64_t tx) const {
    for (auto it = responses.rbegin(); it != responses.rend(); ++it) {
      if (it->tx == tx) {
        return &*it;
      }
    }
    return nullptr;
  }
  size_t responses_with(uint64_t tx, int status) const {
    size_t n = 0;
    for (const auto& r : responses) {
      n += r.tx == tx && r.status == status ? 1 : 0;
    }
    return n;
  }
  size_t requests_of(Method method) const {
    size_t n = 0;
    for (const auto& r : requests) {
      n += r.method == method ? 1 : 0;
    }
    return n;
  }
  // The UAC dialog a response to our INVITE makes (as the stack would), for progress().
  Dialog* dialog_from(const Message& invite, const Message& response) {
    auto made = Dialog::uac_from_response(invite, response, sip::testing::udp_peer());
    if (!made) {
      ADD_FAILURE() << made.error().to_string();
      return nullptr;
    }
    auto [it, added] = dialogs.insert_or_assign(made->id(), std::move(*made));
    return &it->second;
  }

  // StackPort
  void reply(ServerTransactionId tx, int status, std::string_view reason, ResponseParts parts) override {
    responses.push_back({tx.value, status, std::string(reason), std::move(parts), std::nullopt});
  }
  Dialog* accept_invite(ServerTransactionId tx, const Peer& source, int status, std::string_view reason,
                        ResponseParts parts) override {
    auto made = Dialog::uas_from_invite(server_requests.at(tx.value), source, "ourtag", "<sip:sb@192.0.2.4:5060>");
    if (!made) {
      reply(tx, 400, made.error().message, {});
      return nullptr;
    }
    auto [it, added] = dialogs.insert_or_assign(made->id(), std::move(*made));
    answer_in_dialog(tx, it->second, status, reason, std::move(parts));
    return &it->second;
  }
  void answer_in_dialog(ServerTransactionId tx, Dialog& dialog, int status, std::string_view reason,
                        ResponseParts parts) override {
    auto built = dialog.respond(server_requests.at(tx.value), status, reason, parts);
    EXPECT_TRUE(built) << (built ? "" : built.error().to_string());
    responses.push_back({tx.value, status, std::string(reason), std::move(parts),
                         built ? std::optional<Message>(*built) : std::nullopt});
  }
  Result<client::UacRequestId> invite(OutgoingInvite out, InviteProgress on_progress) override {
    invites.push_back(std::move(out));
    progresses.push_back(on_progress);
    progress = std::move(on_progress);
    return client::UacRequestId{invites.size()};
  }
  void cancel_invite(client::UacRequestId id) override { cancelled.push_back(id.value); }
  Result<ClientTransactionId> request_in_dialog(const DialogId& id, Method method, const RequestOptions& extra,
                                                InDialogResponse on_response) override {
    auto it = dialogs.find(id.view());
    if (it == dialogs.end()) {
      return Error{"the dialog has ended", "dialog", ErrorCode::NotFound};
    }
    RequestOptions options = extra;
    options.via = "SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKfake" + std::to_string(requests.size());
    auto request = it->second.make_request(method, options);
    if (!request) {
      return request.error();
    }
    requests.push_back({id, method, extra, std::move(on_response), std::move(*request)});
    return ClientTransactionId{requests.size()};
  }
  void hang_up(const DialogId& id, int status) override { hung_up.emplace_back(id, status); }
  Dialog* dialog(const DialogId& id) override {
    auto it = dialogs.find(id.view());
    return it == dialogs.end() ? nullptr : &it->second;
  }
  TimerQueue& timers() override { return queue; }
  const Clock& clock() const override { return clock_ref(); }

  // The far end answers request `n` (0-based) of requests with `status` (and a body).
  void answer_request(size_t n, int status, std::string_view extra_headers = "", std::string_view body = "") {
    const SentRequest& r = requests.at(n);
    std::string text = "SIP/2.0 " + std::to_string(status) + " X\n";
    for (const auto& h : {HeaderName::Via, HeaderName::From, HeaderName::To, HeaderName::CallId, HeaderName::CSeq}) {
      text += std::string(canonical_name(h)) + ": " + std::string(r.message.first(h).value_or("")) + "\n";
    }
    if (status < 300) {
      text += "Contact: <sip:peer@192.0.2.1>\n";
    }
    text += std::string(extra_headers);
    Message response = message(text, body);
    if (Dialog* d = dialog(r.dialog)) {
      (void)d->on_response(response);
    }
    if (r.on_response) {
      r.on_response(response);
    }
  }

 private:
  const Clock& clock_ref() const { return virtual_clock; }
};

// Records what the session layer tells its user; optional actions run inside the callbacks.
class RecordingUser final : public SessionUser {
 public:
  std::vector<std::string> events;  // "incoming", "offer sendonly hold", "answer", ...
  InviteSession* last = nullptr;
  std::optional<Ended> ended;
  std::vector<std::string> answers;
  std::vector<Offer> offers;
  std::function<void(InviteSession&)> on_incoming_do;
  std::function<void(InviteSession&, const Offer&)> on_offer_do;

  void on_incoming(InviteSession& s, const Message&, const Peer&) override {
    last = &s;
    events.push_back("incoming");
    if (on_incoming_do) {
      on_incoming_do(s);
    }
  }
  void on_progress(InviteSession& s, const Message& m) override {
    last = &s;
    events.push_back("progress " + std::to_string(m.status()));
  }
  void on_offer(InviteSession& s, const Offer& offer) override {
    events.push_back(std::string("offer ") + std::string(media_direction_name(offer.direction)) +
                     (offer.hold_changed ? " changed" : ""));
    offers.push_back(offer);
    if (on_offer_do) {
      on_offer_do(s, offer);
    }
  }
  void on_answer(InviteSession&, std::string_view sdp) override {
    events.push_back("answer");
    answers.emplace_back(sdp);
  }
  void on_offer_refused(InviteSession&, int status) override { events.push_back("refused " + std::to_string(status)); }
  void on_connected(InviteSession&) override { events.push_back("connected"); }
  void on_refreshed(InviteSession&) override { events.push_back("refreshed"); }
  void on_info(InviteSession& s, ServerTransactionId tx, const Message& m) override {
    events.push_back("info");
    SessionUser::on_info(s, tx, m);
  }
  void on_terminated(InviteSession&, const Ended& e) override {
    events.push_back("terminated " + std::string(end_reason_name(e.reason)));
    ended = e;
  }
};

// A description with a distinguishing origin version and a direction attribute.
inline std::string sdp(int version, std::string_view direction = "sendrecv") {
  return crlf("v=0\no=- 1 " + std::to_string(version) +
              " IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\na=" + std::string(direction) +
              "\n");
}

}  // namespace sb::sip::session::testing
