// sip/dialog/dialog_uas_test.cc: Bob's side: a dialog made from the INVITE he received, the
// responses he sends in it, the requests he receives and the BYE he may send (RFC 3261 §12.1.1,
// §12.2.2, §13.3, §14.2, §15).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_test_support.h"
#include "sip/message_builder.h"

namespace sb::sip {
namespace {

using testing::edit;
using ::testing::ElementsAre;
using testing::must;
using testing::ok;
using testing::parse_ok;

constexpr std::string_view kBobContact = "<sip:bob@192.0.2.4:5060>";

Dialog bobs_dialog(const Message& invite, Peer peer = testing::udp_peer()) {
  return must(Dialog::uas_from_invite(invite, peer, "bobtag", std::string(kBobContact)));
}

// Alice's request inside the dialog, as Bob receives it.
Message from_alice(std::string_view method, uint32_t cseq, std::string_view extra = "") {
  const std::string m(method);
  return parse_ok(m +
                  " sip:bob@192.0.2.4:5060 SIP/2.0\n"
                  "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK" +
                  m + std::to_string(cseq) +
                  "\n"
                  "Max-Forwards: 70\n"
                  "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\n"
                  "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
                  "To: Bob <sip:bob@biloxi.com>;tag=bobtag\n"
                  "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
                  "CSeq: " +
                  std::to_string(cseq) + " " + m + "\n" + std::string(extra) +
                  "Content-Length: 0\n\n");
}

TEST(UasDialog, TakesItsStateFromTheInvite) {
  const Dialog d = bobs_dialog(parse_ok(testing::kInviteAtBob));
  EXPECT_EQ(d.role(), DialogRole::Uas);
  EXPECT_EQ(d.state(), DialogState::Early);
  EXPECT_EQ(d.id(), (DialogId{"a84b4c76e66710@pc33.atlanta.com", "bobtag", "1928301774"}));
  EXPECT_EQ(d.local_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(d.remote_uri(), "sip:alice@atlanta.com");
  EXPECT_EQ(d.local_party(), "Bob <sip:bob@biloxi.com>");
  EXPECT_EQ(d.remote_party(), "Alice <sip:alice@atlanta.com>");
  EXPECT_EQ(d.remote_target(), "sip:alice@pc33.atlanta.com");
  // §12.1.1: Record-Route in the order of the request.
  EXPECT_THAT(d.route_set(), ElementsAre("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));
  EXPECT_EQ(d.local_cseq(), std::nullopt);
  EXPECT_EQ(d.remote_cseq(), 314159u);
  EXPECT_FALSE(d.secure());
  EXPECT_EQ(d.peer().remote.to_string(), "192.0.2.1:5060");
  EXPECT_EQ(d.invite_in(), 314159u);
}

TEST(UasDialog, IsSecureOnlyForASipsRequestUriOverTls) {
  Peer tls = testing::udp_peer();
  tls.transport = Transport::Tls;
  const Message sips = parse_ok(edit(testing::kInviteAtBob, "INVITE sip:bob@", "INVITE sips:bob@"));
  EXPECT_TRUE(bobs_dialog(sips, tls).secure());
  EXPECT_FALSE(bobs_dialog(sips, testing::udp_peer()).secure());
  EXPECT_FALSE(bobs_dialog(parse_ok(testing::kInviteAtBob), tls).secure());
}

TEST(UasDialog, RefusesAnInviteItCannotMakeADialogOf) {
  const auto refusal = [](std::string_view text) {
    sb::Result<Dialog> r =
        Dialog::uas_from_invite(parse_ok(text), testing::udp_peer(), "t", std::string(kBobContact));
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(refusal(edit(testing::kInviteAtBob, "Contact: <sip:alice@pc33.atlanta.com>\n", "")),
            "Missing Contact");
  EXPECT_EQ(refusal(edit(testing::kInviteAtBob, "Contact: <sip:alice@pc33.atlanta.com>",
                         "Contact: <sip:a@x.example>, <sip:b@y.example>")),
            "more than one Contact");
  EXPECT_EQ(refusal(edit(testing::kInviteAtBob, "To: Bob <sip:bob@biloxi.com>",
                         "To: Bob <sip:bob@biloxi.com>;tag=x")),
            "To tag in a dialog-creating INVITE");
  EXPECT_EQ(refusal(edit(testing::kInviteAtBob, "<sip:alice@pc33.atlanta.com>",
                         "<mailto:alice@atlanta.com>")),
            "Contact is not a SIP URI");
}

TEST(UasDialog, AcceptsAnInviteWithoutFromTagAsAnRfc2543Peer) {
  const Dialog d = bobs_dialog(parse_ok(edit(testing::kInviteAtBob, ";tag=1928301774", "")));
  EXPECT_EQ(d.id().remote_tag, "");
}

TEST(UasDialog, RingingCarriesTagContactAndRecordRouteAndKeepsTheDialogEarly) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  const Message ringing = ok(d.respond(invite, 180, "Ringing"));
  EXPECT_EQ(ringing.status(), 180);
  EXPECT_EQ(ringing.first(HeaderName::To), "Bob <sip:bob@biloxi.com>;tag=bobtag");
  EXPECT_EQ(ringing.first(HeaderName::Contact), kBobContact);
  EXPECT_THAT(ringing.values(HeaderName::RecordRoute),
              ElementsAre("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));
  EXPECT_THAT(ringing.values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP p2.example.com;branch=z9hG4bK2d4790.1",
                          "SIP/2.0/UDP p1.example.com;branch=z9hG4bKnashds8.1",
                          "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds"));
  EXPECT_EQ(ringing.cseq(), 314159u);
  EXPECT_EQ(d.state(), DialogState::Early);
  EXPECT_EQ(d.invite_in(), 314159u);
}

TEST(UasDialog, OkConfirmsAndAwaitsTheAck) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ResponseParts sdp;
  sdp.content_type = "application/sdp";
  sdp.body = "v=0\r\n";
  const Message ok200 = ok(d.respond(invite, 200, "OK", sdp));
  EXPECT_EQ(ok200.first(HeaderName::Contact), kBobContact);
  EXPECT_EQ(ok200.first(HeaderName::ContentType), "application/sdp");
  EXPECT_EQ(ok200.body(), "v=0\r\n");
  EXPECT_EQ(d.state(), DialogState::Confirmed);
  EXPECT_EQ(d.invite_in(), std::nullopt);
  EXPECT_EQ(d.awaiting_ack(), 314159u);

  EXPECT_EQ(d.check_request(from_alice("ACK", 314159)), RequestCheck::AckFor2xx);
  EXPECT_EQ(d.awaiting_ack(), std::nullopt);
  // The UAC re-ACKs each retransmitted 2xx: those ACKs are dropped, never answered.
  EXPECT_EQ(d.check_request(from_alice("ACK", 314159)), RequestCheck::AckStray);
}

TEST(UasDialog, AnAckWithAnotherCSeqIsNotTheOneAwaited) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  EXPECT_EQ(d.check_request(from_alice("ACK", 314158)), RequestCheck::AckStray);
  EXPECT_EQ(d.awaiting_ack(), 314159u);
}

TEST(UasDialog, RejectingTheInviteTerminatesTheEarlyDialog) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 180, "Ringing"));
  const Message busy = ok(d.respond(invite, 486, "Busy Here"));
  EXPECT_EQ(busy.first(HeaderName::To), "Bob <sip:bob@biloxi.com>;tag=bobtag");
  EXPECT_EQ(busy.first(HeaderName::Contact), std::nullopt);
  EXPECT_EQ(busy.first(HeaderName::RecordRoute), std::nullopt);
  EXPECT_EQ(d.state(), DialogState::Terminated);
  EXPECT_EQ(d.check_request(from_alice("INFO", 314160)), RequestCheck::Gone);
}

TEST(UasDialog, RecordsTheRemoteCSeqAndRejectsOutOfOrderRequests) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  EXPECT_EQ(d.check_request(from_alice("INFO", 314161)), RequestCheck::Accepted);
  EXPECT_EQ(d.remote_cseq(), 314161u);
  // §12.2.2: lower than the remote CSeq is out of order (500) and does not move it back.
  EXPECT_EQ(d.check_request(from_alice("INFO", 314160)), RequestCheck::OutOfOrder);
  EXPECT_EQ(d.remote_cseq(), 314161u);
  EXPECT_EQ(reply_status(RequestCheck::OutOfOrder).status, 500);
  // Equal is not lower.
  EXPECT_EQ(d.check_request(from_alice("UPDATE", 314161)), RequestCheck::Accepted);
}

