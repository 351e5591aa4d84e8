// sip/session/session_timer_test.cc
#include "sip/session/session_timer.h"

#include <gtest/gtest.h>

#include "sip/message_parser.h"

namespace sb::sip::session {
namespace {

using namespace std::chrono_literals;

// A message of `head` lines, then `extra` headers, no body.
Message message(const std::string& head, const std::string& extra) {
  auto parsed = MessageParser().parse(head + extra + "Content-Length: 0\r\n\r\n");
  return std::get<Message>(std::move(parsed));
}

Message invite(const std::string& extra) {
  return message(
      "INVITE sip:+15550100@127.0.0.1 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
      "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:+15550100@127.0.0.1>\r\n"
      "Call-ID: st-1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:5070>\r\nMax-Forwards: 70\r\n",
      extra);
}

// Our INVITE's 200 from the far end.
Message ok(const std::string& extra) {
  return message(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK2\r\n"
      "From: <sip:center@127.0.0.1>;tag=9\r\nTo: <sip:1001@127.0.0.1>;tag=8\r\n"
      "Call-ID: st-2\r\nCSeq: 1 INVITE\r\nContact: <sip:1001@127.0.0.1:5070>\r\n",
      extra);
}

TEST(SessionTimerOfAnswer, AFarEndThatMakesUsTheRefresherIsRefreshedAtHalfTheInterval) {
  auto timer = session_timer_of_answer(ok("Require: timer\r\nSession-Expires: 1800;refresher=uac\r\n"), {});
  ASSERT_TRUE(timer);
  EXPECT_TRUE(timer->we_refresh());
  EXPECT_EQ(timer->our_refresh_after(), 900s);
  EXPECT_EQ(timer->expiry_after_refresh(), 1800s);
  EXPECT_EQ(timer->header_value(), "1800;refresher=uac");
  // No refresher named: the UAC's job (ours), never nobody's.
  EXPECT_TRUE(session_timer_of_answer(ok("Session-Expires: 600\r\n"), {})->we_refresh());
}

TEST(SessionTimerOfAnswer, AFarEndThatRefreshesItselfIsWatched) {
  auto timer = session_timer_of_answer(ok("Session-Expires: 90;refresher=uas\r\n"), {});
  ASSERT_TRUE(timer);
  EXPECT_FALSE(timer->we_refresh());
  EXPECT_EQ(timer->expiry_after_refresh(), 60s);
}

TEST(SessionTimerOfAnswer, NoOrUnreadableSessionExpiresMeansNoTimerAndSillyIntervalsAreBounded) {
  EXPECT_FALSE(session_timer_of_answer(ok(""), {}));
  EXPECT_FALSE(session_timer_of_answer(ok("Session-Expires: soon\r\n"), {}));
  EXPECT_EQ(session_timer_of_answer(ok("Session-Expires: 5;refresher=uac\r\n"), {})->interval, 90s);
  EXPECT_EQ(session_timer_of_answer(ok("Session-Expires: 99999999999\r\n"), {})->interval, 24h);
}

TEST(SessionTimer, ACallerThatSupportsTimersRefreshesItsOwnInterval) {
  auto d = decide_session_timer(invite("Supported: timer\r\nSession-Expires: 600\r\n"), {});
  ASSERT_TRUE(d.timer);
  EXPECT_EQ(d.timer->interval, 600s);
  EXPECT_EQ(d.timer->refresher, Refresher::Uac);
  EXPECT_EQ(d.timer->header_value(), "600;refresher=uac");
  EXPECT_EQ(d.timer->expiry_after_refresh(), 600s - 32s);  // §10: minus min(32 s, S/3)
}

TEST(SessionTimer, ShortIntervalsLoseAThirdBeforeExpiry) {
  auto d = decide_session_timer(invite("Supported: timer\r\nSession-Expires: 90\r\n"), {});
  ASSERT_TRUE(d.timer);
  EXPECT_EQ(d.timer->expiry_after_refresh(), 60s);
}

TEST(SessionTimer, BelowMinSeIsRefusedWith422) {
  auto d = decide_session_timer(invite("Supported: timer\r\nSession-Expires: 30\r\n"), {});
  EXPECT_FALSE(d.timer);
  EXPECT_EQ(d.reject_status, 422);
  EXPECT_EQ(d.min_se_header, "90");
}

TEST(SessionTimer, TheCallerMayAskUsToRefresh) {
  auto d = decide_session_timer(invite("Supported: timer\r\nSession-Expires: 1200;refresher=uas\r\n"), {});
  ASSERT_TRUE(d.timer);
  EXPECT_EQ(d.timer->refresher, Refresher::Uas);
  EXPECT_EQ(d.timer->our_refresh_after(), 600s);
}

TEST(SessionTimer, WithoutTimerSupportWeRefreshAtTheDefaultInterval) {
  auto d = decide_session_timer(invite(""), {});
  ASSERT_TRUE(d.timer);
  EXPECT_EQ(d.timer->refresher, Refresher::Uas);
  EXPECT_EQ(d.timer->interval, 1800s);
  // A Session-Expires from a UAC that does not list "timer" cannot be refreshed by it.
  auto e = decide_session_timer(invite("Session-Expires: 300;refresher=uac\r\n"), {});
  ASSERT_TRUE(e.timer);
  EXPECT_EQ(e.timer->refresher, Refresher::Uas);
}

TEST(SessionTimer, HugeIntervalsAreLoweredToADay) {
  // Found by call_input_fuzz: seconds * 10^6 overflowed the microsecond duration.
  auto d = decide_session_timer(invite("Supported: timer\r\nx: 99999991999999\r\n"), {});
  ASSERT_TRUE(d.timer);
  EXPECT_EQ(d.timer->interval, std::chrono::hours(24));
  EXPECT_EQ(decide_session_timer(invite("x: 999999999999999999999999\r\n"), {}).reject_status, 400);
}

TEST(SessionTimer, AnUnreadableIntervalIsA400) {
  EXPECT_EQ(decide_session_timer(invite("Session-Expires: soon\r\n"), {}).reject_status, 400);
  EXPECT_EQ(decide_session_timer(invite("Session-Expires: -5\r\n"), {}).reject_status, 400);
}

}  // namespace
}  // namespace sb::sip::session
