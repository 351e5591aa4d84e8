// sip/transaction/client_invite_transaction_test.cc: the INVITE client transaction (RFC 3261
// §17.1.1 with RFC 6026), driven through the TransactionLayer with virtual time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

class ClientInviteTx : public TransactionTest {
 protected:
  RequestSpec invite_spec(std::string transport = "UDP") {
    RequestSpec s;
    s.sent_by = "switchboard.example.com:5060";
    s.transport = std::move(transport);
    s.branch = "z9hG4bK-uac-1";
    s.extra_headers = "Route: <sip:proxy.example.com;lr>\r\n";
    return s;
  }
  ClientTransactionId send(const RequestSpec& s, const Peer& to) {
    Result<ClientTransactionId> id = layer().send_request(request(s), to);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id ? *id : ClientTransactionId{};
  }
};

TEST_F(ClientInviteTx, RetransmitsOverUdpAtTimerADoublingAndTimesOutAtTimerB) {
  const ClientTransactionId id = send(invite_spec(), udp_server());
  advance_to(40s);
  const std::vector<Duration> expected = {0ms, 500ms, 1500ms, 3500ms, 7500ms, 15500ms, 31500ms};
  EXPECT_EQ(sender.times_of("INVITE"), expected);
  ASSERT_THAT(tu.kinds(), ElementsAre("client_timeout"));
  const TuEvent& timeout = *tu.of("client_timeout")[0];
  EXPECT_EQ(timeout.at, 32s);
  EXPECT_EQ(timeout.tx, id.value);
  EXPECT_EQ(timeout.message->status(), 408);
  EXPECT_EQ(timeout.message->call_id(), "call-1@client.example.com");
  EXPECT_EQ(timeout.message->cseq_method(), Method::Invite);
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_EQ(layer().active_client_transactions(), 0u);
  EXPECT_EQ(layer().stats().requests_retransmitted, 6u);
  EXPECT_EQ(layer().stats().timeouts, 1u);
}

TEST_F(ClientInviteTx, TimerBFiresNotAMicrosecondEarly) {
  const ClientTransactionId id = send(invite_spec(), udp_server());
  advance_to(32s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Calling);
  EXPECT_TRUE(tu.events.empty());
  advance_to(32s);
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_THAT(tu.kinds(), ElementsAre("client_timeout"));
}

TEST_F(ClientInviteTx, ConfiguredT1ScalesTimersAAndB) {
  config.timers.t1 = 100ms;
  send(invite_spec(), udp_server());
  advance_to(10s);
  const std::vector<Duration> expected = {0ms, 100ms, 300ms, 700ms, 1500ms, 3100ms, 6300ms};
  EXPECT_EQ(sender.times_of("INVITE"), expected);
  ASSERT_EQ(tu.of("client_timeout").size(), 1u);
  EXPECT_EQ(tu.of("client_timeout")[0]->at, 6400ms);
}

TEST_F(ClientInviteTx, ReliableTransportSendsOnceAndStillTimesOutAtTimerB) {
  send(invite_spec("TCP"), tcp_server());
  advance_to(40s);
  EXPECT_EQ(sender.times_of("INVITE"), std::vector<Duration>{0ms});
  ASSERT_EQ(tu.of("client_timeout").size(), 1u);
  EXPECT_EQ(tu.of("client_timeout")[0]->at, 32s);
}

TEST_F(ClientInviteTx, GoesToTheDestinationGiven) {
  send(invite_spec(), udp_server());
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.sent[0].to.remote.to_string(), "198.51.100.7:5060");
  EXPECT_EQ(sender.sent[0].to.transport, Transport::Udp);
}

TEST_F(ClientInviteTx, ProvisionalStopsRetransmissionsAndTimerB) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(1s, response(request(s), 180, "uas-1"), udp_server());
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  advance_to(200s);
  EXPECT_EQ(sender.times_of("INVITE"), (std::vector<Duration>{0ms, 500ms}));
  ASSERT_THAT(tu.kinds(), ElementsAre("response"));
  EXPECT_EQ(tu.events[0].message->status(), 180);
  EXPECT_EQ(tu.events[0].tx, id.value);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
}