TEST(UasDialog, ReInviteRefreshesTheRemoteTargetAndItsOkCarriesOurContact) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  ASSERT_EQ(d.check_request(from_alice("ACK", 314159)), RequestCheck::AckFor2xx);

  const Message reinvite =
      from_alice("INVITE", 314160, "Contact: <sip:alice@198.51.100.7:5070;transport=tcp>\n");
  EXPECT_EQ(d.check_request(reinvite), RequestCheck::Accepted);
  EXPECT_EQ(d.remote_target(), "sip:alice@198.51.100.7:5070;transport=tcp");
  EXPECT_EQ(d.invite_in(), 314160u);
  // The route set is fixed at creation (§12.2): a re-INVITE does not change it.
  EXPECT_THAT(d.route_set(), ElementsAre("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));

  const Message ok200 = ok(d.respond(reinvite, 200, "OK"));
  EXPECT_EQ(ok200.first(HeaderName::To), "Bob <sip:bob@biloxi.com>;tag=bobtag");
  EXPECT_EQ(ok200.first(HeaderName::Contact), kBobContact);
  EXPECT_EQ(d.awaiting_ack(), 314160u);
  EXPECT_EQ(d.invite_in(), std::nullopt);

  // Bob's BYE goes to the new target (after the ACK).
  ASSERT_EQ(d.check_request(from_alice("ACK", 314160)), RequestCheck::AckFor2xx);
  const Message bye = ok(d.make_request(Method::Bye, testing::via()));
  EXPECT_EQ(bye.request_uri(), "sip:alice@198.51.100.7:5070;transport=tcp");
}

TEST(UasDialog, UpdateWithoutContactKeepsTheTarget) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  EXPECT_EQ(d.check_request(from_alice("UPDATE", 314160)), RequestCheck::Accepted);
  EXPECT_EQ(d.remote_target(), "sip:alice@pc33.atlanta.com");
  EXPECT_EQ(d.check_request(from_alice("UPDATE", 314161, "Contact: <sip:alice@10.1.1.1>\n")),
            RequestCheck::Accepted);
  EXPECT_EQ(d.remote_target(), "sip:alice@10.1.1.1");
  // INFO is no target refresh: its Contact changes nothing.
  EXPECT_EQ(d.check_request(from_alice("INFO", 314162, "Contact: <sip:alice@10.2.2.2>\n")),
            RequestCheck::Accepted);
  EXPECT_EQ(d.remote_target(), "sip:alice@10.1.1.1");
}

