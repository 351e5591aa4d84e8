// The invite session as UAC, on a fake stack: our INVITE, progress and early media, PRACK for
// reliable provisionals, forks answering differently, the 2xx, rejection and cancellation,
// and session timers set by the far end's 2xx.
#include <gtest/gtest.h>

#include "sip/session/session_test_support.h"

namespace sb::sip::session {
namespace {

using namespace std::chrono_literals;
using namespace testing;

// The INVITE as the stack sent it (what the far end's responses answer).
constexpr std::string_view kOurInvite =
    "INVITE sip:1001@192.0.2.1:5060 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKout1\n"
    "From: <sip:sb@192.0.2.4>;tag=ours1\n"
    "To: <sip:1001@192.0.2.1>\n"
    "Call-ID: out-1@192.0.2.4\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:sb@192.0.2.4:5060>\n"
    "Max-Forwards: 70\n";

class UacSession : public ::testing::Test {
 protected:
  FakeStack stack;
  RecordingUser user;
  SessionLayer layer{stack, user, SessionPolicy{}, 7};
  Message invite = message(kOurInvite, sdp(100));

  InviteSession& call() {
    OutgoingInvite out;
    out.request_uri = "sip:1001@192.0.2.1:5060";
    out.from = "<sip:sb@192.0.2.4>";
    out.sdp = sdp(100);
    auto s = layer.invite(out);
    EXPECT_TRUE(s);
    return **s;
  }
  // A response from the fork with To tag `tag`.
  Message response(int status, std::string_view tag, std::string_view extra = "", std::string_view body = "") {
    std::string head = "SIP/2.0 " + std::to_string(status) +
                       " X\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKout1\nFrom: <sip:sb@192.0.2.4>;tag=ours1\n"
                       "To: <sip:1001@192.0.2.1>" +
                       (tag.empty() ? std::string() : ";tag=" + std::string(tag)) +
                       "\nCall-ID: out-1@192.0.2.4\nCSeq: 1 INVITE\nContact: <sip:1001@192.0.2.1:5060>\n" +
                       std::string(extra);
    return message(head, body);
  }
  void deliver(const Message& r) {
    Dialog* d = r.status() > 100 && r.status() < 300 ? stack.dialog_from(invite, r) : nullptr;
    stack.progress(r, d);
  }
};

TEST_F(UacSession, AnInviteWithoutAnOfferIsRefused) {
  OutgoingInvite out;
  out.request_uri = "sip:1001@192.0.2.1";
  auto s = layer.invite(out);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Unsupported);
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(UacSession, OurInviteOffersTimersAnd100rel) {
  InviteSession& s = call();
  ASSERT_EQ(stack.invites.size(), 1u);
  bool supported = false;
  bool expires = false;
  for (const auto& [name, value] : stack.invites[0].headers) {
    supported = supported || (name == "Supported" && value == "timer, 100rel");
    expires = expires || (name == "Session-Expires" && value == "1800");
  }
  EXPECT_TRUE(supported);
  EXPECT_TRUE(expires);
  EXPECT_EQ(s.state(), SessionState::Calling);
  EXPECT_EQ(s.offer_answer().state(), OfferState::LocalOffer);
}

TEST_F(UacSession, RingingThenAnAnswerConnects) {
  InviteSession& s = call();
  deliver(response(180, "a"));
  deliver(response(200, "a", "Session-Expires: 120;refresher=uac\n", sdp(1)));
  EXPECT_EQ(user.events, (std::vector<std::string>{"progress 180", "answer", "connected"}));
  EXPECT_EQ(s.state(), SessionState::Connected);
  EXPECT_EQ(s.remote_sdp(), sdp(1));
  ASSERT_TRUE(s.timer());
  EXPECT_TRUE(s.timer()->we_refresh());
  stack.advance(61s);
  EXPECT_EQ(stack.requests_of(Method::Invite), 1u) << "we refresh at half the interval";
}

TEST_F(UacSession, AReliableProvisionalIsPrackedOnceAndInOrder) {
  InviteSession& s = call();
  deliver(response(183, "a", "Require: 100rel\nRSeq: 5\n", sdp(1)));
  ASSERT_EQ(stack.requests_of(Method::Prack), 1u);
  EXPECT_EQ(stack.requests[0].header("RAck"), "5 1 INVITE");
  EXPECT_EQ(s.offer_answer().state(), OfferState::Idle) << "the 183's answer completed the exchange";
  deliver(response(183, "a", "Require: 100rel\nRSeq: 5\n", sdp(1)));
  EXPECT_EQ(stack.requests_of(Method::Prack), 1u) << "a retransmission is not PRACKed again";
  deliver(response(180, "a", "Require: 100rel\nRSeq: 7\n"));
  EXPECT_EQ(stack.requests_of(Method::Prack), 1u) << "RSeq skipped ahead: ignored";
  deliver(response(180, "a", "Require: 100rel\nRSeq: 6\n"));
  EXPECT_EQ(stack.requests_of(Method::Prack), 2u);
  EXPECT_EQ(user.answers.size(), 1u);
  EXPECT_EQ(layer.stats().pracks_sent, 2u);
}

TEST_F(UacSession, ForksWithDifferentEarlyMediaEachReportTheirAnswerAndThe2xxPicksTheDialog) {
  InviteSession& s = call();
  deliver(response(183, "a", "", sdp(1)));
  deliver(response(183, "b", "", sdp(2)));
  EXPECT_EQ(user.answers, (std::vector<std::string>{sdp(1), sdp(2)}));
  deliver(response(200, "b", "", sdp(2)));
  ASSERT_TRUE(s.dialog());
  EXPECT_EQ(s.dialog()->remote_tag, "b");
  EXPECT_EQ(user.events.back(), "connected");
  EXPECT_EQ(user.answers.size(), 2u) << "the same answer again is not news";
}

TEST_F(UacSession, ARejectionEndsTheSessionWithItsStatus) {
  call();
  deliver(response(486, "a"));
  ASSERT_TRUE(user.ended);
  EXPECT_EQ(user.ended->reason, EndReason::Rejected);
  EXPECT_EQ(user.ended->status, 486);
}

TEST_F(UacSession, EndingBeforeAnyDialogCancelsTheInviteQuietly) {
  InviteSession& s = call();
  s.end();
  EXPECT_EQ(stack.cancelled, (std::vector<uint64_t>{1}));
  deliver(response(487, ""));
  EXPECT_FALSE(user.ended) << "the user ended it: no news";
}

TEST_F(UacSession, EndingAnEarlyDialogHangsItUp) {
  InviteSession& s = call();
  deliver(response(180, "a"));
  s.end();
  ASSERT_EQ(stack.hung_up.size(), 1u);
  EXPECT_EQ(stack.hung_up[0].first.remote_tag, "a");
}

TEST_F(UacSession, AnUpdateOfferInAnEarlyDialogWhenThePeerAllowsIt) {
  InviteSession& s = call();
  deliver(response(183, "a", "Require: 100rel\nRSeq: 1\nAllow: INVITE, ACK, BYE, PRACK, UPDATE\n", sdp(1)));
  ASSERT_TRUE(s.offer(sdp(101, "sendonly")));
  ASSERT_EQ(stack.requests.back().method, Method::Update);
  stack.answer_request(stack.requests.size() - 1, 200, "", sdp(2, "recvonly"));
  EXPECT_EQ(user.answers.back(), sdp(2, "recvonly"));
}

TEST_F(UacSession, NoNewOfferInAnEarlyDialogWithoutUpdate) {
  InviteSession& s = call();
  deliver(response(183, "a", "", sdp(1)));
  auto r = s.offer(sdp(101));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Conflict);
}

TEST_F(UacSession, AsOwnerOfTheCallIdWeRetryAfterGlareBetween2100And4000Ms) {
  InviteSession& s = call();
  deliver(response(200, "a", "", sdp(1)));
  ASSERT_TRUE(s.offer(sdp(101, "sendonly")));
  stack.answer_request(0, 491);
  stack.advance(2099ms);
  EXPECT_EQ(stack.requests_of(Method::Invite), 1u);
  stack.advance(1901ms);
  EXPECT_EQ(stack.requests_of(Method::Invite), 2u);
}

TEST_F(UacSession, AByeFromTheFarEndIsRemoteHangup) {
  InviteSession& s = call();
  deliver(response(200, "a", "", sdp(1)));
  layer.on_dialog_ended(*stack.dialog(*s.dialog()));
  EXPECT_EQ(user.ended->reason, EndReason::RemoteHangup);
}

}  // namespace
}  // namespace sb::sip::session
