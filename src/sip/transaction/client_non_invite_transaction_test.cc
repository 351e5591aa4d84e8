// sip/transaction/client_non_invite_transaction_test.cc: the non-INVITE client transaction
// (RFC 3261 §17.1.2), driven through the TransactionLayer with virtual time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

class ClientNonInviteTx : public TransactionTest {
 protected:
  RequestSpec options_spec(std::string transport = "UDP") {
    RequestSpec s;
    s.method = "OPTIONS";
    s.sent_by = "switchboard.example.com:5060";
    s.transport = std::move(transport);
    s.branch = "z9hG4bK-uac-opt";
    return s;
  }
  ClientTransactionId send(const RequestSpec& s, const Peer& to) {
    Result<ClientTransactionId> id = layer().send_request(request(s), to);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id ? *id : ClientTransactionId{};
  }
};

TEST_F(ClientNonInviteTx, RetransmitsWithTimerECappedAtT2AndTimesOutAtTimerF) {
  const ClientTransactionId id = send(options_spec(), udp_server());
  advance_to(40s);
  const std::vector<Duration> expected = {0ms,     500ms,   1500ms,  3500ms,  7500ms, 11500ms,
                                          15500ms, 19500ms, 23500ms, 27500ms, 31500ms};
  EXPECT_EQ(sender.times_of("OPTIONS"), expected);
  ASSERT_THAT(tu.kinds(), ElementsAre("client_timeout"));
  EXPECT_EQ(tu.events[0].at, 32s);
  EXPECT_EQ(tu.events[0].tx, id.value);
  EXPECT_EQ(tu.events[0].message->status(), 408);
  EXPECT_EQ(tu.events[0].message->cseq_method(), Method::Options);
  EXPECT_EQ(layer().active_client_transactions(), 0u);
}

TEST_F(ClientNonInviteTx, ConfiguredT2CapsTimerESooner) {
  config.timers.t2 = 1s;
  send(options_spec(), udp_server());
  advance_to(40s);
  std::vector<Duration> expected = {0ms, 500ms};
  for (Duration t = 1500ms; t < 32s; t += 1s) {
    expected.push_back(t);
  }
  EXPECT_EQ(sender.times_of("OPTIONS"), expected);
  ASSERT_EQ(tu.of("client_timeout").size(), 1u);
  EXPECT_EQ(tu.of("client_timeout")[0]->at, 32s);
}

TEST_F(ClientNonInviteTx, ConfiguredT1ChangesTimersEAndF) {
  config.timers.t1 = 250ms;
  send(options_spec(), udp_server());
  advance_to(40s);
  const std::vector<Duration> expected = {0ms,    250ms,  750ms,   1750ms,
                                          3750ms, 7750ms, 11750ms, 15750ms};
  EXPECT_EQ(sender.times_of("OPTIONS"), expected);
  ASSERT_EQ(tu.of("client_timeout").size(), 1u);
  EXPECT_EQ(tu.of("client_timeout")[0]->at, 16s);
}

TEST_F(ClientNonInviteTx, ProvisionalMakesTimerEFireEveryT2) {
  const RequestSpec s = options_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(1s, response(request(s), 100), udp_server());
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  advance_to(40s);
  // The interval chosen at 0.5 s (1 s) still applies; from the 1.5 s send on, it is T2.
  const std::vector<Duration> expected = {0ms,     500ms,   1500ms,  5500ms,  9500ms,
                                          13500ms, 17500ms, 21500ms, 25500ms, 29500ms};
  EXPECT_EQ(sender.times_of("OPTIONS"), expected);
  EXPECT_THAT(tu.kinds(), ElementsAre("response", "client_timeout"));
  EXPECT_EQ(tu.events[1].at, 32s);
}

TEST_F(ClientNonInviteTx, FinalResponseStopsRetransmissionsAndRepeatsAreAbsorbedUntilTimerK) {
  const RequestSpec s = options_spec();
  const ClientTransactionId id = send(s, udp_server());
  const Message ok = response(request(s), 200, "uas-1");
  receive_at(2s, ok, udp_server());
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  receive_at(3s, ok, udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("response"));
  EXPECT_EQ(tu.events[0].message->status(), 200);
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 1u);
  // Timer K = T4 after the final.
  advance_to(7s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance_to(7s);
  EXPECT_EQ(layer().state(id), std::nullopt);
  advance_to(60s);
  EXPECT_EQ(sender.times_of("OPTIONS"), (std::vector<Duration>{0ms, 500ms, 1500ms}));
}

TEST_F(ClientNonInviteTx, ConfiguredT4ChangesTimerK) {
  config.timers.t4 = 2s;
  const RequestSpec s = options_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(1s, response(request(s), 404, "uas-1"), udp_server());
  advance_to(3s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance_to(3s);
  EXPECT_EQ(layer().state(id), std::nullopt);
}

TEST_F(ClientNonInviteTx, ReliableTransportNeitherRetransmitsNorLingers) {
  const RequestSpec s = options_spec("TCP");
  const ClientTransactionId id = send(s, tcp_server());
  advance_to(10s);
  EXPECT_EQ(sender.times_of("OPTIONS"), std::vector<Duration>{0ms});
  receive_at(11s, response(request(s), 200, "uas-1"), tcp_server());
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_THAT(tu.kinds(), ElementsAre("response"));
}

TEST_F(ClientNonInviteTx, ReliableTransportStillTimesOutAtTimerF) {
  send(options_spec("TCP"), tcp_server());
  advance_to(40s);
  EXPECT_EQ(sender.sent.size(), 1u);
  ASSERT_THAT(tu.kinds(), ElementsAre("client_timeout"));
  EXPECT_EQ(tu.events[0].at, 32s);
}

}  // namespace
}  // namespace sb::sip::testing
