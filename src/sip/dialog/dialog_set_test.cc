// sip/dialog/dialog_set_test.cc: the dialog table as a transaction user drives it: requests in
// (→ dialog, or the response to send), responses to our INVITE (→ early dialogs per fork,
// confirmation), the bookkeeping (RFC 3261 §12.2.2, §12.3, §13.2.2.4, §14.2, §15).
#include "sip/dialog/dialog_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/dialog/dialog_test_support.h"

namespace sb::sip {
namespace {

using testing::edit;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ok;
using testing::parse_ok;
using ::testing::UnorderedElementsAre;

constexpr uint64_t kSeed = 42;
constexpr std::string_view kBobContact = "<sip:bob@192.0.2.4:5060>";

// Alice's request to Bob inside the dialog whose Bob tag is `to_tag`.
Message from_alice(std::string_view method, uint32_t cseq, std::string_view to_tag,
                   std::string_view extra = "") {
  const std::string m(method);
  return parse_ok(
      m + " sip:bob@192.0.2.4:5060 SIP/2.0\n" + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK" +
      m + std::to_string(cseq) + "\n" +
      "Max-Forwards: 70\n"
      "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "To: Bob <sip:bob@biloxi.com>;tag=" +
      std::string(to_tag) + "\n" +
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: " +
      std::to_string(cseq) + " " + m + "\n" + std::string(extra) + "Content-Length: 0\n\n");
}

// Bob's side with the INVITE answered `status` (0: not answered).
struct Bob {
  DialogSet set{kSeed};
  Message invite = parse_ok(testing::kInviteAtBob);
  Dialog* dialog = nullptr;
  std::string tag;

  explicit Bob(int status) {
    sb::Result<Dialog*> d = set.create_uas(invite, testing::udp_peer(), std::string(kBobContact));
    EXPECT_TRUE(d);
    dialog = d ? *d : nullptr;
    tag = dialog ? dialog->id().local_tag : "";
    if (status != 0 && dialog) {
      EXPECT_TRUE(dialog->respond(invite, status, "Whatever"));
    }
  }
};

template <typename T>
T expect(Incoming incoming) {
  if (!std::holds_alternative<T>(incoming)) {
    ADD_FAILURE() << "other outcome, index " << incoming.index();
    return T{};
  }
  return std::get<T>(std::move(incoming));
}

TEST(DialogSet, CreatesUasDialogsWithFreshTags) {
  DialogSet set{kSeed};
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog* a = ok(set.create_uas(invite, testing::udp_peer(), std::string(kBobContact)));
  Dialog* b = ok(set.create_uas(invite, testing::udp_peer(), std::string(kBobContact)));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->id().local_tag.size(), 16u);
  EXPECT_NE(a->id().local_tag, b->id().local_tag);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.find(a->id().view()), a);
  // The same seed, the same tag: the tests can predict what goes on the wire.
  DialogSet again{kSeed};
  EXPECT_EQ(
      ok(again.create_uas(invite, testing::udp_peer(), std::string(kBobContact)))->id().local_tag,
      a->id().local_tag);
}

TEST(DialogSet, CreateUasRefusesAnInviteWithoutContact) {
  DialogSet set{kSeed};
  const sb::Result<Dialog*> r = set.create_uas(
      parse_ok(edit(testing::kInviteAtBob, "Contact: <sip:alice@pc33.atlanta.com>\n", "")),
      testing::udp_peer(), std::string(kBobContact));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "Missing Contact");
  EXPECT_EQ(set.size(), 0u);
}

TEST(DialogSet, ARequestWithoutToTagIsOutOfDialog) {
  DialogSet set{kSeed};
  EXPECT_TRUE(std::holds_alternative<OutOfDialog>(set.receive(parse_ok(testing::kInviteAtBob))));
}

