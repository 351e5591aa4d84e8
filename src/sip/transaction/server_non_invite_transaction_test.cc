// sip/transaction/server_non_invite_transaction_test.cc: the non-INVITE server transaction
// (RFC 3261 §17.2.2), driven through the TransactionLayer with virtual time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_test_support.h"

namespace sb::sip::testing {
namespace {

using ::testing::ElementsAre;

class ServerNonInviteTx : public TransactionTest {
 protected:
  static RequestSpec options_spec(std::string transport = "UDP") {
    RequestSpec s;
    s.method = "OPTIONS";
    s.transport = std::move(transport);
    return s;
  }
  Result<TransactionState> answer(int status) {
    const ServerTransactionId tx = tu.last_request_tx();
    return layer().respond(tx, response(*layer().request(tx), status, "uas-1"));
  }
};

TEST_F(ServerNonInviteTx, StartsInTryingWhereRepeatsAreAbsorbedSilently) {
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  EXPECT_EQ(layer().state(tx), TransactionState::Trying);
  receive_at(500ms, request(s), udp_client());
  advance_to(5s);
  EXPECT_TRUE(sender.sent.empty());  // no automatic 100 for non-INVITE
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  EXPECT_EQ(layer().stats().retransmissions_absorbed, 1u);
}

TEST_F(ServerNonInviteTx, ProvisionalIsRepeatedForARepeatedRequest) {
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  ASSERT_EQ(*answer(100), TransactionState::Proceeding);
  receive_at(1s, request(s), udp_client());
  EXPECT_EQ(sender.times_of("100 OPTIONS"), (std::vector<Duration>{0ms, 1s}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
}

TEST_F(ServerNonInviteTx, FinalIsRepeatedForRepeatedRequestsUntilTimerJ) {
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  ASSERT_EQ(*answer(200), TransactionState::Completed);
  receive_at(1s, request(s), udp_client());
  receive_at(31s, request(s), udp_client());
  EXPECT_EQ(sender.times_of("200 OPTIONS"), (std::vector<Duration>{0ms, 1s, 31s}));
  EXPECT_THAT(tu.kinds(), ElementsAre("request"));
  EXPECT_EQ(layer().stats().responses_retransmitted, 2u);
  advance_to(32s - 1us);
  EXPECT_EQ(layer().state(tx), TransactionState::Completed);
  advance_to(32s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  // Past timer J the same request is new to the layer (and to the TU).
  receive_at(33s, request(s), udp_client());
  EXPECT_THAT(tu.kinds(), ElementsAre("request", "request"));
}

TEST_F(ServerNonInviteTx, NoTimerRetransmitsAFinalResponse) {
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  ASSERT_TRUE(answer(404).has_value());
  advance_to(60s);
  EXPECT_EQ(sender.sent.size(), 1u);
}

TEST_F(ServerNonInviteTx, ConfiguredT1ChangesTimerJ) {
  config.timers.t1 = 200ms;
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  ASSERT_TRUE(answer(200).has_value());
  advance_to(12800ms - 1us);
  EXPECT_EQ(layer().state(tx), TransactionState::Completed);
  advance_to(12800ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

TEST_F(ServerNonInviteTx, TimerJIsZeroOnReliableTransports) {
  const RequestSpec s = options_spec("TCP");
  receive_at(0s, request(s), tcp_client());
  const ServerTransactionId tx = tu.last_request_tx();
  const Result<TransactionState> state = answer(200);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(*state, TransactionState::Terminated);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(layer().active_server_transactions(), 0u);
}

TEST_F(ServerNonInviteTx, SecondFinalResponseIsRefused) {
  const RequestSpec s = options_spec();
  receive_at(0s, request(s), udp_client());
  ASSERT_TRUE(answer(200).has_value());
  EXPECT_FALSE(answer(500).has_value());
  EXPECT_THAT(sender.summaries(), ElementsAre("200 OPTIONS"));
}

TEST_F(ServerNonInviteTx, TuMayAnswerFromInsideTheCallback) {
  RequestSpec s = options_spec("TCP");
  s.method = "BYE";
  tu.on_request_hook = [this](ServerTransactionId tx, const Message& request) {
    // Ends the transaction (timer J is zero) while the layer is still delivering `request`.
    ASSERT_TRUE(layer().respond(tx, response(request, 200, "uas-1")).has_value());
    EXPECT_EQ(request.method(), Method::Bye);  // still valid: freeing waits
  };
  receive_at(0s, request(s), tcp_client());
  EXPECT_THAT(sender.summaries(), ElementsAre("200 BYE"));
  EXPECT_EQ(layer().active_server_transactions(), 0u);
}

}  // namespace
}  // namespace sb::sip::testing
