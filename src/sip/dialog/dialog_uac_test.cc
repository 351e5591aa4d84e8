// sip/dialog/dialog_uac_test.cc: Alice's side: a dialog made from the responses to her INVITE,
// the ACK and in-dialog requests she builds, the responses she receives (RFC 3261 §12.1.2,
// §12.2.1, §13.2.2.4, §14.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_test_support.h"
#include "sip/message_builder.h"

namespace sb::sip {
namespace {

using testing::edit;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::must;
using testing::ok;
using testing::parse_ok;

Dialog alices_dialog(std::string_view response_text = testing::k200AtAlice,
                     std::string_view invite_text = testing::kInviteFromAlice,
                     Peer peer = testing::udp_peer("192.0.2.10")) {
  return must(Dialog::uac_from_response(parse_ok(invite_text), parse_ok(response_text), peer));
}

// Bob's response to Alice's in-dialog request `method` with CSeq `cseq`.
Message from_bob(int status, std::string_view reason, std::string_view method, uint32_t cseq,
                 std::string_view extra = "", std::string_view to_tag = "a6c85cf") {
  return parse_ok("SIP/2.0 " + std::to_string(status) + " " + std::string(reason) +
                  "\n"
                  "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKx\n"
                  "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
                  "To: Bob <sip:bob@biloxi.com>;tag=" +
                  std::string(to_tag) +
                  "\n"
                  "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
                  "CSeq: " +
                  std::to_string(cseq) + " " + std::string(method) + "\n" + std::string(extra) +
                  "Content-Length: 0\n\n");
}

TEST(UacDialog, TakesItsStateFromTheOkAndTheInvite) {
  const Dialog d = alices_dialog();
  EXPECT_EQ(d.role(), DialogRole::Uac);
  EXPECT_EQ(d.state(), DialogState::Confirmed);
  EXPECT_EQ(d.id(), (DialogId{"a84b4c76e66710@pc33.atlanta.com", "1928301774", "a6c85cf"}));
  EXPECT_EQ(d.local_uri(), "sip:alice@atlanta.com");
  EXPECT_EQ(d.remote_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(d.remote_target(), "sip:bob@192.0.2.4");
  // §12.1.2: the Record-Route of the response, reversed.
  EXPECT_THAT(d.route_set(), ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"));
  EXPECT_EQ(d.local_cseq(), 314159u);
  EXPECT_EQ(d.remote_cseq(), std::nullopt);
  EXPECT_EQ(d.local_contact(), "<sip:alice@pc33.atlanta.com>");
  EXPECT_EQ(d.invite_out(), std::nullopt);
  EXPECT_EQ(d.peer().remote.to_string(), "192.0.2.10:5060");
}

TEST(UacDialog, AProvisionalWithTagMakesAnEarlyDialogWithTheInviteStillInProgress) {
  const Dialog d = alices_dialog(edit(testing::k200AtAlice, "200 OK", "180 Ringing"));
  EXPECT_EQ(d.state(), DialogState::Early);
  EXPECT_EQ(d.invite_out(), 314159u);
}

TEST(UacDialog, RefusesResponsesThatMakeNoDialog) {
  const auto refusal = [](std::string_view response) {
    sb::Result<Dialog> r = Dialog::uac_from_response(parse_ok(testing::kInviteFromAlice),
                                                     parse_ok(response), testing::udp_peer());
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, ";tag=a6c85cf", "")), "response without To tag");
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, "200 OK", "100 Trying")),
            "only a 101-299 response creates a dialog");
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, "200 OK", "486 Busy Here")),
            "only a 101-299 response creates a dialog");
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, "Contact: <sip:bob@192.0.2.4>\n", "")),
            "2xx without Contact");
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, "CSeq: 314159", "CSeq: 314158")),
            "response to another request");
  EXPECT_EQ(refusal(edit(testing::k200AtAlice, "tag=1928301774", "tag=other")),
            "From tag differs from the INVITE's");
}

TEST(UacDialog, AProvisionalWithoutContactKeepsTheInviteTarget) {
  const Dialog d = alices_dialog(edit(edit(testing::k200AtAlice, "200 OK", "183 Progress"),
                                      "Contact: <sip:bob@192.0.2.4>\n", ""));
  EXPECT_EQ(d.remote_target(), "sip:bob@biloxi.com");
}

