// The invite session as UAS, on a fake stack: answering, early media reliable and not, the
// ACK, CANCEL, session timers both ways, re-INVITE and UPDATE offers, refreshes and glare.
#include <gtest/gtest.h>

#include "sip/session/session_test_support.h"

namespace sb::sip::session {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using sip::testing::udp_peer;

constexpr std::string_view kInvite =
    "INVITE sip:+15550100@192.0.2.4 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKinv1\n"
    "From: <sip:+15551234@carrier>;tag=caller1\n"
    "To: <sip:+15550100@192.0.2.4>\n"
    "Call-ID: call-1@192.0.2.1\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:caller@192.0.2.1:5060>\n"
    "Max-Forwards: 70\n";

class UasSession : public ::testing::Test {
 protected:
  FakeStack stack;
  RecordingUser user;
  SessionLayer layer{stack, user, SessionPolicy{}, 7};
  uint64_t next_tx = 1;
  uint64_t invite_tx = 0;

  InviteSession& incoming(std::string_view extra = "", std::string body = sdp(1)) {
    invite_tx = next_tx++;
    Message& invite = stack.receive(invite_tx, std::string(kInvite) + std::string(extra), body);
    user.last = nullptr;
    layer.on_invite(ServerTransactionId{invite_tx}, invite, udp_peer());
    EXPECT_NE(user.last, nullptr) << "the user heard of no session";
    return *user.last;
  }
  Dialog& dialog(InviteSession& s) { return *stack.dialog(*s.dialog()); }
  // The caller sends `method` inside the dialog.
  uint64_t from_caller(InviteSession& s, const std::string& method, int cseq, std::string_view extra = "",
                       std::string_view body = "") {
    const uint64_t tx = next_tx++;
    const std::string head = method + " sip:sb@192.0.2.4:5060 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKin" +
                             std::to_string(tx) +
                             "\nFrom: <sip:+15551234@carrier>;tag=caller1\nTo: <sip:+15550100@192.0.2.4>;tag=ourtag\n"
                             "Call-ID: call-1@192.0.2.1\nCSeq: " +
                             std::to_string(cseq) + " " + method +
                             "\nContact: <sip:caller@192.0.2.1:5060>\nMax-Forwards: 70\n" + std::string(extra);
    Message& m = stack.receive(tx, head, body);
    Dialog& d = dialog(s);
    const RequestCheck check = d.check_request(m);
    if (method == "ACK") {
      layer.on_ack(d, m);
    } else {
      EXPECT_EQ(check, RequestCheck::Accepted);
      layer.on_dialog_request(ServerTransactionId{tx}, d, m);
    }
    return tx;
  }
  void connect(InviteSession& s) {
    ASSERT_TRUE(s.accept(sdp(100)));
    from_caller(s, "ACK", 1);
    ASSERT_EQ(s.state(), SessionState::Connected);
  }
};

TEST_F(UasSession, AnOfferIsAnsweredWith200AndTheAckConnects) {
  InviteSession& s = incoming("Supported: timer\n");
  EXPECT_EQ(s.state(), SessionState::Incoming);
  EXPECT_EQ(s.offer_answer().state(), OfferState::RemoteOffer);
  EXPECT_EQ(s.remote_sdp(), sdp(1));
  ASSERT_TRUE(s.accept(sdp(100)));
  const SentResponse* ok = stack.last_response(invite_tx);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->parts.body, sdp(100));
  EXPECT_EQ(ok->header("Session-Expires"), "1800;refresher=uac");
  EXPECT_EQ(ok->header("Require"), "timer");
  EXPECT_EQ(s.state(), SessionState::Accepted);
  from_caller(s, "ACK", 1);
  EXPECT_EQ(s.state(), SessionState::Connected);
  EXPECT_EQ(user.events, (std::vector<std::string>{"incoming", "connected"}));
  EXPECT_TRUE(s.offer_answer().negotiated());
}

