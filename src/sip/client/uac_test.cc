// sip/client/uac_test.cc: the UAC core against a real transaction layer, the test playing the
// server: what the requests carry, digest rounds checked by the server-side authenticator,
// refused credentials that must not loop, timeouts, transport failures, INVITE and CANCEL.
#include "sip/client/uac.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/client/client_test_support.h"

namespace sb::sip::client {
namespace {

using namespace std::chrono_literals;
using testing::ClientTest;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::header;
using ::testing::IsEmpty;
using testing::kPassword;
using testing::kProxyRealm;
using testing::kRealm;
using testing::kUser;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
using testing::trunk;

class UacTest : public ClientTest {
 protected:
  static RequestSpec options() {
    RequestSpec s;
    s.method = "OPTIONS";
    s.request_uri = "sip:carrier.example";
    s.from = "\"Acme\" <sip:acme@carrier.example>";
    s.contact = "<sip:acme@192.0.2.1:5060>";
    return s;
  }
  static RequestSpec invite() {
    RequestSpec s;
    s.method = "INVITE";
    s.request_uri = "sip:+15551234@carrier.example";
    s.from = "<sip:acme@carrier.example>";
    s.to = "<sip:+15551234@carrier.example>";
    s.contact = "<sip:acme@192.0.2.1:5060>";
    s.content_type = "application/sdp";
    s.body = "v=0\r\n";
    return s;
  }
  static Credentials credentials(std::string realm = std::string(kRealm),
                                 std::string password = std::string(kPassword)) {
    return Credentials{std::string(kUser), std::move(password), std::move(realm)};
  }

  UacRequestId send(RequestSpec spec, std::optional<Credentials> c = credentials(),
                    const Peer& to = trunk()) {
    Result<UacRequestId> id = uac->send(std::move(spec), to, std::move(c),
                                        [this](const Message& m) { responses.push_back(m); });
    EXPECT_TRUE(id) << (id ? "" : id.error().to_string());
    return id ? *id : UacRequestId{};
  }

  std::vector<int> statuses() const {
    std::vector<int> out;
    for (const Message& m : responses) {
      out.push_back(m.status());
    }
    return out;
  }