TEST(UacDialog, ByeLooseRoutedThroughTheRouteSet) {
  Dialog d = alices_dialog();
  RequestOptions options;
  options.via = "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds10";
  const Message bye = ok(d.make_request(Method::Bye, options));
  EXPECT_EQ(serialize(bye),
            testing::crlf("BYE sip:bob@192.0.2.4 SIP/2.0\n"
                          "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds10\n"
                          "Max-Forwards: 70\n"
                          "Route: <sip:p1.example.com;lr>\n"
                          "Route: <sip:p2.example.com;lr>\n"
                          "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
                          "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
                          "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
                          "CSeq: 314160 BYE\n"
                          "Content-Length: 0\n\n"));
  EXPECT_EQ(d.state(), DialogState::Terminated);
  EXPECT_EQ(ok(d.target()).next_hop, "sip:p1.example.com;lr");
}

TEST(UacDialog, ByeStrictRoutedWhenTheFirstRouteHasNoLr) {
  // p1 (next to Alice) is an RFC 2543 strict router: its Record-Route has no lr.
  Dialog d = alices_dialog(
      edit(testing::k200AtAlice, "<sip:p1.example.com;lr>", "<sip:p1.example.com;transport=tcp>"));
  EXPECT_THAT(d.route_set(),
              ElementsAre("<sip:p1.example.com;transport=tcp>", "<sip:p2.example.com;lr>"));
  const Message bye = ok(d.make_request(Method::Bye, testing::via()));
  EXPECT_EQ(bye.request_uri(), "sip:p1.example.com;transport=tcp");
  EXPECT_THAT(bye.values(HeaderName::Route),
              ElementsAre("<sip:p2.example.com;lr>", "<sip:bob@192.0.2.4>"));
  EXPECT_EQ(ok(d.target()).next_hop, "sip:p1.example.com;transport=tcp");
}

TEST(UacDialog, EachRequestTakesTheNextCSeqAndTargetRefreshesCarryContact) {
  Dialog d = alices_dialog();
  const Message info = ok(d.make_request(Method::Info, testing::via()));
  EXPECT_EQ(info.cseq(), 314160u);
  EXPECT_EQ(info.cseq_method(), Method::Info);
  EXPECT_EQ(info.first(HeaderName::Contact), std::nullopt);
  RequestOptions sdp = testing::via();
  sdp.content_type = "application/sdp";
  sdp.body = "v=0\r\n";
  const Message update = ok(d.make_request(Method::Update, sdp));
  EXPECT_EQ(update.cseq(), 314161u);
  EXPECT_EQ(update.first(HeaderName::Contact), "<sip:alice@pc33.atlanta.com>");
  EXPECT_EQ(update.body(), "v=0\r\n");
  const Message reinvite = ok(d.make_request(Method::Invite, testing::via()));
  EXPECT_EQ(reinvite.cseq(), 314162u);
  EXPECT_EQ(reinvite.method(), Method::Invite);
  EXPECT_EQ(reinvite.first(HeaderName::Contact), "<sip:alice@pc33.atlanta.com>");
  EXPECT_EQ(d.local_cseq(), 314162u);
}

TEST(UacDialog, AckForThe2xxReusesTheInviteCSeqAndTakesNone) {
  Dialog d = alices_dialog();
  RequestOptions options;
  options.via = "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKack1";
  const Message ack = ok(d.make_ack(parse_ok(testing::k200AtAlice), options));
  EXPECT_EQ(serialize(ack), testing::crlf("ACK sip:bob@192.0.2.4 SIP/2.0\n"
                                          "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKack1\n"
                                          "Max-Forwards: 70\n"
                                          "Route: <sip:p1.example.com;lr>\n"
                                          "Route: <sip:p2.example.com;lr>\n"
                                          "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
                                          "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
                                          "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
                                          "CSeq: 314159 ACK\n"
                                          "Content-Length: 0\n\n"));
  EXPECT_EQ(d.local_cseq(), 314159u);
  EXPECT_EQ(testing::refusal(d.make_request(Method::Ack, testing::via())),
            "an ACK is built by make_ack()");
  EXPECT_EQ(testing::refusal(d.make_request(Method::Cancel, testing::via())),
            "a CANCEL is built from its INVITE by the transaction layer");
  EXPECT_EQ(ok(d.make_request(Method::Bye, testing::via())).cseq(), 314160u);
}

TEST(UacDialog, AckRefusesAnythingButA2xxToInvite) {
  const Dialog d = alices_dialog();
  EXPECT_EQ(
      testing::refusal(d.make_ack(from_bob(486, "Busy Here", "INVITE", 314159), testing::via())),
      "an ACK acknowledges a 2xx to INVITE of this dialog");
  EXPECT_EQ(testing::refusal(d.make_ack(from_bob(200, "OK", "BYE", 314160), testing::via())),
            "an ACK acknowledges a 2xx to INVITE of this dialog");
}

