// sip/transaction/transaction_layer_test.cc: the layer as a whole: what send_request accepts,
// transport failures, counters, and a TU that calls back into the layer.
#include "sip/transaction/transaction_layer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Layer : public TransactionTest {};

TEST_F(Layer, SendRequestRefusesWhatCannotBeAClientTransaction) {
  RequestSpec s;
  s.branch = "no-cookie";
  Result<ClientTransactionId> r = layer().send_request(request(s), udp_server());
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("magic cookie"));

  s.branch = "z9hG4bK-1";
  EXPECT_FALSE(layer().send_request(derived_request(s, "ACK", "t"), udp_server()).has_value());
  EXPECT_FALSE(layer().send_request(response(request(s), 200, "t"), udp_server()).has_value());

  ASSERT_TRUE(layer().send_request(request(s), udp_server()).has_value());
  r = layer().send_request(request(s), udp_server());
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("in use"));
  EXPECT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(layer().active_client_transactions(), 1u);
}

TEST_F(Layer, MadeBranchesAreUsableAndDistinct) {
  const std::string a = layer().make_branch();
  const std::string b = layer().make_branch();
  EXPECT_NE(a, b);
  RequestSpec s;
  s.branch = a;
  EXPECT_TRUE(layer().send_request(request(s), udp_server()).has_value());
  EXPECT_NE(layer().make_tag(), layer().make_tag());
}

TEST_F(Layer, SendAckGoesOutAsIsWithoutATransaction) {
  RequestSpec s;
  s.branch = "z9hG4bK-ack";
  EXPECT_TRUE(layer().send_ack(derived_request(s, "ACK", "uas-1"), udp_server()));
  EXPECT_FALSE(layer().send_ack(request(s), udp_server()));
  EXPECT_THAT(sender.summaries(), ElementsAre("ACK"));
  EXPECT_EQ(layer().active_client_transactions(), 0u);
  advance_to(60s);
  EXPECT_EQ(sender.sent.size(), 1u);
}

TEST_F(Layer, TransportFailureEndsClientTransactionsWithA503) {
  RequestSpec s;
  s.transport = "TCP";
  const ClientTransactionId id = *layer().send_request(request(s), tcp_server());
  RequestSpec elsewhere = s;
  elsewhere.branch = "z9hG4bK-2";
  const ClientTransactionId other =
      *layer().send_request(request(elsewhere), peer(Transport::Tcp, "198.51.100.8", 5060));
  layer().transport_failed(tcp_server());
  ASSERT_THAT(tu.kinds(), ElementsAre("client_transport_error"));
  EXPECT_EQ(tu.events[0].tx, id.value);
  EXPECT_EQ(tu.events[0].message->status(), 503);
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_EQ(layer().state(other), TransactionState::Calling);
  EXPECT_EQ(layer().stats().transport_errors, 1u);
}

TEST_F(Layer, TransportFailureAfterTheFinalResponseOnlyEndsTheTransaction) {
  RequestSpec s;
  const ClientTransactionId id = *layer().send_request(request(s), udp_server());
  receive_at(1s, response(request(s), 486, "uas-1"), udp_server());
  layer().transport_failed(udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("response"));
  EXPECT_EQ(layer().state(id), std::nullopt);
}

TEST_F(Layer, TransportFailureReportedFromInsideSendIsDeferred) {
  sender.on_send = [this](const Peer& to) { layer().transport_failed(to); };
  RequestSpec s;
  s.method = "OPTIONS";
  const Result<ClientTransactionId> id = layer().send_request(request(s), udp_server());
  ASSERT_TRUE(id.has_value());
  EXPECT_THAT(tu.kinds(), ElementsAre("client_transport_error"));
  EXPECT_EQ(layer().state(*id), std::nullopt);
  advance_to(60s);
  EXPECT_EQ(sender.sent.size(), 1u);  // no retransmission of a dead transaction
}

