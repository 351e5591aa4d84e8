// sip/dialog/in_dialog_request_test.cc: the text of in-dialog requests (RFC 3261 §12.2.1.1)
// in the corners the dialog tests do not reach: RFC 2543 peers, extra headers, bad input.
#include "sip/dialog/in_dialog_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/dialog/dialog_test_support.h"

namespace sb::sip {
namespace {

using testing::edit;
using ::testing::ElementsAre;
using testing::must;
using testing::ok;
using testing::parse_ok;

Dialog bobs_dialog(std::string_view invite) {
  return must(Dialog::uas_from_invite(parse_ok(invite), testing::udp_peer(), "bobtag",
                                      "<sip:bob@192.0.2.4>"));
}

TEST(InDialogRequest, AnRfc2543PeerWithoutFromTagGetsNoToTag) {
  const Dialog d = bobs_dialog(edit(testing::kInviteAtBob, ";tag=1928301774", ""));
  const Message info = ok(build_in_dialog_request(d, Method::Info, 7, testing::via()));
  EXPECT_EQ(info.first(HeaderName::To), "Alice <sip:alice@atlanta.com>");
  EXPECT_EQ(info.first(HeaderName::From), "Bob <sip:bob@biloxi.com>;tag=bobtag");
  EXPECT_EQ(info.cseq(), 7u);
  EXPECT_EQ(info.cseq_method_text(), "INFO");
}

TEST(InDialogRequest, KeepsQuotedDisplayNamesAndBareUris) {
  const Dialog d =
      bobs_dialog(edit(edit(testing::kInviteAtBob, "From: Alice <sip:alice@atlanta.com>",
                            "From: \"Alice, A.\" <sip:alice@atlanta.com>"),
                       "To: Bob <sip:bob@biloxi.com>", "To: sip:bob@biloxi.com"));
  const Message bye = ok(build_in_dialog_request(d, Method::Bye, 1, testing::via()));
  EXPECT_EQ(bye.first(HeaderName::From), "<sip:bob@biloxi.com>;tag=bobtag");
  EXPECT_EQ(bye.first(HeaderName::To), "\"Alice, A.\" <sip:alice@atlanta.com>;tag=1928301774");
}

TEST(InDialogRequest, AddsExtraHeadersInOrderAndTheBody) {
  const Dialog d = bobs_dialog(testing::kInviteAtBob);
  RequestOptions options = testing::via();
  options.headers = {{"Authorization", "Digest username=\"bob\""}, {"X-Call", "42"}};
  options.content_type = "application/dtmf-relay";
  options.body = "Signal=5\r\nDuration=160\r\n";
  const Message info = ok(build_in_dialog_request(d, Method::Info, 2, options));
  EXPECT_EQ(info.first(HeaderName::Authorization), "Digest username=\"bob\"");
  EXPECT_EQ(info.first(HeaderName::ContentType), "application/dtmf-relay");
  EXPECT_EQ(info.body(), "Signal=5\r\nDuration=160\r\n");
  EXPECT_THAT(info.values(HeaderName::Route),
              ElementsAre("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));
  EXPECT_EQ(info.first(HeaderName::MaxForwards), "70");
  EXPECT_EQ(info.call_id(), "a84b4c76e66710@pc33.atlanta.com");
}

TEST(InDialogRequest, RefusesLineBreaksAMissingViaAndNamelessMethods) {
  const Dialog d = bobs_dialog(testing::kInviteAtBob);
  RequestOptions injected = testing::via();
  injected.headers = {{"X-A", "1\r\nRoute: <sip:evil.example;lr>"}};
  EXPECT_EQ(testing::refusal(build_in_dialog_request(d, Method::Info, 1, injected)),
            "line break in a header value");
  RequestOptions bad_via;
  bad_via.via = "SIP/2.0/UDP a\nb";
  EXPECT_EQ(testing::refusal(build_in_dialog_request(d, Method::Info, 1, bad_via)),
            "line break in a header value");
  EXPECT_EQ(testing::refusal(build_in_dialog_request(d, Method::Info, 1, {})), "missing Via");
  EXPECT_EQ(testing::refusal(build_in_dialog_request(d, Method::Unknown, 1, testing::via())),
            "method without a name");
}

TEST(InDialogRequest, TargetRefreshesCarryOurContactOthersDoNot) {
  const Dialog d = bobs_dialog(testing::kInviteAtBob);
  for (Method m : {Method::Invite, Method::Update, Method::Subscribe, Method::Notify}) {
    EXPECT_EQ(ok(build_in_dialog_request(d, m, 1, testing::via())).first(HeaderName::Contact),
              "<sip:bob@192.0.2.4>")
        << method_name(m);
  }
  for (Method m : {Method::Bye, Method::Info, Method::Ack, Method::Message, Method::Refer}) {
    EXPECT_EQ(ok(build_in_dialog_request(d, m, 1, testing::via())).first(HeaderName::Contact),
              std::nullopt)
        << method_name(m);
  }
}

}  // namespace
}  // namespace sb::sip