TEST_F(UasSession, ASessionIntervalBelowMinSeGets422AndNoSession) {
  invite_tx = next_tx++;
  Message& invite = stack.receive(invite_tx, std::string(kInvite) + "Session-Expires: 30\nSupported: timer\n", sdp(1));
  layer.on_invite(ServerTransactionId{invite_tx}, invite, udp_peer());
  ASSERT_EQ(stack.responses.size(), 1u);
  EXPECT_EQ(stack.responses[0].status, 422);
  EXPECT_EQ(stack.responses[0].header("Min-SE"), "90");
  EXPECT_TRUE(user.events.empty());
  stack.advance(1ms);
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(UasSession, EarlyMediaGoesReliablyWhenTheCallerSupports100relAndThe200WaitsForThePrack) {
  InviteSession& s = incoming("Supported: 100rel, timer\n");
  ASSERT_TRUE(s.provisional(183, "Session Progress", sdp(100)));
  const SentResponse* p = stack.last_response(invite_tx);
  ASSERT_EQ(p->status, 183);
  EXPECT_EQ(p->header("Require"), "100rel");
  const std::string rseq = p->header("RSeq");
  ASSERT_FALSE(rseq.empty());
  EXPECT_TRUE(s.offer_answer().negotiated()) << "a reliable 183 completes the exchange";
  stack.advance(500ms);
  EXPECT_EQ(stack.responses_with(invite_tx, 183), 2u) << "retransmitted after T1";
  ASSERT_TRUE(s.accept(sdp(100)));
  EXPECT_EQ(stack.responses_with(invite_tx, 200), 0u) << "RFC 3262 §3: the 2xx waits for the PRACK";
  const uint64_t bad = from_caller(s, "PRACK", 2, "RAck: 1 1 INVITE\n");
  EXPECT_EQ(stack.last_response(bad)->status, 481);
  const uint64_t prack = from_caller(s, "PRACK", 3, "RAck: " + rseq + " 1 INVITE\n");
  EXPECT_EQ(stack.last_response(prack)->status, 200);
  EXPECT_EQ(stack.responses_with(invite_tx, 200), 1u);
  EXPECT_EQ(stack.last_response(invite_tx)->parts.body, sdp(100));
  stack.advance(10s);
  EXPECT_EQ(stack.responses_with(invite_tx, 183), 2u) << "no more retransmissions after the PRACK";
  EXPECT_EQ(layer.stats().reliable_1xx, 1u);
}

TEST_F(UasSession, AReliable1xxNeverPrackedEndsTheCallWith504After64T1) {
  InviteSession& s = incoming("Require: 100rel\n");
  ASSERT_TRUE(s.provisional(180, "Ringing"));
  EXPECT_EQ(stack.last_response(invite_tx)->header("Require"), "100rel") << "Require: 100rel makes every 1xx reliable";
  for (int i = 0; i < 400; ++i) {
    stack.advance(100ms);
  }
  EXPECT_EQ(stack.last_response(invite_tx)->status, 504);
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::PrackTimeout);
  EXPECT_GE(stack.responses_with(invite_tx, 180), 6u);
}

TEST_F(UasSession, WithoutReliableSupportThe200RepeatsTheEarlyAnswer) {
  InviteSession& s = incoming();
  ASSERT_TRUE(s.provisional(183, "Session Progress", sdp(100)));
  EXPECT_EQ(stack.last_response(invite_tx)->header("Require"), "");
  EXPECT_EQ(s.offer_answer().state(), OfferState::RemoteOffer) << "an unreliable answer is a preview";
  ASSERT_TRUE(s.accept(sdp(101)));
  EXPECT_EQ(stack.last_response(invite_tx)->parts.body, sdp(100));
}

TEST_F(UasSession, ACancelBeforeTheAnswerEndsTheSessionAsCancelled) {
  InviteSession& s = incoming();
  ASSERT_TRUE(s.provisional(180, "Ringing"));
  layer.on_dialog_ended(dialog(s));  // the stack ended the early dialog for the CANCEL
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::Cancelled);
  layer.on_cancelled(ServerTransactionId{invite_tx});
  EXPECT_EQ(user.events.back(), "terminated cancelled");
  EXPECT_EQ(user.events, (std::vector<std::string>{"incoming", "terminated cancelled"})) << "reported once";
}

TEST_F(UasSession, ACancelBeforeAnyResponseEndsTheSessionToo) {
  incoming();
  layer.on_cancelled(ServerTransactionId{invite_tx});
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::Cancelled);
}

TEST_F(UasSession, NoAckForThe2xxEndsAsNoAck) {
  InviteSession& s = incoming();
  ASSERT_TRUE(s.accept(sdp(100)));
  layer.on_dialog_ended(dialog(s));
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::NoAck);
}