TEST(DialogSet, ARequestForAnUnknownDialogGets481) {
  Bob bob(200);
  const Reply reply = expect<Reply>(bob.set.receive(from_alice("BYE", 314160, "nosuchtag")));
  EXPECT_EQ(reply.response.status(), 481);
  EXPECT_EQ(reply.response.reason(), "Call/Transaction Does Not Exist");
  EXPECT_EQ(reply.response.first(HeaderName::To), "Bob <sip:bob@biloxi.com>;tag=nosuchtag");
  EXPECT_EQ(reply.response.cseq(), 314160u);
  EXPECT_EQ(reply.response.cseq_method(), Method::Bye);
  EXPECT_EQ(reply.response.first(HeaderName::Via),
            "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKBYE314160");
  EXPECT_EQ(reply.dialog, nullptr);
  EXPECT_EQ(bob.dialog->state(), DialogState::Confirmed);  // the real dialog is untouched
}

TEST(DialogSet, AnAckForAnUnknownDialogGetsNoResponse) {
  Bob bob(200);
  EXPECT_TRUE(
      std::holds_alternative<Discard>(bob.set.receive(from_alice("ACK", 314159, "nosuchtag"))));
  EXPECT_EQ(bob.dialog->awaiting_ack(), 314159u);
}

TEST(DialogSet, TheAckOfOur2xxIsReportedOnceAndItsRetransmissionsDropped) {
  Bob bob(200);
  EXPECT_EQ(expect<AckReceived>(bob.set.receive(from_alice("ACK", 314159, bob.tag))).dialog,
            bob.dialog);
  EXPECT_TRUE(std::holds_alternative<Discard>(bob.set.receive(from_alice("ACK", 314159, bob.tag))));
}

TEST(DialogSet, AnOutOfOrderRequestGets500AndTheRemoteCSeqStays) {
  Bob bob(200);
  EXPECT_EQ(expect<InDialog>(bob.set.receive(from_alice("INFO", 314165, bob.tag))).dialog,
            bob.dialog);
  const Reply reply = expect<Reply>(bob.set.receive(from_alice("INFO", 314162, bob.tag)));
  EXPECT_EQ(reply.response.status(), 500);
  EXPECT_EQ(reply.response.reason(), "Server Internal Error");
  EXPECT_EQ(reply.response.cseq(), 314162u);
  // §12.2.2 asks for no Retry-After here: the same request would fail again.
  EXPECT_EQ(reply.response.first(HeaderName::RetryAfter), std::nullopt);
  EXPECT_EQ(reply.dialog, bob.dialog);
  EXPECT_EQ(bob.dialog->remote_cseq(), 314165u);
}

TEST(DialogSet, AnInviteOverlappingAnUnansweredOneGets500WithRetryAfterUpTo10s) {
  Bob bob(180);
  const Reply reply = expect<Reply>(bob.set.receive(from_alice("INVITE", 314160, bob.tag)));
  EXPECT_EQ(reply.response.status(), 500);
  const std::optional<std::string_view> retry_after = reply.response.first(HeaderName::RetryAfter);
  ASSERT_TRUE(retry_after.has_value());
  const int seconds = std::stoi(std::string(*retry_after));
  EXPECT_GE(seconds, 0);
  EXPECT_LE(seconds, 10);
  // Drawn from the set's seeded generator, after the one tag it made.
  IdGenerator ids{kSeed};
  (void)ids.tag();
  EXPECT_EQ(seconds, static_cast<int>(ids.uniform(0, 10)));
}

TEST(DialogSet, GlareOfReInvitesGets491) {
  Bob bob(200);
  ASSERT_TRUE(
      std::holds_alternative<AckReceived>(bob.set.receive(from_alice("ACK", 314159, bob.tag))));
  ASSERT_TRUE(bob.dialog->make_request(Method::Invite, testing::via()));
  const Reply reply = expect<Reply>(bob.set.receive(
      from_alice("INVITE", 314160, bob.tag, "Contact: <sip:alice@pc33.atlanta.com>\n")));
  EXPECT_EQ(reply.response.status(), 491);
  EXPECT_EQ(reply.response.reason(), "Request Pending");
  EXPECT_EQ(reply.response.first(HeaderName::RetryAfter), std::nullopt);
}