TEST(UacDialog, NoSecondInviteWhileOneIsInProgress) {
  Dialog d = alices_dialog();
  ASSERT_TRUE(d.make_request(Method::Invite, testing::via()));
  EXPECT_EQ(testing::refusal(d.make_request(Method::Invite, testing::via())),  // §14.1
            "an INVITE transaction is in progress");
  EXPECT_EQ(d.local_cseq(), 314160u);
  EXPECT_EQ(d.state(), DialogState::Confirmed);
  EXPECT_EQ(ok(d.on_response(from_bob(100, "Trying", "INVITE", 314160))), DialogState::Confirmed);
  EXPECT_EQ(d.invite_out(), 314160u);
  EXPECT_EQ(ok(d.on_response(
                from_bob(200, "OK", "INVITE", 314160, "Contact: <sip:bob@203.0.113.9:5080>\n"))),
            DialogState::Confirmed);
  EXPECT_EQ(d.invite_out(), std::nullopt);
  // §12.2.1.2: the 2xx to the re-INVITE refreshed the target.
  EXPECT_EQ(d.remote_target(), "sip:bob@203.0.113.9:5080");
  EXPECT_EQ(ok(d.make_request(Method::Invite, testing::via())).cseq(), 314161u);
}

TEST(UacDialog, ARejectedReInviteKeepsTheDialogAndItsTarget) {
  Dialog d = alices_dialog();
  ASSERT_TRUE(d.make_request(Method::Invite, testing::via()));
  EXPECT_EQ(ok(d.on_response(from_bob(488, "Not Acceptable Here", "INVITE", 314160,
                                      "Contact: <sip:bob@203.0.113.9>\n"))),
            DialogState::Confirmed);
  EXPECT_EQ(d.remote_target(), "sip:bob@192.0.2.4");
  EXPECT_EQ(d.invite_out(), std::nullopt);
}

TEST(UacDialog, A481Or408TerminatesTheDialog) {
  Dialog d = alices_dialog();
  ASSERT_TRUE(d.make_request(Method::Info, testing::via()));
  EXPECT_EQ(ok(d.on_response(from_bob(481, "Call/Transaction Does Not Exist", "INFO", 314160))),
            DialogState::Terminated);
  Dialog e = alices_dialog();
  ASSERT_TRUE(e.make_request(Method::Update, testing::via()));
  EXPECT_EQ(ok(e.on_response(from_bob(408, "Request Timeout", "UPDATE", 314160))),
            DialogState::Terminated);
}

TEST(UacDialog, OnResponseRefusesAResponseOfAnotherDialog) {
  Dialog d = alices_dialog();
  EXPECT_EQ(testing::refusal(d.on_response(
                from_bob(481, "Call/Transaction Does Not Exist", "INFO", 314160, "", "othertag"))),
            "not a response in this dialog");
  EXPECT_EQ(d.state(), DialogState::Confirmed);
}

TEST(UacDialog, TheOkConfirmingAnEarlyDialogRecomputesTheRouteSet) {
  Dialog d =
      alices_dialog(edit(edit(testing::k200AtAlice, "200 OK", "180 Ringing"),
                         "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n", ""));
  EXPECT_THAT(d.route_set(), IsEmpty());
  // The INVITE is still in progress.
  EXPECT_EQ(testing::refusal(d.make_request(Method::Invite, testing::via())),
            "an INVITE transaction is in progress");
  EXPECT_EQ(ok(d.on_response(parse_ok(testing::k200AtAlice))), DialogState::Confirmed);
  EXPECT_THAT(d.route_set(), ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"));
  EXPECT_EQ(d.invite_out(), std::nullopt);
}

TEST(UacDialog, ANon2xxFinalEndsTheEarlyDialog) {
  Dialog d = alices_dialog(edit(testing::k200AtAlice, "200 OK", "180 Ringing"));
  EXPECT_EQ(ok(d.on_response(parse_ok(edit(testing::k200AtAlice, "200 OK", "486 Busy Here")))),
            DialogState::Terminated);
}

TEST(UacDialog, ReceivesRequestsFromBobWithTheTagsSwapped) {
  Dialog d = alices_dialog();
  const Message bye = parse_ok(
      "BYE sip:alice@pc33.atlanta.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKbye\n"
      "Max-Forwards: 70\n"
      "From: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
      "To: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: 231 BYE\n"
      "Content-Length: 0\n\n");
  EXPECT_EQ(ok(dialog_id_of_request(bye)), d.id().view());
  EXPECT_EQ(d.check_request(bye), RequestCheck::Bye);
  EXPECT_EQ(d.remote_cseq(), 231u);  // the first request from Bob sets it (§12.2.2)
}

}  // namespace
}  // namespace sb::sip