TEST_F(UasSession, AByeEndsAsRemoteHangupAndOurEndIsQuiet) {
  InviteSession& s = incoming();
  connect(s);
  layer.on_dialog_ended(dialog(s));
  EXPECT_EQ(user.ended->reason, EndReason::RemoteHangup);
  InviteSession& t = incoming();
  connect(t);
  t.end();
  EXPECT_EQ(stack.hung_up.size(), 1u);
  EXPECT_EQ(user.events.back(), "connected") << "no on_terminated for the user's own end()";
}

TEST_F(UasSession, AHoldReInviteIsAnOfferWithTheHoldChangeAndItsAnswerCarriesTheTimer) {
  InviteSession& s = incoming("Supported: timer\n");
  connect(s);
  const uint64_t tx = from_caller(s, "INVITE", 2, "Supported: timer\n", sdp(2, "sendonly"));
  EXPECT_EQ(user.events.back(), "offer sendonly changed");
  EXPECT_EQ(s.offer_answer().state(), OfferState::RemoteOffer);
  ASSERT_TRUE(s.answer(sdp(101, "recvonly")));
  const SentResponse* ok = stack.last_response(tx);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->parts.body, sdp(101, "recvonly"));
  EXPECT_EQ(ok->header("Session-Expires"), "1800;refresher=uac");
  EXPECT_TRUE(s.remote_hold());
  from_caller(s, "INVITE", 3, "", sdp(3, "sendrecv"));
  EXPECT_EQ(user.events.back(), "offer sendrecv changed") << "resume";
}

TEST_F(UasSession, TheSameDescriptionAgainIsARefreshAnsweredWithoutTheUser) {
  InviteSession& s = incoming("Supported: timer\n");
  connect(s);
  const uint64_t tx = from_caller(s, "INVITE", 2, "Supported: timer\n", sdp(1));
  EXPECT_EQ(user.events.back(), "refreshed");
  EXPECT_EQ(stack.last_response(tx)->parts.body, sdp(100));
  const uint64_t update = from_caller(s, "UPDATE", 3, "Supported: timer\n");
  EXPECT_EQ(stack.last_response(update)->status, 200);
  EXPECT_EQ(stack.last_response(update)->parts.body, "");
  EXPECT_EQ(layer.stats().refreshes, 2u);
}

TEST_F(UasSession, ASessionNotRefreshedByTheCallerExpiresWithABye) {
  InviteSession& s = incoming("Supported: timer\nSession-Expires: 90;refresher=uac\n");
  connect(s);
  stack.advance(50s);
  from_caller(s, "UPDATE", 2, "Supported: timer\nSession-Expires: 90;refresher=uac\n");
  stack.advance(50s);
  EXPECT_FALSE(user.ended) << "the refresh re-armed the timer";
  stack.advance(11s);  // 90 - min(32, 30) = 60 s after the refresh
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::SessionExpired);
  EXPECT_EQ(stack.hung_up.size(), 1u);
  EXPECT_EQ(layer.stats().expired, 1u);
}

TEST_F(UasSession, WhenWeRefreshWeSendAReInviteWithOurDescriptionAtHalfTheInterval) {
  InviteSession& s = incoming();  // no timer support: we refresh
  connect(s);
  stack.advance(899s);
  EXPECT_EQ(stack.requests_of(Method::Invite), 0u);
  stack.advance(2s);
  ASSERT_EQ(stack.requests_of(Method::Invite), 1u);
  EXPECT_EQ(stack.requests[0].options.body, sdp(100));
  stack.answer_request(0, 200, "Session-Expires: 1800;refresher=uac\n", sdp(1));
  EXPECT_EQ(user.events.back(), "connected") << "an unchanged answer is not news";
  stack.advance(901s);
  EXPECT_EQ(stack.requests_of(Method::Invite), 2u);
}

TEST_F(UasSession, WhenThePeerTakesUpdateWeRefreshWithABodylessUpdate) {
  InviteSession& s = incoming("Allow: INVITE, ACK, BYE, UPDATE\n");
  connect(s);
  stack.advance(901s);
  ASSERT_EQ(stack.requests_of(Method::Update), 1u);
  EXPECT_EQ(stack.requests[0].options.body, "");
  EXPECT_EQ(s.offer_answer().state(), OfferState::Idle);
}