TEST_F(Layer, TransportFailureEndsServerTransactionsToo) {
  RequestSpec s;
  s.transport = "TCP";
  receive_at(0s, request(s), tcp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  layer().transport_failed(tcp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "server_transport_error"));
  EXPECT_EQ(layer().state(tx), std::nullopt);
  advance_to(1s);
  EXPECT_TRUE(sender.sent.empty());  // not even the 100 Trying
}

TEST_F(Layer, TuCanSendRequestsFromAResponseCallback) {
  RequestSpec s;
  s.method = "OPTIONS";
  s.transport = "TCP";
  RequestSpec next = s;
  next.branch = "z9hG4bK-next";
  tu.on_response_hook = [&](ClientTransactionId, const Message&) {
    if (layer().active_client_transactions() == 1) {
      EXPECT_TRUE(layer().send_request(request(next), tcp_server()).has_value());
    }
  };
  ASSERT_TRUE(layer().send_request(request(s), tcp_server()).has_value());
  receive_at(1s, response(request(s), 200, "t"), tcp_server());
  EXPECT_THAT(sender.summaries(), ElementsAre("OPTIONS", "OPTIONS"));
  EXPECT_EQ(layer().active_client_transactions(), 1u);  // the first ended (K = 0)
}

TEST_F(Layer, ARequestWhoseViaDoesNotParseGets400AtItsSourceAndNeverReachesTheTu) {
  RequestSpec s;
  s.sent_by = "client.example.com:99999";  // port out of range
  const Peer from = peer(Transport::Udp, "192.0.2.44", 40123);
  receive_at(0s, request(s), from);
  ASSERT_EQ(sender.sent.size(), 1u);
  const Sent& answer = sender.last();
  EXPECT_EQ(answer.message.status(), 400);
  EXPECT_THAT(answer.message.reason(), HasSubstr("Via"));
  // The Via names no usable place, so the packet's own source port is where it goes.
  EXPECT_EQ(answer.to.remote.to_string(), "192.0.2.44:40123");
  EXPECT_EQ(answer.message.call_id(), "call-1@client.example.com");
  EXPECT_TRUE(tu.events.empty());
  // An ACK with such a Via is only counted.
  receive_at(1s, derived_request(s, "ACK", "t"), from);
  EXPECT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(layer().stats().bad_via, 2u);
}

TEST_F(Layer, CountsWhatHappened) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, request(s), udp_client());
  advance_to(300ms);
  RequestSpec out;
  out.method = "OPTIONS";
  out.branch = "z9hG4bK-out";
  ASSERT_TRUE(layer().send_request(request(out), udp_server()).has_value());
  advance_to(900ms);
  const TransactionStats& st = layer().stats();
  EXPECT_EQ(st.server_transactions, 1u);
  EXPECT_EQ(st.client_transactions, 1u);
  EXPECT_EQ(st.trying_sent, 1u);
  EXPECT_EQ(st.retransmissions_absorbed, 1u);
  EXPECT_EQ(st.requests_retransmitted, 1u);
  EXPECT_EQ(st.messages_sent, 3u);  // 100 Trying, OPTIONS twice
  EXPECT_EQ(layer().active_server_transactions(), 1u);
  EXPECT_EQ(layer().active_client_transactions(), 1u);
}

TEST_F(Layer, DestroyingTheLayerCancelsItsTimers) {
  RequestSpec s;
  receive_at(0s, request(s), udp_client());
  ASSERT_GT(timers.size(), 0u);
  {
    TransactionLayer scoped(clock, timers, sender, tu, config);
    RequestSpec out;
    out.branch = "z9hG4bK-scoped";
    ASSERT_TRUE(scoped.send_request(request(out), udp_server()).has_value());
  }
  advance_to(100s);
  EXPECT_EQ(sender.times_of("INVITE").size(), 1u);  // the scoped layer's, never repeated
}

}  // namespace
}  // namespace sb::sip::testing
