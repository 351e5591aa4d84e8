// sip/transaction/server_invite_transaction_test.cc: the INVITE server transaction (RFC 3261
// §17.2.1 with RFC 6026), driven through the TransactionLayer with virtual time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

class ServerInviteTx : public TransactionTest {
 protected:
  // The TU's answer to the last request, made by the test as the TU would.
  Result<TransactionState> answer(int status, std::string_view to_tag = "uas-1") {
    const ServerTransactionId tx = tu.last_request_tx();
    return layer().respond(tx, response(*layer().request(tx), status, to_tag));
  }
  // Answers every new request with `status` from inside on_request.
  void answer_at_once(int status) {
    tu.on_request_hook = [this, status](ServerTransactionId tx, const Message& request) {
      EXPECT_TRUE(layer().respond(tx, response(request, status, "uas-1")).has_value());
    };
  }
};

TEST_F(ServerInviteTx, SendsTryingAfter200msWhenTheTuIsSilent) {
  RequestSpec s;
  s.extra_headers = "Timestamp: 54.3\r\n";
  receive_at(0s, request(s), udp_client());
  ASSERT_THAT(tu.kinds(), ElementsAre("request"));
  advance_to(200ms - 1us);
  EXPECT_TRUE(sender.sent.empty());
  advance_to(200ms);
  ASSERT_THAT(sender.summaries(), ElementsAre("100 INVITE"));
  const Sent& trying = sender.last();
  EXPECT_EQ(trying.at, 200ms);
  EXPECT_EQ(trying.to.remote.to_string(), "192.0.2.10:5060");
  EXPECT_EQ(trying.message.first(HeaderName::To), "<sip:queue@switchboard.example.com>");
  EXPECT_EQ(trying.message.first(HeaderName::Timestamp), "54.3");
  EXPECT_EQ(trying.message.first(HeaderName::Via),
            "SIP/2.0/UDP client.example.com:5060;branch=z9hG4bK-test-1");
  EXPECT_EQ(layer().stats().trying_sent, 1u);
  advance_to(60s);
  EXPECT_EQ(sender.sent.size(), 1u);  // a provisional is never repeated by a timer
}

TEST_F(ServerInviteTx, ConfiguredTryingDelayIsHonoured) {
  config.trying_delay = 50ms;
  receive_at(0s, request(RequestSpec{}), udp_client());
  advance_to(1s);
  EXPECT_EQ(sender.times_of("100 INVITE"), std::vector<Duration>{50ms});
}

TEST_F(ServerInviteTx, NoTryingWhenTheTuAnswersWithin200ms) {
  receive_at(0s, request(RequestSpec{}), udp_client());
  advance_to(150ms);
  ASSERT_TRUE(answer(180).has_value());
  advance_to(10s);
  EXPECT_THAT(sender.summaries(), ElementsAre("180 INVITE"));
  EXPECT_EQ(layer().stats().trying_sent, 0u);
}

TEST_F(ServerInviteTx, RetransmittedInviteGetsTheLatestProvisionalAndNeverReachesTheTu) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, request(s), udp_client());  // nothing sent yet: nothing to repeat
  EXPECT_TRUE(sender.sent.empty());
  advance_to(300ms);  // 100 Trying at 200 ms
  receive_at(500ms, request(s), udp_client());
  advance_to(1s);
  ASSERT_TRUE(answer(180).has_value());
  receive_at(1500ms, request(s), udp_client());
  EXPECT_THAT(sender.summaries(),
              ElementsAre("100 INVITE", "100 INVITE", "180 INVITE", "180 INVITE"));
  EXPECT_EQ(sender.times_of("180 INVITE"), (std::vector<Duration>{1s, 1500ms}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 3u);
  EXPECT_EQ(layer().stats().responses_retransmitted, 2u);
  EXPECT_EQ(layer().active_server_transactions(), 1u);
}