TEST(UasDialog, TargetRefreshWithAnUnusableContactIsABadRequest) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  EXPECT_EQ(d.check_request(from_alice("UPDATE", 314160, "Contact: <sip:a@x>, <sip:b@y>\n")),
            RequestCheck::BadContact);
  EXPECT_EQ(reply_status(RequestCheck::BadContact).status, 400);
  EXPECT_EQ(d.remote_target(), "sip:alice@pc33.atlanta.com");
  EXPECT_EQ(d.remote_cseq(), 314159u);
}

TEST(UasDialog, GlareWithOurOwnReInviteIs491) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  ASSERT_EQ(d.check_request(from_alice("ACK", 314159)), RequestCheck::AckFor2xx);
  const Message ours = ok(d.make_request(Method::Invite, testing::via()));
  EXPECT_EQ(d.invite_out(), 1u);

  EXPECT_EQ(d.check_request(from_alice("INVITE", 314160, "Contact: <sip:alice@10.9.9.9>\n")),
            RequestCheck::RequestPending);
  EXPECT_EQ(reply_status(RequestCheck::RequestPending).status, 491);
  EXPECT_EQ(reply_status(RequestCheck::RequestPending).reason, "Request Pending");
  EXPECT_EQ(d.remote_target(), "sip:alice@pc33.atlanta.com");  // refused: no refresh

  // Our re-INVITE ends (here with 491 from Alice's side of the glare); hers is welcome again.
  const Message pending = parse_ok(
      "SIP/2.0 491 Request Pending\n"
      "Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKbob1\n"
      "From: Bob <sip:bob@biloxi.com>;tag=bobtag\n"
      "To: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: 1 INVITE\n"
      "Content-Length: 0\n\n");
  EXPECT_EQ(ok(d.on_response(pending)), DialogState::Confirmed);
  EXPECT_EQ(d.invite_out(), std::nullopt);
  EXPECT_EQ(d.check_request(from_alice("INVITE", 314161)), RequestCheck::Accepted);
  (void)ours;
}

