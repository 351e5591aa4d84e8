#include "sip/session/reliable_provisional.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/dialog_test_support.h"

namespace sb::sip::session {
namespace {

using namespace std::chrono_literals;
using sip::testing::parse_ok;

constexpr Duration kT1 = 500ms;
const TimePoint kStart{std::chrono::seconds(1000)};

Message provisional(std::string_view extra) {
  return parse_ok(std::string("SIP/2.0 183 Session Progress\n"
                              "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\n"
                              "From: <sip:a@x>;tag=1\nTo: <sip:b@y>;tag=2\nCall-ID: c\nCSeq: 1 INVITE\n") +
                  std::string(extra) + "Content-Length: 0\n\n");
}

TEST(RAck, ParsesAndPrintsTheThreeFields) {
  auto r = parse_rack(" 776656  1 INVITE ");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rseq, 776656u);
  EXPECT_EQ(r->cseq, 1u);
  EXPECT_EQ(r->method, Method::Invite);
  EXPECT_EQ(r->value(), "776656 1 INVITE");
  EXPECT_FALSE(parse_rack("776656 1"));
  EXPECT_FALSE(parse_rack("x 1 INVITE"));
  EXPECT_FALSE(parse_rack("1 99999999999 INVITE"));
  EXPECT_FALSE(parse_rack(""));
}

TEST(ReliableSender, OneUnacknowledgedProvisionalAtATimeWithConsecutiveRSeq) {
  ReliableSender s{41};
  EXPECT_TRUE(s.can_send());
  EXPECT_EQ(s.sent(1, true, kStart, kT1), 41u);
  EXPECT_FALSE(s.can_send());
  EXPECT_TRUE(s.final_2xx_must_wait()) << "its SDP must be PRACKed before the 2xx (RFC 3262 §3)";
  EXPECT_FALSE(s.prack_received({40, 1, Method::Invite})) << "another RSeq: 481";
  EXPECT_FALSE(s.prack_received({41, 2, Method::Invite})) << "another CSeq: 481";
  EXPECT_TRUE(s.prack_received({41, 1, Method::Invite}));
  EXPECT_TRUE(s.can_send());
  EXPECT_FALSE(s.final_2xx_must_wait());
  EXPECT_FALSE(s.prack_received({41, 1, Method::Invite})) << "already acknowledged: 481";
  EXPECT_EQ(s.sent(1, false, kStart, kT1), 42u);
  EXPECT_FALSE(s.final_2xx_must_wait()) << "a 1xx without SDP does not hold the 2xx back";
}

TEST(ReliableSender, RetransmitsAtT1DoublingAndGivesUpAfter64T1) {
  ReliableSender s{1};
  (void)s.sent(1, true, kStart, kT1);
  TimePoint now = kStart;
  std::vector<Duration> gaps;
  while (auto next = s.next_retransmit()) {
    gaps.push_back(*next - now);
    now = *next;
    if (!s.retransmitted(now)) {
      break;
    }
  }
  ASSERT_GE(gaps.size(), 3u);
  EXPECT_EQ(gaps[0], 500ms);
  EXPECT_EQ(gaps[1], 1000ms);
  EXPECT_EQ(gaps[2], 2000ms);
  EXPECT_GE(now - kStart, 64 * kT1);
  EXPECT_LT(now - kStart, 128 * kT1);
}

TEST(ReliableReceiver, PracksEachReliableProvisionalOnceAndInOrder) {
  ReliableReceiver r;
  EXPECT_EQ(r.classify(provisional("")), ProvisionalKind::Unreliable);
  EXPECT_EQ(r.classify(provisional("Require: 100rel\n")), ProvisionalKind::Unreliable) << "no RSeq";
  EXPECT_EQ(r.classify(provisional("Require: timer, 100rel\nRSeq: 9\n")), ProvisionalKind::Prack);
  EXPECT_EQ(r.classify(provisional("Require: 100rel\nRSeq: 9\n")), ProvisionalKind::Duplicate);
  EXPECT_EQ(r.classify(provisional("Require: 100rel\nRSeq: 11\n")), ProvisionalKind::OutOfOrder);
  EXPECT_EQ(r.classify(provisional("Require: 100rel\nRSeq: 10\n")), ProvisionalKind::Prack);
  EXPECT_EQ(r.last_rseq(), 10u);
}

TEST(Options, SupportedOrRequiredAreFoundCaseInsensitively) {
  const Message m = provisional("Supported: replaces, 100REL\nRequire: timer\n");
  EXPECT_TRUE(supports_option(m, "100rel"));
  EXPECT_TRUE(supports_option(m, "timer"));
  EXPECT_FALSE(requires_option(m, "100rel"));
  EXPECT_TRUE(requires_option(m, "timer"));
  EXPECT_FALSE(supports_option(m, "path"));
}

}  // namespace
}  // namespace sb::sip::session