TEST(DialogSet, AReInviteRefreshesTheTargetAndIsAnsweredThroughTheDialog) {
  Bob bob(200);
  ASSERT_TRUE(
      std::holds_alternative<AckReceived>(bob.set.receive(from_alice("ACK", 314159, bob.tag))));
  const Message reinvite =
      from_alice("INVITE", 314160, bob.tag, "Contact: <sip:alice@198.51.100.7:5070>\n");
  Dialog* d = expect<InDialog>(bob.set.receive(reinvite)).dialog;
  ASSERT_EQ(d, bob.dialog);
  EXPECT_EQ(d->remote_target(), "sip:alice@198.51.100.7:5070");
  const Message ok200 = ok(d->respond(reinvite, 200, "OK"));
  EXPECT_EQ(ok200.first(HeaderName::Contact), kBobContact);
  EXPECT_EQ(expect<AckReceived>(bob.set.receive(from_alice("ACK", 314160, bob.tag))).dialog, d);
}

TEST(DialogSet, ByeEndsTheDialogWith200AndLaterRequestsGet481) {
  Bob bob(200);
  ASSERT_TRUE(
      std::holds_alternative<AckReceived>(bob.set.receive(from_alice("ACK", 314159, bob.tag))));
  const DialogEnded ended =
      expect<DialogEnded>(bob.set.receive(from_alice("BYE", 314160, bob.tag)));
  EXPECT_EQ(ended.dialog, bob.dialog);
  EXPECT_EQ(ended.response.status(), 200);
  EXPECT_EQ(ended.response.cseq_method(), Method::Bye);
  EXPECT_EQ(ended.response.first(HeaderName::Contact), std::nullopt);
  EXPECT_FALSE(ended.invite_unanswered);
  EXPECT_EQ(bob.dialog->state(), DialogState::Terminated);

  EXPECT_EQ(expect<Reply>(bob.set.receive(from_alice("INFO", 314161, bob.tag))).response.status(),
            481);
  EXPECT_EQ(bob.set.erase_terminated(), 1u);
  EXPECT_EQ(bob.set.size(), 0u);
  EXPECT_EQ(expect<Reply>(bob.set.receive(from_alice("INFO", 314162, bob.tag))).dialog, nullptr);
}

TEST(DialogSet, ByeOnAnEarlyDialogLeavesTheInviteToAnswer487) {
  Bob bob(180);
  const DialogEnded ended =
      expect<DialogEnded>(bob.set.receive(from_alice("BYE", 314160, bob.tag)));
  EXPECT_TRUE(ended.invite_unanswered);
  const Message terminated = ok(bob.dialog->respond(bob.invite, 487, "Request Terminated"));
  EXPECT_EQ(terminated.first(HeaderName::To), "Bob <sip:bob@biloxi.com>;tag=" + bob.tag);
  EXPECT_EQ(bob.dialog->invite_in(), std::nullopt);
}

TEST(DialogSet, AnUnreadableToGets400AndAnUnreadableAckNothing) {
  Bob bob(200);
  const std::string bad_to =
      edit(testing::kInviteAtBob, "To: Bob <sip:bob@biloxi.com>", "To: Bob <sip:bob@biloxi.com");
  const Reply reply = expect<Reply>(bob.set.receive(parse_ok(bad_to)));
  EXPECT_EQ(reply.response.status(), 400);
  EXPECT_EQ(reply.response.reason(), "Bad To header");
  EXPECT_TRUE(std::holds_alternative<Discard>(
      bob.set.receive(parse_ok(edit(edit(bad_to, "INVITE sip", "ACK sip"), "INVITE\n", "ACK\n")))));
}

// --- UAC: Alice's INVITE forked by the proxy to two phones of Bob's ---

Message response_to_alice(int status, std::string_view reason, std::string_view to_tag,
                          std::string_view contact) {
  std::string text = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) +
                     "\n"
                     "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\n"
                     "Record-Route: <sip:p1.example.com;lr>\n"
                     "To: Bob <sip:bob@biloxi.com>";
  if (!to_tag.empty()) {
    text += ";tag=" + std::string(to_tag);
  }
  text +=
      "\n"
      "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: 314159 INVITE\n";
  if (!contact.empty()) {
    text += "Contact: " + std::string(contact) + "\n";
  }
  return parse_ok(text + "Content-Length: 0\n\n");
}

struct Alice {
  DialogSet set{kSeed};
  Message invite = parse_ok(testing::kInviteFromAlice);
  Peer proxy = testing::udp_peer("192.0.2.20");