TEST_F(ServerInviteTx, FailureIsRetransmittedByTimerGUntilTheAckWhichIsAbsorbed) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  advance_to(1s);
  ASSERT_EQ(*answer(486), TransactionState::Completed);
  receive_at(10s, derived_request(s, "ACK", "uas-1"), udp_client());
  EXPECT_EQ(layer().state(tx), TransactionState::Confirmed);
  advance_to(14s);
  // G: T1, 2*T1, 4*T1, then T2 from the original send at 1 s.
  EXPECT_EQ(sender.times_of("486 INVITE"),
            (std::vector<Duration>{1s, 1500ms, 2500ms, 4500ms, 8500ms}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));  // the ACK stayed here
  EXPECT_EQ(layer().stats().acks_absorbed, 1u);
  // A repeated ACK is absorbed too; timer I (T4) ends the transaction.
  receive_at(14s, derived_request(s, "ACK", "uas-1"), udp_client());
  EXPECT_EQ(layer().stats().acks_absorbed, 2u);
  advance_to(15s - 1us);
  EXPECT_EQ(layer().state(tx), TransactionState::Confirmed);
  advance_to(15s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerInviteTx, TimerHEndsTheTransactionAndTellsTheTu) {
  answer_at_once(486);
  receive_at(0s, request(RequestSpec{}), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  advance_to(40s);
  const std::vector<Duration> expected = {0ms,     500ms,   1500ms,  3500ms,  7500ms, 11500ms,
                                          15500ms, 19500ms, 23500ms, 27500ms, 31500ms};
  EXPECT_EQ(sender.times_of("486 INVITE"), expected);
  ASSERT_THAT(tu.kinds(), ElementsAre("request", "ack_timeout"));
  EXPECT_EQ(tu.events[1].at, 32s);
  EXPECT_EQ(tu.events[1].tx, tx.value);
  EXPECT_EQ(tu.events[1].message->status(), 486);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(layer().stats().timeouts, 1u);
}

TEST_F(ServerInviteTx, ConfiguredTimersChangeGHAndI) {
  config.timers.t1 = 100ms;
  config.timers.t2 = 300ms;
  config.timers.t4 = 1s;
  answer_at_once(500);
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  advance_to(2s);
  EXPECT_EQ(sender.times_of("500 INVITE"),
            (std::vector<Duration>{0ms, 100ms, 300ms, 600ms, 900ms, 1200ms, 1500ms, 1800ms}));
  receive_at(2s, derived_request(s, "ACK", "uas-1"), udp_client());
  advance_to(3s - 1us);
  EXPECT_EQ(layer().state(tx), TransactionState::Confirmed);
  advance_to(3s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

TEST_F(ServerInviteTx, TimerHIsShorterWithASmallerT1) {
  config.timers.t1 = 50ms;
  answer_at_once(404);
  receive_at(0s, request(RequestSpec{}), udp_client());
  advance_to(10s);
  ASSERT_EQ(tu.of("ack_timeout").size(), 1u);
  EXPECT_EQ(tu.of("ack_timeout")[0]->at, 3200ms);
}

TEST_F(ServerInviteTx, RetransmittedInviteInCompletedGetsTheFinalAgain) {
  answer_at_once(486);
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(200ms, request(s), udp_client());
  EXPECT_EQ(sender.times_of("486 INVITE"), (std::vector<Duration>{0ms, 200ms}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerInviteTx, ReliableTransportNeverRetransmitsTheFinalAndEndsOnTheAck) {
  RequestSpec s;
  s.transport = "TCP";
  answer_at_once(486);
  receive_at(0s, request(s), tcp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  advance_to(20s);
  EXPECT_EQ(sender.times_of("486 INVITE"), std::vector<Duration>{0ms});
  EXPECT_EQ(sender.last().to.transport, Transport::Tcp);
  EXPECT_EQ(sender.last().to.remote.to_string(), "192.0.2.10:40000");
  receive_at(21s, derived_request(s, "ACK", "uas-1"), tcp_client());
  EXPECT_EQ(layer().state(tx), std::nullopt);  // timer I is zero
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerInviteTx, ReliableTransportStillFiresTimerH) {
  RequestSpec s;
  s.transport = "TCP";
  answer_at_once(486);
  receive_at(0s, request(s), tcp_client());
  advance_to(40s);
  ASSERT_THAT(tu.kinds(), ElementsAre("request", "ack_timeout"));
  EXPECT_EQ(tu.events[1].at, 32s);
}

TEST_F(ServerInviteTx, TwoHundredMovesToAcceptedWhereRepeatedInvitesAreAbsorbed) {
  answer_at_once(200);
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  EXPECT_EQ(layer().state(tx), TransactionState::Accepted);
  receive_at(1s, request(s), udp_client());
  receive_at(2s, request(s), udp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("200 INVITE"));  // 2xx resends are the TU's
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));             // not a second call
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 2u);
  // Timer L; after it the same INVITE would be new again.
  advance_to(32s - 1us);
  EXPECT_EQ(layer().state(tx), TransactionState::Accepted);
  advance_to(32s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

TEST_F(ServerInviteTx, AckForTwoHundredHasItsOwnBranchAndGoesToTheTu) {
  answer_at_once(200);
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  RequestSpec ack = s;
  ack.branch = "z9hG4bK-ack-for-200";
  receive_at(100ms, derived_request(ack, "ACK", "uas-1"), udp_client());
  ASSERT_THAT(tu.kinds(), ElementsAre("request", "ack"));
  EXPECT_EQ(tu.events[1].message->first(HeaderName::CSeq), "1 ACK");
  EXPECT_EQ(layer().stats().acks_absorbed, 0u);
}

TEST_F(ServerInviteTx, AckReusingTheInviteBranchAfter2xxStillReachesTheTu) {
  // Some UAs ACK a 2xx with the INVITE's branch; in Accepted it goes up (RFC 6026 §7.1).
  answer_at_once(200);
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  receive_at(100ms, derived_request(s, "ACK", "uas-1"), udp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "ack"));
}

TEST_F(ServerInviteTx, ResponsesGoToTheViaPortOrWithRportToTheSourcePort) {
  const Peer nat = peer(Transport::Udp, "203.0.113.5", 62000);
  RequestSpec s;
  s.sent_by = "10.0.0.2:5062";
  receive_at(0s, request(s), nat);
  ASSERT_TRUE(answer(180).has_value());
  EXPECT_EQ(sender.last().to.remote.to_string(), "203.0.113.5:5062");

  s.branch = "z9hG4bK-test-2";
  s.via_params = ";rport";
  receive_at(1s, request(s), nat);
  ASSERT_TRUE(answer(180).has_value());
  EXPECT_EQ(sender.last().to.remote.to_string(), "203.0.113.5:62000");
}

TEST_F(ServerInviteTx, RespondRefusesWhatTheStateOrTheRequestForbids) {
  const RequestSpec s;
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  const Message& invite = *layer().request(tx);
  EXPECT_FALSE(layer().respond(tx, request(s)).has_value());  // a request
  RequestSpec other = s;
  other.cseq = 2;
  EXPECT_FALSE(layer().respond(tx, response(request(other), 180)).has_value());  // other CSeq
  EXPECT_FALSE(layer().respond(ServerTransactionId{12345}, response(invite, 180)).has_value());
  EXPECT_TRUE(sender.sent.empty());

  ASSERT_TRUE(layer().respond(tx, response(invite, 486, "uas-1")).has_value());
  const Result<TransactionState> second = layer().respond(tx, response(invite, 200, "uas-1"));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().message, "the INVITE already has a final response");
  EXPECT_THAT(sender.summaries(), ElementsAre("486 INVITE"));
}

TEST_F(ServerInviteTx, AfterTwoHundredOnlyMoreTwoHundredsAreAllowed) {
  answer_at_once(200);
  receive_at(0s, request(RequestSpec{}), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  const Message& invite = *layer().request(tx);
  EXPECT_FALSE(layer().respond(tx, response(invite, 180, "uas-1")).has_value());
  EXPECT_FALSE(layer().respond(tx, response(invite, 486, "uas-1")).has_value());
  advance_to(500ms);
  // RFC 3261 §13.3.1.4: the TU repeats its 2xx through respond(), to the same destination.
  EXPECT_EQ(*layer().respond(tx, response(invite, 200, "uas-1")), TransactionState::Accepted);
  EXPECT_EQ(sender.times_of("200 INVITE"), (std::vector<Duration>{0ms, 500ms}));
  EXPECT_EQ(sender.last().to.remote.to_string(), "192.0.2.10:5060");
  EXPECT_EQ(layer().stats().responses_retransmitted, 1u);
}

TEST_F(ServerInviteTx, TheTusLast2xxResendFitsBeforeTimerL) {
  // With the TU's schedule (T1 doubling to T2, §13.3.1.4) the last resend falls at 31.5 s.
  answer_at_once(200);
  receive_at(0s, request(RequestSpec{}), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  const Message ok = sender.last().message;
  advance_to(31500ms);
  EXPECT_TRUE(layer().respond(tx, ok).has_value());
  advance_to(32s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_FALSE(layer().respond(tx, ok).has_value());
  EXPECT_EQ(sender.times_of("200 INVITE"), (std::vector<Duration>{0ms, 31500ms}));
}

}  // namespace
}  // namespace sb::sip::testing
