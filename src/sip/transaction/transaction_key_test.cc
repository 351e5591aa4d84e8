// sip/transaction/transaction_key_test.cc: matching requests to server transactions (RFC 3261
// §17.2.3, with the RFC 2543 fallback) and responses to client transactions (§17.1.3).
#include "sip/transaction/transaction_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

std::string key_of(const Message& m, std::string_view method) {
  const std::vector<std::string_view> vias = m.values(HeaderName::Via);
  const Result<Via> via = parse_via(vias.front());
  EXPECT_TRUE(via.has_value());
  return server_key(m, *via, vias.front(), method);
}

TEST(ServerKey, AckAndCancelFindTheInviteByBranchAndSentBy) {
  const RequestSpec s;
  const std::string invite = key_of(request(s), "INVITE");
  EXPECT_EQ(key_of(derived_request(s, "ACK", "uas-1"), "INVITE"), invite);
  EXPECT_EQ(key_of(derived_request(s, "CANCEL"), "INVITE"), invite);
  EXPECT_NE(key_of(derived_request(s, "CANCEL"), "CANCEL"), invite);
}

TEST(ServerKey, SentByHostIsCaseInsensitiveButPortCounts) {
  RequestSpec s;
  const std::string base = key_of(request(s), "INVITE");
  s.sent_by = "CLIENT.Example.COM:5060";
  EXPECT_EQ(key_of(request(s), "INVITE"), base);
  s.sent_by = "client.example.com:5070";
  EXPECT_NE(key_of(request(s), "INVITE"), base);
  s.sent_by = "client.example.com";
  EXPECT_NE(key_of(request(s), "INVITE"), base);
}

TEST(ServerKey, BranchIsCaseSensitive) {
  RequestSpec s;
  const std::string base = key_of(request(s), "INVITE");
  s.branch = "z9hG4bK-TEST-1";
  EXPECT_NE(key_of(request(s), "INVITE"), base);
}

TEST(ServerKey, Rfc2543KeyUsesCallIdCSeqFromTagUriAndTopVia) {
  RequestSpec s;
  s.branch = "";
  const std::string base = key_of(request(s), "INVITE");
  EXPECT_EQ(key_of(derived_request(s, "ACK", "uas-1"), "INVITE"), base);  // To tag left out
  RequestSpec other = s;
  other.cseq = 2;
  EXPECT_NE(key_of(request(other), "INVITE"), base);
  other = s;
  other.call_id = "another-call";
  EXPECT_NE(key_of(request(other), "INVITE"), base);
  other = s;
  other.from_tag = "another-tag";
  EXPECT_NE(key_of(request(other), "INVITE"), base);
  other = s;
  other.request_uri = "sip:other@switchboard.example.com";
  EXPECT_NE(key_of(request(other), "INVITE"), base);
  other = s;
  other.sent_by = "elsewhere.example.com";
  EXPECT_NE(key_of(request(other), "INVITE"), base);
  // A branch without the cookie is RFC 2543 too, and never meets an RFC 3261 key.
  other = s;
  other.branch = "old-style-branch";
  EXPECT_NE(key_of(request(other), "INVITE"), base);
}

TEST(ClientKey, BranchAndMethod) {
  EXPECT_EQ(client_key("z9hG4bK1", "INVITE"), client_key("z9hG4bK1", "INVITE"));
  EXPECT_NE(client_key("z9hG4bK1", "INVITE"), client_key("z9hG4bK1", "CANCEL"));
  EXPECT_NE(client_key("z9hG4bK1", "INVITE"), client_key("z9hG4bK2", "INVITE"));
}

class Matching : public TransactionTest {};

TEST_F(Matching, SameBranchDifferentMethodIsAnotherTransaction) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  s.method = "OPTIONS";
  receive_at(100ms, request(s), udp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "request"));
  EXPECT_EQ(layer().active_server_transactions(), 2u);
}

TEST_F(Matching, SameBranchDifferentSentByIsAnotherTransaction) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  s.sent_by = "other-host.example.com:5060";
  receive_at(100ms, request(s), udp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "request"));
}

TEST_F(Matching, SameBranchAndSentByFromAnotherAddressIsARetransmission) {
  // §17.2.3 matches on the Via, not on the packet's source (a NAT may change the port).
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, request(s), peer(Transport::Udp, "192.0.2.10", 5999));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 1u);
}

TEST_F(Matching, AckWithAnotherBranchDoesNotEndTheInviteTransaction) {
  const RequestSpec s;
  tu.on_request_hook = [this](ServerTransactionId tx, const Message& r) {
    (void)layer().respond(tx, response(r, 486, "uas-1"));
  };
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  RequestSpec ack = s;
  ack.branch = "z9hG4bK-other";
  receive_at(100ms, derived_request(ack, "ACK", "uas-1"), udp_client());
  EXPECT_EQ(layer().state(tx), TransactionState::Completed);
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "ack"));
}

TEST_F(Matching, Rfc2543RequestsMatchWithoutBranch) {
  RequestSpec s;
  s.branch = "";
  tu.on_request_hook = [this](ServerTransactionId tx, const Message& r) {
    (void)layer().respond(tx, response(r, 486, "uas-1"));
  };
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  receive_at(100ms, request(s), udp_client());  // a retransmission: the 486 again
  receive_at(200ms, derived_request(s, "ACK", "uas-1"), udp_client());
  EXPECT_EQ(layer().state(tx), TransactionState::Confirmed);
  EXPECT_EQ(sender.times_of("486 INVITE"), (std::vector<Duration>{0ms, 100ms}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  RequestSpec next = s;
  next.cseq = 2;
  receive_at(300ms, request(next), udp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "request"));
}

TEST_F(Matching, RequestWithAnUnparsableViaIsAnsweredStatelesslyNotMatched) {
  RequestSpec s;
  s.sent_by = "bad host name";
  receive_at(0s, request(s), udp_client());
  EXPECT_TRUE(tu.events.empty());
  EXPECT_THAT(sender.summaries(), ElementsAre("400 INVITE"));
  EXPECT_EQ(layer().stats().bad_via, 1u);
  EXPECT_EQ(layer().active_server_transactions(), 0u);
}

TEST_F(Matching, ResponsesMatchByBranchAndCSeqMethod) {
  RequestSpec s;
  s.branch = "z9hG4bK-uac-1";
  const Result<ClientTransactionId> id = layer().send_request(request(s), udp_server());
  ASSERT_TRUE(id.has_value());
  // Same branch, CSeq method CANCEL: belongs to a CANCEL transaction that does not exist.
  receive_at(100ms, response(derived_request(s, "CANCEL"), 200, "uas-1"), udp_server());
  // Another branch.
  RequestSpec other = s;
  other.branch = "z9hG4bK-uac-2";
  receive_at(200ms, response(request(other), 180, "uas-1"), udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("stray", "stray"));
  EXPECT_EQ(layer().stats().stray_responses, 2u);
  EXPECT_EQ(layer().state(*id), TransactionState::Calling);
  // The right one.
  receive_at(300ms, response(request(s), 180, "uas-1"), udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("stray", "stray", "response"));
  EXPECT_EQ(layer().state(*id), TransactionState::Proceeding);
}

TEST_F(Matching, ResponseWithoutBranchIsStray) {
  RequestSpec s;
  s.branch = "";
  receive_at(0s, response(request(s), 200, "uas-1"), udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("stray"));
}

}  // namespace
}  // namespace sb::sip::testing