  InviteResponseOutcome on(const Message& response) {
    return ok(set.on_invite_response(invite, response, proxy));
  }
};

TEST(DialogSet, ForkedProvisionalsMakeOneEarlyDialogPerToTag) {
  Alice alice;
  EXPECT_EQ(alice.on(response_to_alice(100, "Trying", "", "")).dialog, nullptr);
  EXPECT_EQ(alice.on(response_to_alice(180, "Ringing", "", "")).dialog, nullptr);  // no tag
  EXPECT_EQ(alice.set.size(), 0u);

  const InviteResponseOutcome first =
      alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>"));
  const InviteResponseOutcome second =
      alice.on(response_to_alice(183, "Session Progress", "mobile", "<sip:bob@10.0.0.2>"));
  ASSERT_NE(first.dialog, nullptr);
  ASSERT_NE(second.dialog, nullptr);
  EXPECT_TRUE(first.created);
  EXPECT_TRUE(second.created);
  EXPECT_NE(first.dialog, second.dialog);
  EXPECT_EQ(first.dialog->state(), DialogState::Early);
  EXPECT_EQ(second.dialog->state(), DialogState::Early);
  EXPECT_EQ(first.dialog->remote_target(), "sip:bob@10.0.0.1");
  EXPECT_EQ(second.dialog->remote_target(), "sip:bob@10.0.0.2");
  EXPECT_EQ(first.dialog->peer().remote.to_string(), "192.0.2.20:5060");

  const InviteResponseOutcome again =
      alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>"));
  EXPECT_EQ(again.dialog, first.dialog);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(alice.set.size(), 2u);
  EXPECT_THAT(alice.set.dialogs_of("a84b4c76e66710@pc33.atlanta.com", "1928301774"),
              UnorderedElementsAre(first.dialog, second.dialog));
}

TEST(DialogSet, TheOkOfOneForkConfirmsItAndASecondOkIsFlagged) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>")).dialog;
  Dialog* mobile =
      alice.on(response_to_alice(180, "Ringing", "mobile", "<sip:bob@10.0.0.2>")).dialog;

  const InviteResponseOutcome answered =
      alice.on(response_to_alice(200, "OK", "mobile", "<sip:bob@10.0.0.22>"));
  EXPECT_EQ(answered.dialog, mobile);
  EXPECT_FALSE(answered.created);
  EXPECT_TRUE(answered.confirmed);
  EXPECT_FALSE(answered.other_confirmed);
  EXPECT_EQ(mobile->state(), DialogState::Confirmed);
  EXPECT_EQ(mobile->remote_target(), "sip:bob@10.0.0.22");  // the 2xx's Contact
  EXPECT_THAT(mobile->route_set(), ElementsAre("<sip:p1.example.com;lr>"));
  EXPECT_EQ(desk->state(), DialogState::Early);

  // A retransmitted 2xx: same dialog, nothing new (the TU sends the ACK again).
  const InviteResponseOutcome repeat =
      alice.on(response_to_alice(200, "OK", "mobile", "<sip:bob@10.0.0.22>"));
  EXPECT_EQ(repeat.dialog, mobile);
  EXPECT_FALSE(repeat.confirmed);
  EXPECT_FALSE(repeat.other_confirmed);

  // The desk phone answers too (§13.2.2.4): a second confirmed dialog, flagged.
  const InviteResponseOutcome late =
      alice.on(response_to_alice(200, "OK", "desk", "<sip:bob@10.0.0.1>"));
  EXPECT_EQ(late.dialog, desk);
  EXPECT_TRUE(late.confirmed);
  EXPECT_TRUE(late.other_confirmed);
  EXPECT_EQ(
      ok(desk->make_ack(response_to_alice(200, "OK", "desk", "<sip:bob@10.0.0.1>"), testing::via()))
          .first(HeaderName::To),
      "Bob <sip:bob@biloxi.com>;tag=desk");
}

