// sip/dialog/route_set_test.cc: route sets from Record-Route (UAS order, UAC reversed) and
// the Request-URI and Route of in-dialog requests (loose and strict routing, RFC 3261 §12.2.1.1).
#include "sip/dialog/route_set.h"

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

TEST(RouteSet, UasKeepsRecordRouteInRequestOrder) {
  const Message invite = parse_ok(testing::kInviteAtBob);
  EXPECT_THAT(ok(route_set_of_request(invite)),
              ElementsAre("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));
}

TEST(RouteSet, UacReversesRecordRouteOfTheResponse) {
  const Message ok200 = parse_ok(testing::k200AtAlice);
  EXPECT_THAT(ok(route_set_of_response(ok200)),
              ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"));
}

TEST(RouteSet, ReversesAcrossHeaderLinesAndKeepsHeaderParameters) {
  const Message ok200 = parse_ok(
      edit(testing::k200AtAlice, "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n",
           "Record-Route: <sip:p3.example.com;lr>;x=1\n"
           "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n"));
  EXPECT_THAT(ok(route_set_of_response(ok200)),
              ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>",
                          "<sip:p3.example.com;lr>;x=1"));
}

TEST(RouteSet, NoRecordRouteIsAnEmptySet) {
  EXPECT_THAT(ok(route_set_of_request(parse_ok(testing::kInviteFromAlice))), IsEmpty());
}

TEST(RouteSet, RefusesARecordRouteThatIsNotASipUri) {
  const Message bad =
      parse_ok(edit(testing::kInviteAtBob, "<sip:p1.example.com;lr>", "<http://p1.example.com>"));
  const sb::Result<RouteSet> r = route_set_of_request(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where, "Record-Route");
  const Message unparsable =
      parse_ok(edit(testing::kInviteAtBob, "<sip:p1.example.com;lr>", "<sip:p1.example.com"));
  EXPECT_EQ(testing::refusal(route_set_of_request(unparsable)), "unterminated '<'");
}

TEST(RequestTarget, WithoutRoutesGoesStraightToTheRemoteTarget) {
  const RequestTarget t = ok(request_target({}, "sip:bob@192.0.2.4"));
  EXPECT_EQ(t.request_uri, "sip:bob@192.0.2.4");
  EXPECT_THAT(t.routes, IsEmpty());
  EXPECT_EQ(t.next_hop, "sip:bob@192.0.2.4");
}

TEST(RequestTarget, LooseRoutingPutsTheRemoteTargetInTheRequestUri) {
  const RequestTarget t = ok(request_target(
      {"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>;x=1"}, "sip:bob@192.0.2.4"));
  EXPECT_EQ(t.request_uri, "sip:bob@192.0.2.4");
  EXPECT_THAT(t.routes, ElementsAre("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>;x=1"));
  EXPECT_EQ(t.next_hop, "sip:p1.example.com;lr");
}

TEST(RequestTarget, StrictRouterBecomesTheRequestUriAndTheTargetTheLastRoute) {
  const RequestTarget t = ok(request_target(
      {"<sip:p1.example.com;transport=tcp;method=INVITE?subject=x>", "<sip:p2.example.com;lr>"},
      "sip:bob@192.0.2.4"));
  // §12.2.1.1: parameters not allowed in a Request-URI are stripped (method, headers).
  EXPECT_EQ(t.request_uri, "sip:p1.example.com;transport=tcp");
  EXPECT_THAT(t.routes, ElementsAre("<sip:p2.example.com;lr>", "<sip:bob@192.0.2.4>"));
  EXPECT_EQ(t.next_hop, "sip:p1.example.com;transport=tcp");
}

TEST(RequestTarget, StrictRouterAloneLeavesOnlyTheTargetAsRoute) {
  const RequestTarget t = ok(request_target({"<sip:p1.example.com>"}, "sip:bob@192.0.2.4"));
  EXPECT_EQ(t.request_uri, "sip:p1.example.com");
  EXPECT_THAT(t.routes, ElementsAre("<sip:bob@192.0.2.4>"));
}

TEST(RequestTarget, FailsOnAnUnparsableTarget) {
  EXPECT_EQ(testing::refusal(request_target({}, "sip:")), "empty host");
  EXPECT_EQ(testing::refusal(request_target({"<sip:p1.example.com"}, "sip:b@c")),
            "unterminated '<'");
}

TEST(RequestUriForm, DropsMethodAndHeadersOnly) {
  EXPECT_EQ(request_uri_form("sip:a@b.example;method=REGISTER;lr"), "sip:a@b.example;lr");
  EXPECT_EQ(request_uri_form("sip:a@b.example;lr;METHOD=BYE"), "sip:a@b.example;lr");
  EXPECT_EQ(request_uri_form("sips:a@b.example:5061;maddr=10.0.0.1?h=v&i=w"),
            "sips:a@b.example:5061;maddr=10.0.0.1");
  EXPECT_EQ(request_uri_form("sip:a@b.example"), "sip:a@b.example");
  EXPECT_EQ(request_uri_form("tel:+15550100"), "tel:+15550100");
}

}  // namespace
}  // namespace sb::sip