TEST(UasDialog, ASecondInviteWhileTheFirstIsUnansweredIs500) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 180, "Ringing"));
  // §14.2: 500 with Retry-After (DialogSet adds the random value).
  EXPECT_EQ(d.check_request(from_alice("INVITE", 314160)), RequestCheck::InviteOverlap);
  EXPECT_EQ(reply_status(RequestCheck::InviteOverlap).status, 500);
  EXPECT_EQ(d.invite_in(), 314159u);
}

TEST(UasDialog, ByeTerminates) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  EXPECT_EQ(d.check_request(from_alice("BYE", 314160)), RequestCheck::Bye);
  EXPECT_EQ(d.state(), DialogState::Terminated);
  EXPECT_EQ(d.check_request(from_alice("INFO", 314161)), RequestCheck::Gone);
  EXPECT_EQ(testing::refusal(d.make_request(Method::Info, testing::via())), "dialog terminated");
}

TEST(UasDialog, MayNotSendByeWhileEarlyOrBeforeTheAck) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 180, "Ringing"));
  // §15: the callee never BYEs an early dialog.
  EXPECT_EQ(testing::refusal(d.make_request(Method::Bye, testing::via())),
            "the UAS may not send BYE on an early dialog");
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  // §15.1.1: not before the ACK.
  EXPECT_EQ(testing::refusal(d.make_request(Method::Bye, testing::via())),
            "BYE before the ACK of our 2xx");
  EXPECT_EQ(d.local_cseq(), std::nullopt);  // the refusals took no CSeq
  d.on_ack_timeout();                       // §13.3.1.4: no ACK in 64*T1: now BYE
  const Message bye = ok(d.make_request(Method::Bye, testing::via()));
  EXPECT_EQ(bye.cseq(), 1u);
  EXPECT_EQ(d.state(), DialogState::Terminated);
}

TEST(UasDialog, ByeFromBobFollowsTheRouteSetBackToAlice) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  ASSERT_TRUE(d.respond(invite, 200, "OK"));
  ASSERT_EQ(d.check_request(from_alice("ACK", 314159)), RequestCheck::AckFor2xx);
  RequestOptions options;
  options.via = "SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKbye1;rport";
  const Message bye = ok(d.make_request(Method::Bye, options));
  EXPECT_EQ(serialize(bye),
            testing::crlf("BYE sip:alice@pc33.atlanta.com SIP/2.0\n"
                          "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKbye1;rport\n"
                          "Max-Forwards: 70\n"
                          "Route: <sip:p2.example.com;lr>\n"
                          "Route: <sip:p1.example.com;lr>\n"
                          "From: Bob <sip:bob@biloxi.com>;tag=bobtag\n"
                          "To: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
                          "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
                          "CSeq: 1 BYE\n"
                          "Content-Length: 0\n\n"));
}

TEST(UasDialog, RespondRefusesARequestOfAnotherCall) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  Dialog d = bobs_dialog(invite);
  const Message other = parse_ok(edit(testing::kInviteAtBob, "a84b4c76e66710", "zzz"));
  EXPECT_EQ(testing::refusal(d.respond(other, 180, "Ringing")), "not a request of this dialog");
  ResponseParts injected;
  injected.headers.emplace_back("X-Evil", "a\r\nContact: <sip:evil@x>");
  EXPECT_EQ(testing::refusal(d.respond(invite, 180, "Ringing", injected)),
            "line break in a header value");
  EXPECT_EQ(d.state(), DialogState::Early);
}

}  // namespace
}  // namespace sb::sip