TEST(DialogSet, AnOkFromAForkNeverSeenBeforeCreatesAConfirmedDialog) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>")).dialog;
  const InviteResponseOutcome out =
      alice.on(response_to_alice(200, "OK", "voicemail", "<sip:vm@10.0.0.9>"));
  ASSERT_NE(out.dialog, nullptr);
  EXPECT_TRUE(out.created);
  EXPECT_TRUE(out.confirmed);
  EXPECT_EQ(out.dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(out.dialog->id().remote_tag, "voicemail");
  // 64*T1 after the first 2xx the INVITE is over: the forks still early end (§13.2.2.4).
  const std::vector<DialogId> ended =
      alice.set.terminate_early("a84b4c76e66710@pc33.atlanta.com", "1928301774");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].remote_tag, "desk");
  EXPECT_EQ(desk->state(), DialogState::Terminated);
  EXPECT_EQ(out.dialog->state(), DialogState::Confirmed);
}

TEST(DialogSet, AFinalErrorTerminatesEveryEarlyFork) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>")).dialog;
  Dialog* mobile =
      alice.on(response_to_alice(180, "Ringing", "mobile", "<sip:bob@10.0.0.2>")).dialog;
  const InviteResponseOutcome busy = alice.on(response_to_alice(486, "Busy Here", "desk", ""));
  EXPECT_EQ(busy.dialog, nullptr);
  EXPECT_EQ(busy.terminated.size(), 2u);
  EXPECT_EQ(desk->state(), DialogState::Terminated);
  EXPECT_EQ(mobile->state(), DialogState::Terminated);
  EXPECT_EQ(alice.set.erase_terminated(), 2u);
  EXPECT_THAT(alice.set.dialogs_of("a84b4c76e66710@pc33.atlanta.com", "1928301774"), IsEmpty());
}

TEST(DialogSet, AnOkOvertakingOurCancelStillConfirmsSoItCanBeAckedAndByed) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>")).dialog;
  ASSERT_EQ(alice.set.terminate_early("a84b4c76e66710@pc33.atlanta.com", "1928301774").size(), 1u);
  const InviteResponseOutcome late =
      alice.on(response_to_alice(200, "OK", "desk", "<sip:bob@10.0.0.1>"));
  EXPECT_EQ(late.dialog, desk);
  EXPECT_TRUE(late.confirmed);
  EXPECT_EQ(desk->state(), DialogState::Confirmed);
  EXPECT_EQ(ok(desk->make_request(Method::Bye, testing::via())).cseq(), 314160u);
}

TEST(DialogSet, AnOkAfterOurByeOnTheEarlyDialogDoesNotReviveIt) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(180, "Ringing", "desk", "<sip:bob@10.0.0.1>")).dialog;
  ASSERT_TRUE(desk->make_request(Method::Bye, testing::via()));  // §15: the caller may
  const InviteResponseOutcome late =
      alice.on(response_to_alice(200, "OK", "desk", "<sip:bob@10.0.0.1>"));
  EXPECT_EQ(late.dialog, desk);
  EXPECT_FALSE(late.confirmed);
  EXPECT_EQ(desk->state(), DialogState::Terminated);
}

TEST(DialogSet, AnUnusableOkIsAnError) {
  Alice alice;
  EXPECT_EQ(testing::refusal(alice.set.on_invite_response(
                alice.invite, response_to_alice(200, "OK", "x", ""), alice.proxy)),
            "2xx without Contact");
  EXPECT_EQ(testing::refusal(alice.set.on_invite_response(
                alice.invite, response_to_alice(200, "OK", "", "<sip:b@c>"), alice.proxy)),
            "2xx without To tag");
  EXPECT_EQ(alice.set.size(), 0u);
}

TEST(DialogSet, FindsTheDialogOfAResponseAndOfOtherCallsNone) {
  Alice alice;
  Dialog* desk = alice.on(response_to_alice(200, "OK", "desk", "<sip:bob@10.0.0.1>")).dialog;
  ASSERT_NE(desk, nullptr);
  EXPECT_EQ(alice.set.find_for_response(response_to_alice(200, "OK", "desk", "<sip:b@c>")), desk);
  EXPECT_EQ(alice.set.find_for_response(response_to_alice(200, "OK", "other", "<sip:b@c>")),
            nullptr);
  EXPECT_TRUE(alice.set.erase(desk->id().view()));
  EXPECT_FALSE(
      alice.set.erase(DialogIdView{"a84b4c76e66710@pc33.atlanta.com", "1928301774", "desk"}));
}

}  // namespace
}  // namespace sb::sip