TEST_F(ClientInviteTx, FailureIsAckedInsideTheTransactionAndPassedUpOnce) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  const Message busy = response(request(s), 486, "uas-1");
  receive_at(2s, busy, udp_server());
  ASSERT_THAT(sender.summaries(), ElementsAre("INVITE", "INVITE", "INVITE", "ACK"));
  const Sent& ack = sender.last();
  EXPECT_EQ(ack.at, 2s);
  EXPECT_EQ(ack.to.remote.to_string(), "198.51.100.7:5060");
  EXPECT_EQ(ack.message.request_uri(), "sip:queue@switchboard.example.com");
  EXPECT_THAT(ack.message.values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP switchboard.example.com:5060;branch=z9hG4bK-uac-1"));
  EXPECT_EQ(ack.message.first(HeaderName::To), "<sip:queue@switchboard.example.com>;tag=uas-1");
  EXPECT_EQ(ack.message.first(HeaderName::From),
            "\"Caller\" <sip:caller@client.example.com>;tag=caller-tag");
  EXPECT_EQ(ack.message.first(HeaderName::CSeq), "1 ACK");
  EXPECT_EQ(ack.message.first(HeaderName::Route), "<sip:proxy.example.com;lr>");
  EXPECT_EQ(ack.message.call_id(), "call-1@client.example.com");
  ASSERT_THAT(tu.kinds(), ElementsAre("response"));
  EXPECT_EQ(tu.events[0].message->status(), 486);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);

  // The 486 again: our ACK was lost. ACKed again, not passed up.
  receive_at(3s, busy, udp_server());
  EXPECT_THAT(sender.summaries(), ElementsAre("INVITE", "INVITE", "INVITE", "ACK", "ACK"));
  EXPECT_EQ(sender.last().at, 3s);
  EXPECT_EQ(tu.events.size(), 1u);
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 1u);
  EXPECT_EQ(layer().stats().requests_retransmitted, 3u);  // two INVITEs, one ACK

  // Timer D: 32 s after the 486.
  advance_to(34s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance_to(34s);
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_EQ(tu.events.size(), 1u);
}

TEST_F(ClientInviteTx, TimerDIsZeroOnReliableTransports) {
  const RequestSpec s = invite_spec("TCP");
  const ClientTransactionId id = send(s, tcp_server());
  receive_at(1s, response(request(s), 603, "uas-1"), tcp_server());
  EXPECT_THAT(sender.summaries(), ElementsAre("INVITE", "ACK"));
  EXPECT_EQ(layer().state(id), std::nullopt);
  EXPECT_THAT(tu.kinds(), ElementsAre("response"));
}

