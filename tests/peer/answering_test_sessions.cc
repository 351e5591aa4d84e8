// app/answering_test_sessions.cc
#include "peer/answering_test_sessions.h"

#include <spdlog/spdlog.h>

#include "net/event_loop.h"
#include "sip/parse/uri.h"
#include "sip/session/session_layer.h"

namespace sb::peer {

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

namespace {

// Our offer for an INVITE that made none (the caller answers in its ACK).
constexpr std::string_view kOffer =
    "v=0\r\no=switchboard 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

}  // namespace

void AnsweringTestSessions::on_incoming(sip::session::InviteSession& session, const sip::Message& invite,
                                        const sip::Peer&) {
  auto uri = sip::parse_uri(invite.request_uri());
  const std::string user = uri ? std::string(uri->user) : std::string();
  const std::string answer = session.remote_sdp().empty() ? std::string(kOffer) : echo_answer(session.remote_sdp());
  Result<void> sent;
  if (user == "answer" || user == "ring") {
    sent = session.provisional(180, "Ringing");
  } else if (user == "early") {
    sent = session.provisional(183, "Session Progress", answer);
  } else {
    return session.reject(480, "Temporarily Unavailable");
  }
  if (!sent) {
    spdlog::info("test-answer: {}", sent.error().to_string());
    return;
  }
  if (user != "ring") {
    answer_later(session.id(), answer, user == "early" ? std::chrono::milliseconds(300) : std::chrono::milliseconds(100));
  }
}

void AnsweringTestSessions::answer_later(uint64_t id, std::string sdp, Duration after) {
  loop_.schedule_after(after, [this, id, sdp = std::move(sdp)] {
    sip::session::InviteSession* session = layer_ != nullptr ? layer_->find(id) : nullptr;
    if (session == nullptr || session->is_ended()) {
      return;
    }
    if (auto accepted = session->accept(sdp); !accepted) {
      spdlog::info("test-answer: {}", accepted.error().to_string());
    }
  });
}

void AnsweringTestSessions::on_offer(sip::session::InviteSession& session, const sip::session::Offer& offer) {
  if (auto answered = session.answer(echo_answer(offer.sdp)); !answered) {
    spdlog::info("test-answer: {}", answered.error().to_string());
  }
}

}  // namespace sb::peer
