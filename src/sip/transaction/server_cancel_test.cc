// sip/transaction/server_cancel_test.cc: CANCEL arriving at a server (RFC 3261 §9.2): its own
// transaction answered 200 (or 481), and 487 for the INVITE it cancels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

class ServerCancel : public TransactionTest {};

TEST_F(ServerCancel, CancelGets200AndTheInvite487AndTheTuIsTold) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId invite_tx = tu.last_request_tx();
  ASSERT_TRUE(layer().respond(invite_tx, response(*layer().request(invite_tx), 180, "uas-1")));
  receive_at(3s, derived_request(s, "CANCEL"), udp_client());

  ASSERT_THAT(sender.summaries(), ElementsAre("180 INVITE", "200 CANCEL", "487 INVITE"));
  const Message& ok = sender.sent[1].message;
  const Message& terminated = sender.sent[2].message;
  EXPECT_EQ(sender.sent[1].at, 3s);
  EXPECT_EQ(sender.sent[2].at, 3s);
  EXPECT_EQ(ok.to_tag(), "uas-1");  // §9.2: the same tag as the INVITE's responses
  EXPECT_EQ(terminated.to_tag(), "uas-1");
  EXPECT_EQ(terminated.reason(), "Request Terminated");
  EXPECT_EQ(ok.first(HeaderName::Via), "SIP/2.0/UDP client.example.com:5060;branch=z9hG4bK-test-1");
  EXPECT_EQ(sender.sent[1].to.remote.to_string(), "192.0.2.10:5060");

  ASSERT_THAT(tu.kinds(), ElementsAre("request", "cancelled"));
  EXPECT_EQ(tu.events[1].tx, invite_tx.value);
  EXPECT_EQ(tu.events[1].message->method(), Method::Cancel);
  EXPECT_EQ(layer().state(invite_tx), TransactionState::Completed);
  EXPECT_FALSE(layer().respond(invite_tx, response(*layer().request(invite_tx), 200, "uas-1")));

  // The 487 behaves like any 3xx-6xx: timer G until the ACK, which stays here.
  receive_at(3400ms, derived_request(s, "ACK", "uas-1"), udp_client());
  EXPECT_EQ(sender.times_of("487 INVITE"), (std::vector<Duration>{3s}));
  EXPECT_EQ(layer().state(invite_tx), TransactionState::Confirmed);
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "cancelled"));
  EXPECT_EQ(layer().stats().acks_absorbed, 1u);
}

TEST_F(ServerCancel, CancelBeforeAnyAnswerUsesOneFreshTagForBoth) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, derived_request(s, "CANCEL"), udp_client());
  ASSERT_THAT(sender.summaries(), ElementsAre("200 CANCEL", "487 INVITE"));
  const std::string_view tag = sender.sent[0].message.to_tag();
  EXPECT_FALSE(tag.empty());
  EXPECT_EQ(sender.sent[1].message.to_tag(), tag);
  advance_to(300ms);
  EXPECT_EQ(layer().stats().trying_sent, 0u);  // the 487 came first
}

TEST_F(ServerCancel, CancelMatchingNothingGets481) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  RequestSpec other = s;
  other.branch = "z9hG4bK-never-seen";
  receive_at(100ms, derived_request(other, "CANCEL"), udp_client());
  ASSERT_THAT(sender.summaries(), ElementsAre("481 CANCEL"));
  EXPECT_EQ(sender.last().message.reason(), "Call/Transaction Does Not Exist");
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  EXPECT_EQ(layer().stats().cancels_unmatched, 1u);
}

TEST_F(ServerCancel, CancelFromAnotherSentByDoesNotMatch) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  RequestSpec other = s;
  other.sent_by = "elsewhere.example.com:5060";
  receive_at(100ms, derived_request(other, "CANCEL"), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("481 CANCEL"));
}

TEST_F(ServerCancel, CancelOfANonInviteGets481) {
  RequestSpec s;
  s.method = "OPTIONS";
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, derived_request(s, "CANCEL"), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("481 CANCEL"));
  EXPECT_EQ(layer().state(tu.last_request_tx()), TransactionState::Trying);
}

TEST_F(ServerCancel, CancelAfterTheFinalResponseGets200AndChangesNothing) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId invite_tx = tu.last_request_tx();
  ASSERT_TRUE(layer().respond(invite_tx, response(*layer().request(invite_tx), 486, "uas-1")));
  receive_at(100ms, derived_request(s, "CANCEL"), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("486 INVITE", "200 CANCEL"));
  EXPECT_EQ(sender.last().message.to_tag(), "uas-1");
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerCancel, CancelAfterTwoHundredGets200AndTheCallGoesOn) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId invite_tx = tu.last_request_tx();
  ASSERT_TRUE(layer().respond(invite_tx, response(*layer().request(invite_tx), 200, "uas-1")));
  receive_at(100ms, derived_request(s, "CANCEL"), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("200 INVITE", "200 CANCEL"));
  EXPECT_EQ(layer().state(invite_tx), TransactionState::Accepted);
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerCancel, RepeatedCancelGetsItsAnswerAgainAndIsReportedOnce) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const Message cancel = derived_request(s, "CANCEL");
  receive_at(100ms, cancel, udp_client());
  receive_at(600ms, cancel, udp_client());
  EXPECT_THAT(sender.summaries(),
              ElementsAre("200 CANCEL", "487 INVITE", "487 INVITE", "200 CANCEL"));
  EXPECT_EQ(sender.times_of("487 INVITE"), (std::vector<Duration>{100ms, 600ms}));  // timer G
  EXPECT_EQ(sender.times_of("200 CANCEL"), (std::vector<Duration>{100ms, 600ms}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "cancelled"));
}

TEST_F(ServerCancel, CancelMatchesAnRfc2543InviteWithoutBranch) {
  RequestSpec s;
  s.branch = "";
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, derived_request(s, "CANCEL"), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("200 CANCEL", "487 INVITE"));
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "cancelled"));
}

TEST_F(ServerCancel, CancelOverTcpAnswersOnTheConnection) {
  RequestSpec s;
  s.transport = "TCP";
  receive_at(0s, request(s), tcp_client());
  receive_at(100ms, derived_request(s, "CANCEL"), tcp_client());
  ASSERT_THAT(sender.summaries(), ElementsAre("200 CANCEL", "487 INVITE"));
  EXPECT_EQ(sender.sent[0].to.remote.to_string(), "192.0.2.10:40000");
  EXPECT_EQ(layer().active_server_transactions(), 1u);  // the CANCEL's ended at once (J = 0)
}

}  // namespace
}  // namespace sb::sip::testing