TEST_F(ClientInviteTx, LargerT1StretchesTimerDBeyond32Seconds) {
  config.timers.t1 = 1s;
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(0s, response(request(s), 486, "uas-1"), udp_server());
  advance_to(64s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance_to(64s);
  EXPECT_EQ(layer().state(id), std::nullopt);
}

TEST_F(ClientInviteTx, TwoHundredIsPassedUpWithoutAckAndSoIsEveryLater2xxUntilTimerM) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  const Message ok = response(request(s), 200, "uas-1");
  receive_at(1s, ok, udp_server());
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  receive_at(2s, ok, udp_server());                                       // a repeat
  receive_at(3s, response(request(s), 200, "uas-fork-2"), udp_server());  // another fork
  EXPECT_THAT(sender.summaries(), ElementsAre("INVITE", "INVITE"));       // no ACK from here
  ASSERT_THAT(tu.kinds(), ElementsAre("response", "response", "response"));
  EXPECT_EQ(tu.events[2].message->first(HeaderName::To),
            "<sip:queue@switchboard.example.com>;tag=uas-fork-2");

  // Timer M (64*T1) after the first 2xx; then a 2xx belongs to no transaction.
  advance_to(33s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  advance_to(33s);
  EXPECT_EQ(layer().state(id), std::nullopt);
  receive_at(34s, ok, udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("response", "response", "response", "stray"));
}

TEST_F(ClientInviteTx, ProvisionalAfterFinalIsAbsorbed) {
  const RequestSpec s = invite_spec();
  send(s, udp_server());
  receive_at(1s, response(request(s), 486, "uas-1"), udp_server());
  receive_at(2s, response(request(s), 180, "uas-1"), udp_server());
  EXPECT_THAT(tu.kinds(), ElementsAre("response"));
}

TEST_F(ClientInviteTx, CancelWaitsForAProvisionalThenGoesAsItsOwnTransaction) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  Result<CancelState> cancelled = layer().cancel(id);
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(*cancelled, CancelState::WaitingForProvisional);
  EXPECT_THAT(sender.summaries(), ElementsAre("INVITE"));

  receive_at(400ms, response(request(s), 180, "uas-1"), udp_server());
  ASSERT_THAT(sender.summaries(), ElementsAre("INVITE", "CANCEL"));
  const Sent& cancel = sender.last();
  EXPECT_EQ(cancel.at, 400ms);
  EXPECT_EQ(cancel.to.remote.to_string(), "198.51.100.7:5060");
  EXPECT_EQ(cancel.message.request_uri(), "sip:queue@switchboard.example.com");
  EXPECT_THAT(cancel.message.values(HeaderName::Via),
              ElementsAre("SIP/2.0/UDP switchboard.example.com:5060;branch=z9hG4bK-uac-1"));
  EXPECT_EQ(cancel.message.first(HeaderName::To), "<sip:queue@switchboard.example.com>");
  EXPECT_EQ(cancel.message.first(HeaderName::CSeq), "1 CANCEL");
  EXPECT_EQ(cancel.message.first(HeaderName::Route), "<sip:proxy.example.com;lr>");
  EXPECT_EQ(layer().stats().client_transactions, 2u);

  // The CANCEL is repeated by its own timer E until answered; its 200 stays in the layer.
  const Message cancel_request = cancel.message;
  receive_at(1200ms, response(cancel_request, 200, "uas-1"), udp_server());
  EXPECT_EQ(sender.times_of("CANCEL"), (std::vector<Duration>{400ms, 900ms}));
  receive_at(1300ms, response(request(s), 487, "uas-1"), udp_server());
  EXPECT_THAT(sender.summaries(), ElementsAre("INVITE", "CANCEL", "CANCEL", "ACK"));
  ASSERT_THAT(tu.kinds(), ElementsAre("response", "response"));
  EXPECT_EQ(tu.events[1].message->status(), 487);
  EXPECT_EQ(tu.events[1].tx, id.value);
  advance_to(100s);
  EXPECT_EQ(layer().active_client_transactions(), 0u);
  EXPECT_EQ(tu.events.size(), 2u);
}

TEST_F(ClientInviteTx, CancelInProceedingGoesAtOnceAndTwiceIsOnce) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(100ms, response(request(s), 183, "uas-1"), udp_server());
  advance_to(5s);
  ASSERT_TRUE(layer().cancel(id).has_value());
  EXPECT_EQ(*layer().cancel(id), CancelState::Sent);
  EXPECT_EQ(sender.times_of("CANCEL"), std::vector<Duration>{5s});
}

TEST_F(ClientInviteTx, CancelledInviteWithoutFinalResponseIsGivenUpAfter64T1) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(1s, response(request(s), 180, "uas-1"), udp_server());
  advance_to(2s);
  ASSERT_TRUE(layer().cancel(id).has_value());
  advance_to(34s - 1us);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  advance_to(34s);
  EXPECT_EQ(layer().state(id), std::nullopt);
  // Only the INVITE's fate reaches the TU; the CANCEL timed out quietly at the same instant.
  ASSERT_THAT(tu.kinds(), ElementsAre("response", "client_timeout"));
  EXPECT_EQ(tu.events[1].tx, id.value);
  EXPECT_EQ(tu.events[1].message->status(), 408);
  EXPECT_EQ(layer().active_client_transactions(), 0u);
  EXPECT_EQ(layer().stats().timeouts, 2u);
}

TEST_F(ClientInviteTx, CancelFailsAfterAFinalResponseAndForNonInvite) {
  const RequestSpec s = invite_spec();
  const ClientTransactionId id = send(s, udp_server());
  receive_at(1s, response(request(s), 486, "uas-1"), udp_server());
  EXPECT_FALSE(layer().cancel(id).has_value());

  RequestSpec options = invite_spec();
  options.method = "OPTIONS";
  options.branch = "z9hG4bK-uac-2";
  const ClientTransactionId options_id = send(options, udp_server());
  EXPECT_FALSE(layer().cancel(options_id).has_value());
  EXPECT_FALSE(layer().cancel(ClientTransactionId{999}).has_value());
  EXPECT_EQ(sender.times_of("CANCEL").size(), 0u);
}

}  // namespace
}  // namespace sb::sip::testing
