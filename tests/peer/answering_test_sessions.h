// peer/answering_test_sessions.h: the test peer's (`switchboard-test-peer`, main.cc) calls on the
// SIP session layer, so SIPp can exercise real INVITE sessions with Switchboard as UAS. By
// Request-URI user: "answer" rings, then answers 200 with the offer echoed (sendrecv kept,
// sendonly turned recvonly) after 100 ms; "early" sends a 183 with that answer (reliable when
// the caller supports 100rel) and the 200 after 300 ms (and after the PRACK, RFC 3262), leaving
// time for an UPDATE in the early dialog; "ring"
// rings until cancelled; others get 480. Offers inside the dialog (re-INVITE, UPDATE) are
// answered the same way. Not a call center: call/ is.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "sip/session/session_events.h"

namespace sb::sip::session {
class SessionLayer;
}

namespace sb::net {
class EventLoop;
}

namespace sb::peer {

// The answer to an SDP offer for a test peer: the same session with our origin. Enough for
// SIPp's checks; the media engine negotiates for real calls.
std::string echo_answer(std::string_view offer);

class AnsweringTestSessions final : public sip::session::SessionUser {
 public:
  explicit AnsweringTestSessions(net::EventLoop& loop) : loop_(loop) {}
  // Set once the session layer exists (serve attaches it to the stack).
  void set_layer(sip::session::SessionLayer* layer) { layer_ = layer; }

  void on_incoming(sip::session::InviteSession& session, const sip::Message& invite,
                   const sip::Peer& source) override;
  void on_offer(sip::session::InviteSession& session, const sip::session::Offer& offer) override;
  void on_answer(sip::session::InviteSession&, std::string_view) override {}
  void on_connected(sip::session::InviteSession&) override {}
  void on_terminated(sip::session::InviteSession&, const sip::session::Ended&) override {}

 private:
  void answer_later(uint64_t session, std::string sdp, Duration after);

  net::EventLoop& loop_;
  sip::session::SessionLayer* layer_ = nullptr;
};

}  // namespace sb::peer