TEST_F(UasSession, TheirOfferWhileOursIsOutstandingGets491) {
  InviteSession& s = incoming();
  connect(s);
  ASSERT_TRUE(s.offer(sdp(102, "sendonly")));
  EXPECT_FALSE(s.offer(sdp(103))) << "one offer at a time";
  const uint64_t tx = from_caller(s, "UPDATE", 2, "", sdp(2));
  EXPECT_EQ(stack.last_response(tx)->status, 491);
  EXPECT_EQ(layer.stats().glare_491, 1u);
}

TEST_F(UasSession, OurReInviteRefusedWith491IsSentAgainWithinTwoSeconds) {
  InviteSession& s = incoming();
  connect(s);
  ASSERT_TRUE(s.offer(sdp(102, "sendonly")));
  stack.answer_request(0, 491);
  EXPECT_TRUE(s.offer_answer().is_idle()) << "rolled back while waiting";
  stack.advance(2001ms);  // not the Call-ID's owner: 0 to 2 s
  ASSERT_EQ(stack.requests_of(Method::Invite), 2u);
  EXPECT_EQ(stack.requests[1].options.body, sdp(102, "sendonly"));
  stack.answer_request(1, 200, "", sdp(4, "recvonly"));
  EXPECT_EQ(user.events.back(), "answer");
  EXPECT_EQ(s.local_sdp(), sdp(102, "sendonly"));
  EXPECT_EQ(layer.stats().glare_retries, 1u);
}

TEST_F(UasSession, ARefusedOfferLeavesThePreviousDescription) {
  InviteSession& s = incoming();
  connect(s);
  ASSERT_TRUE(s.offer(sdp(102)));
  stack.answer_request(0, 488);
  EXPECT_EQ(user.events.back(), "refused 488");
  EXPECT_EQ(s.local_sdp(), sdp(100));
  EXPECT_TRUE(s.offer_answer().is_idle());
}

TEST_F(UasSession, A481ToOurRequestEndsTheSessionAsDialogGone) {
  InviteSession& s = incoming();
  connect(s);
  ASSERT_TRUE(s.offer(sdp(102)));
  stack.answer_request(0, 481);
  layer.on_dialog_ended(dialog(s));  // the stack ends a dialog after 481
  EXPECT_EQ(user.ended->reason, EndReason::DialogGone);
}

TEST_F(UasSession, ASecondOfferBeforeWeAnsweredGets500WithRetryAfter) {
  InviteSession& s = incoming();
  connect(s);
  from_caller(s, "INVITE", 2, "", sdp(2, "sendonly"));
  const uint64_t tx = from_caller(s, "UPDATE", 3, "", sdp(3));
  EXPECT_EQ(stack.last_response(tx)->status, 500);
  EXPECT_FALSE(stack.last_response(tx)->header("Retry-After").empty());
}

TEST_F(UasSession, AReInviteWithoutAnOfferGetsOursAndTheAckAnswers) {
  InviteSession& s = incoming();
  connect(s);
  const uint64_t tx = from_caller(s, "INVITE", 2);
  EXPECT_EQ(stack.last_response(tx)->parts.body, sdp(100));
  EXPECT_EQ(s.offer_answer().state(), OfferState::LocalOffer);
  from_caller(s, "ACK", 2, "", sdp(5));
  EXPECT_TRUE(s.offer_answer().is_idle());
  EXPECT_EQ(user.answers.back(), sdp(5));
}

TEST_F(UasSession, ReferGets403UnlessTheUserTakesItAndInfoReachesTheUser) {
  InviteSession& s = incoming();
  connect(s);
  const uint64_t refer = from_caller(s, "REFER", 2, "Refer-To: <sip:x@y>\n");
  EXPECT_EQ(stack.last_response(refer)->status, 403);
  const uint64_t info = from_caller(s, "INFO", 3);
  EXPECT_EQ(user.events.back(), "info");
  EXPECT_EQ(stack.last_response(info)->status, 200);
}

TEST_F(UasSession, RejectAnswersFinallyAndFreesTheSession) {
  InviteSession& s = incoming();
  s.reject(486, "Busy Here");
  EXPECT_EQ(stack.last_response(invite_tx)->status, 486);
  EXPECT_TRUE(s.is_ended());
  stack.advance(1ms);
  EXPECT_EQ(layer.size(), 0u);
}

}  // namespace
}  // namespace sb::sip::session