  std::vector<Message> responses;
};

TEST_F(UacTest, RequestCarriesViaMaxForwardsCSeqCallIdFromTagAndTheSpec) {
  RequestSpec spec = options();
  spec.headers = {{"Supported", "path"}};
  spec.content_type = "text/plain";
  spec.body = "hello";
  const UacRequestId id = send(spec);

  ASSERT_EQ(requests().size(), 1u);
  const testing::Sent& sent = *requests()[0];
  EXPECT_EQ(sent.to.remote, trunk().remote);
  const Message& m = sent.message;
  EXPECT_EQ(m.method_text(), "OPTIONS");
  EXPECT_EQ(m.request_uri(), "sip:carrier.example");
  EXPECT_THAT(header(m, HeaderName::Via),
              MatchesRegex("SIP/2\\.0/UDP 192\\.0\\.2\\.1:5060;branch=z9hG4bK[^;]+;rport"));
  EXPECT_EQ(header(m, HeaderName::MaxForwards), "70");
  EXPECT_EQ(header(m, HeaderName::CSeq), "1 OPTIONS");
  EXPECT_THAT(header(m, HeaderName::From),
              MatchesRegex("\"Acme\" <sip:acme@carrier\\.example>;tag=[0-9a-f]{16}"));
  EXPECT_EQ(header(m, HeaderName::To), "<sip:carrier.example>");
  EXPECT_THAT(std::string(m.call_id()), MatchesRegex("[0-9a-f]{32}@192\\.0\\.2\\.1"));
  EXPECT_EQ(header(m, HeaderName::Contact), "<sip:acme@192.0.2.1:5060>");
  EXPECT_EQ(header(m, HeaderName::Supported), "path");
  EXPECT_EQ(header(m, HeaderName::ContentType), "text/plain");
  EXPECT_EQ(m.body(), "hello");
  EXPECT_EQ(m.count(HeaderName::Authorization), 0u);

  ASSERT_NE(uac->last_request(id), nullptr);
  EXPECT_EQ(uac->last_request(id)->bytes(), m.bytes());
  const std::optional<ClientTransactionId> tx = uac->transaction_of(id);
  ASSERT_TRUE(tx.has_value());
  EXPECT_EQ(uac->request_of(*tx), id);
  EXPECT_EQ(layer->state(*tx), TransactionState::Trying);
}

TEST_F(UacTest, ProvisionalAndFinalResponsesReachTheCallbackThenTheRequestIsForgotten) {
  const UacRequestId id = send(options());
  const Message request = last_request();
  const ClientTransactionId tx = *uac->transaction_of(id);
  reply(request, 100, "Trying");
  reply(request, 200, "OK");
  EXPECT_THAT(statuses(), ElementsAre(100, 200));
  EXPECT_EQ(uac->outstanding(), 0u);
  EXPECT_EQ(uac->transaction_of(id), std::nullopt);
  EXPECT_EQ(uac->request_of(tx), std::nullopt);
  EXPECT_EQ(tu.unclaimed, 0);
  // Someone else's transaction is not the Uac's.
  EXPECT_FALSE(uac->on_response(ClientTransactionId{tx.value + 1000}, responses.back()));
  EXPECT_FALSE(uac->on_client_timeout(tx, responses.back()));
}

TEST_F(UacTest, A401IsAnsweredOnceWithCredentialsTheRegistrarAccepts) {
  const UacRequestId id = send(options());
  const Message first = last_request();
  EXPECT_EQ(server.verify(first).status, auth::AuthStatus::Challenge);
  advance(10ms);
  challenge(first, 401);

  ASSERT_EQ(requests().size(), 2u);
  const Message& second = last_request();
  EXPECT_EQ(second.call_id(), first.call_id());
  EXPECT_EQ(header(second, HeaderName::From), header(first, HeaderName::From));
  EXPECT_EQ(header(second, HeaderName::To), header(first, HeaderName::To));
  EXPECT_EQ(header(second, HeaderName::CSeq), "2 OPTIONS");
  EXPECT_NE(testing::branch_of(second), testing::branch_of(first));
  EXPECT_EQ(second.body(), first.body());
  EXPECT_EQ(second.count(HeaderName::ProxyAuthorization), 0u);
  EXPECT_THAT(header(second, HeaderName::Authorization),
              AllOf(StartsWith("Digest username=\"acme\""), HasSubstr("realm=\"carrier.example\""),
                    HasSubstr("algorithm=SHA-256"), HasSubstr("uri=\"sip:carrier.example\""),
                    HasSubstr("cnonce=\"cn1\""), HasSubstr("nc=00000001")));
  const auth::AuthOutcome outcome = server.verify(second);
  EXPECT_EQ(outcome.status, auth::AuthStatus::Ok) << outcome.reason;
  EXPECT_EQ(outcome.user, "acme");
  EXPECT_EQ(uac->last_request(id)->bytes(), second.bytes());
  EXPECT_EQ(uac->request_of(*uac->transaction_of(id)), id);

  advance(10ms);
  reply(second, 200, "OK");
  ASSERT_THAT(statuses(), ElementsAre(200));  // the 401 was the Uac's business
  EXPECT_EQ(responses[0].cseq(), 2u);
  EXPECT_EQ(uac->outstanding(), 0u);
  EXPECT_EQ(tu.unclaimed, 0);
}

TEST_F(UacTest, A407IsAnsweredWithProxyAuthorization) {
  send(options(), credentials(""));  // any realm
  const Message first = last_request();
  challenge(first, 407);

  ASSERT_EQ(requests().size(), 2u);
  const Message& second = last_request();
  EXPECT_EQ(header(second, HeaderName::CSeq), "2 OPTIONS");
  EXPECT_EQ(second.count(HeaderName::Authorization), 0u);
  EXPECT_THAT(header(second, HeaderName::ProxyAuthorization),
              HasSubstr("realm=\"proxy.carrier.example\""));
  const auth::AuthOutcome outcome = proxy.verify(second, auth::ChallengeKind::Proxy);
  EXPECT_EQ(outcome.status, auth::AuthStatus::Ok) << outcome.reason;
  reply(second, 200, "OK");
  EXPECT_THAT(statuses(), ElementsAre(200));
}

TEST_F(UacTest, ProxyCredentialsStayWhenTheRegistrarChallengesNext) {
  send(options(), credentials(""));
  challenge(last_request(), 407);
  const Message second = last_request();
  EXPECT_EQ(proxy.verify(second, auth::ChallengeKind::Proxy).status, auth::AuthStatus::Ok);
  challenge(second, 401);

  ASSERT_EQ(requests().size(), 3u);
  const Message& third = last_request();
  EXPECT_EQ(header(third, HeaderName::CSeq), "3 OPTIONS");
  const auth::AuthOutcome at_proxy = proxy.verify(third, auth::ChallengeKind::Proxy);
  EXPECT_EQ(at_proxy.status, auth::AuthStatus::Ok) << at_proxy.reason;
  EXPECT_THAT(header(third, HeaderName::ProxyAuthorization), HasSubstr("nc=00000002"));
  const auth::AuthOutcome at_registrar = server.verify(third);
  EXPECT_EQ(at_registrar.status, auth::AuthStatus::Ok) << at_registrar.reason;
  reply(third, 200, "OK");
  EXPECT_THAT(statuses(), ElementsAre(200));
}

TEST_F(UacTest, WrongPasswordIsTriedOnceAndTheSecondChallengeIsDelivered) {
  send(options(), credentials(std::string(kRealm), "wrong"));
  challenge(last_request(), 401);
  const Message second = last_request();
  const auth::AuthOutcome outcome = server.verify(second);
  EXPECT_EQ(outcome.status, auth::AuthStatus::Failed);
  challenge(second, 401);  // a fresh nonce, not stale: the server refused the credentials

  ASSERT_THAT(statuses(), ElementsAre(401));
  EXPECT_EQ(responses[0].cseq(), 2u);
  EXPECT_EQ(uac->outstanding(), 0u);
  advance(2min);
  EXPECT_EQ(requests().size(), 2u);
}

TEST_F(UacTest, TheSameNonceAgainEndsTheRoundEvenIfMarkedStale) {
  send(options());
  const Message first = last_request();
  std::vector<std::pair<HeaderName, std::string>> same;
  for (std::string& c : server.challenges(/*stale=*/true)) {
    same.emplace_back(HeaderName::WwwAuthenticate, std::move(c));
  }
  reply(first, 401, "Unauthorized", same);
  ASSERT_EQ(requests().size(), 2u);
  reply(last_request(), 401, "Unauthorized", same);

  EXPECT_THAT(statuses(), ElementsAre(401));
  EXPECT_EQ(requests().size(), 2u);
}

TEST_F(UacTest, AStaleChallengeWithANewNonceIsAnsweredAgain) {
  send(options());
  challenge(last_request(), 401);
  const Message second = last_request();
  challenge(second, 401, /*stale=*/true);

  ASSERT_EQ(requests().size(), 3u);
  const Message& third = last_request();
  EXPECT_EQ(header(third, HeaderName::CSeq), "3 OPTIONS");
  EXPECT_NE(header(third, HeaderName::Authorization), header(second, HeaderName::Authorization));
  EXPECT_EQ(server.verify(third).status, auth::AuthStatus::Ok);
  reply(third, 200, "OK");
  EXPECT_THAT(statuses(), ElementsAre(200));
}

TEST_F(UacTest, EndlessStaleChallengesStopAfterMaxAuthRounds) {
  send(options());
  challenge(last_request(), 401);
  for (int i = 0; i < 10 && statuses().empty(); ++i) {
    challenge(last_request(), 401, /*stale=*/true);
  }
  // The first answer and three stale re-answers: UacConfig::max_auth_rounds is 4.
  EXPECT_EQ(requests().size(), 5u);
  ASSERT_THAT(statuses(), ElementsAre(401));
  EXPECT_EQ(responses[0].cseq(), 5u);
}

TEST_F(UacTest, WithoutCredentialsTheChallengeIsTheFinalResponse) {
  send(options(), std::nullopt);
  challenge(last_request(), 401);
  EXPECT_THAT(statuses(), ElementsAre(401));
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(UacTest, CredentialsForAnotherRealmAreNotOffered) {
  send(options(), credentials("other.example"));
  challenge(last_request(), 401);
  EXPECT_THAT(statuses(), ElementsAre(401));
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(UacTest, NoAnswerReachesTheCallbackAsA408AtTimerF) {
  send(options());
  advance_to(32s - 1ms);
  EXPECT_THAT(responses, IsEmpty());
  EXPECT_GT(sender.sent.size(), 1u);  // timer E retransmitted over UDP
  advance_to(32s);                    // timer F = 64*T1
  ASSERT_THAT(statuses(), ElementsAre(408));
  EXPECT_EQ(responses[0].cseq(), 1u);
  EXPECT_EQ(uac->outstanding(), 0u);
  EXPECT_EQ(tu.unclaimed, 0);
}

TEST_F(UacTest, TheAuthorizedResendTimesOutOnItsOwnTimerF) {
  send(options());
  advance_to(1s);
  challenge(last_request(), 401);
  advance_to(33s - 1ms);
  EXPECT_THAT(responses, IsEmpty());
  advance_to(33s);
  ASSERT_THAT(statuses(), ElementsAre(408));
  EXPECT_EQ(responses[0].cseq(), 2u);
}

TEST_F(UacTest, ATransportFailureInsideSendReachesTheCallbackAfterSendReturns) {
  sender.on_send = [this](const Peer& peer) { layer->transport_failed(peer); };
  send(options());
  sender.on_send = nullptr;
  // The layer told the TU before send_request returned the id: the Uac could not claim it.
  EXPECT_EQ(tu.unclaimed, 1);
  EXPECT_THAT(responses, IsEmpty());
  EXPECT_EQ(uac->outstanding(), 1u);
  advance(0s);
  EXPECT_THAT(statuses(), ElementsAre(503));
  EXPECT_EQ(uac->outstanding(), 0u);
}

TEST_F(UacTest, ATransportFailureOnTheAuthorizedResendIsA503) {
  send(options());
  sender.on_send = [this](const Peer& peer) { layer->transport_failed(peer); };
  challenge(last_request(), 401);
  sender.on_send = nullptr;
  ASSERT_THAT(statuses(), ElementsAre(503));
  EXPECT_EQ(responses[0].cseq(), 2u);
  EXPECT_EQ(tu.unclaimed, 0);
  EXPECT_EQ(uac->outstanding(), 0u);
}

TEST_F(UacTest, RefusesIncompleteSpecsManagedHeadersAndUnknownSentBy) {
  const auto refusal = [this](RequestSpec spec, const Peer& to = trunk()) {
    Result<UacRequestId> r = uac->send(std::move(spec), to, std::nullopt, {});
    return r ? std::string("sent") : r.error().where;
  };
  RequestSpec no_from = options();
  no_from.from.clear();
  EXPECT_EQ(refusal(no_from), "from");
  RequestSpec no_uri = options();
  no_uri.request_uri.clear();
  EXPECT_EQ(refusal(no_uri), "request_uri");
  RequestSpec ack = options();
  ack.method = "ACK";
  EXPECT_EQ(refusal(ack), "method");
  RequestSpec bad_method = options();
  bad_method.method = "OPT IONS";
  EXPECT_EQ(refusal(bad_method), "method");
  RequestSpec own_via = options();
  own_via.headers = {{"Via", "SIP/2.0/UDP 10.0.0.1"}};
  EXPECT_EQ(refusal(own_via), "headers");
  RequestSpec own_cseq = options();
  own_cseq.headers = {{"cseq", "7 OPTIONS"}};
  EXPECT_EQ(refusal(own_cseq), "headers");
  RequestSpec compact_call_id = options();
  compact_call_id.headers = {{"i", "x@y"}};
  EXPECT_EQ(refusal(compact_call_id), "headers");
  Peer tcp_any = trunk();
  tcp_any.transport = Transport::Tcp;
  tcp_any.local = *SocketAddress::parse("0.0.0.0", 5060);
  EXPECT_EQ(refusal(options(), tcp_any), "sent_by");

  EXPECT_THAT(sender.sent, IsEmpty());
  EXPECT_EQ(uac->outstanding(), 0u);
}

TEST_F(UacTest, SentByFallsBackToTheLocalAddressWithTheDestinationsTransport) {
  Peer tcp = trunk();
  tcp.transport = Transport::Tcp;
  tcp.local = *SocketAddress::parse("192.0.2.1", 5070);
  send(options(), std::nullopt, tcp);
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_THAT(header(last_request(), HeaderName::Via),
              StartsWith("SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK"));
}

TEST_F(UacTest, TheCallerMayKeepCallIdFromTagAndCSeq) {
  RequestSpec spec = options();
  spec.call_id = "reg-1@192.0.2.1";
  spec.from_tag = "keep";
  spec.cseq = 41;
  send(spec);
  EXPECT_EQ(last_request().call_id(), "reg-1@192.0.2.1");
  EXPECT_THAT(header(last_request(), HeaderName::From), EndsWith(";tag=keep"));
  EXPECT_EQ(header(last_request(), HeaderName::CSeq), "41 OPTIONS");
  challenge(last_request(), 401);
  EXPECT_EQ(header(last_request(), HeaderName::CSeq), "42 OPTIONS");
  EXPECT_EQ(last_request().call_id(), "reg-1@192.0.2.1");
}

TEST_F(UacTest, AnAbandonedRequestIsClaimedButNotReported) {
  const UacRequestId id = send(options());
  uac->abandon(id);
  reply(last_request(), 200, "OK");
  EXPECT_THAT(responses, IsEmpty());
  EXPECT_EQ(tu.unclaimed, 0);
  EXPECT_EQ(uac->outstanding(), 0u);
}

TEST_F(UacTest, ACallbackMaySendAgainFromInsideTheResponse) {
  std::vector<int> seen;
  Result<UacRequestId> first =
      uac->send(options(), trunk(), std::nullopt, [this, &seen](const Message& m) {
        seen.push_back(m.status());
        send(options());
      });
  ASSERT_TRUE(first);
  reply(last_request(), 500, "Server Error");
  EXPECT_THAT(seen, ElementsAre(500));
  EXPECT_EQ(requests().size(), 2u);
  EXPECT_EQ(uac->outstanding(), 1u);
}

TEST_F(UacTest, InviteChallengedBy407IsResentAndEvery2xxReachesTheCallback) {
  const UacRequestId id = send(invite(), credentials(""));
  const Message first = last_request();
  challenge(first, 407);
  // The layer ACKed the 407 itself (RFC 3261 §17.1.1.3), on the INVITE's branch.
  std::vector<std::string> methods;
  for (const testing::Sent& s : sender.sent) {
    methods.emplace_back(s.message.method_text());
  }
  EXPECT_THAT(methods, ElementsAre("INVITE", "ACK", "INVITE"));
  EXPECT_EQ(testing::branch_of(sender.sent[1].message), testing::branch_of(first));

  const Message second = last_request();
  EXPECT_EQ(header(second, HeaderName::CSeq), "2 INVITE");
  EXPECT_EQ(second.body(), "v=0\r\n");
  EXPECT_EQ(proxy.verify(second, auth::ChallengeKind::Proxy).status, auth::AuthStatus::Ok);

  reply(second, 180, "Ringing");
  reply(second, 200, "OK");
  reply(second, 200, "OK");  // retransmitted: the caller ACKs each one
  EXPECT_THAT(statuses(), ElementsAre(180, 200, 200));
  // What the dialog layer needs for the ACK: the INVITE as sent, still known.
  ASSERT_NE(uac->last_request(id), nullptr);
  EXPECT_EQ(uac->last_request(id)->cseq(), 2u);
  EXPECT_EQ(uac->outstanding(), 1u);
  EXPECT_FALSE(uac->cancel(id));  // answered

  advance(33s);  // timer M and the linger have run out
  EXPECT_EQ(uac->outstanding(), 0u);
  EXPECT_EQ(uac->last_request(id), nullptr);
}

TEST_F(UacTest, CancelSendsACancelAndThe487ReachesTheCallback) {
  const UacRequestId id = send(invite());
  const Message inv = last_request();
  reply(inv, 180, "Ringing");
  const Result<CancelState> cancelled = uac->cancel(id);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(*cancelled, CancelState::Sent);
  EXPECT_EQ(sender.sent.back().message.method_text(), "CANCEL");
  EXPECT_EQ(testing::branch_of(sender.sent.back().message), testing::branch_of(inv));
  reply(inv, 487, "Request Terminated");
  EXPECT_THAT(statuses(), ElementsAre(180, 487));
  EXPECT_EQ(uac->outstanding(), 0u);

  const UacRequestId not_invite = send(options());
  EXPECT_FALSE(uac->cancel(not_invite));
  EXPECT_FALSE(uac->cancel(UacRequestId{999}));
}

}  // namespace
}  // namespace sb::sip::client
