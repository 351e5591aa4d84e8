// sip/client/registration_timing_test.cc: the refresh point, the backoff sequence, and reading
// expiries from REGISTER responses.
#include "sip/client/registration_timing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/client/client_test_support.h"
#include "sip/client/registration_response.h"
#include "sip/client/registration_state.h"

namespace sb::sip::client {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

Message ok_with(std::string_view headers) {
  return testing::parse_or_fail(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
      "From: <sip:acme@carrier.example>;tag=a\r\n"
      "To: <sip:acme@carrier.example>;tag=b\r\n"
      "Call-ID: c@192.0.2.1\r\n"
      "CSeq: 2 REGISTER\r\n" +
      std::string(headers) + "Content-Length: 0\r\n\r\n");
}

TEST(RefreshDelay, TenPercentBeforeExpiryAtLeastFiveSecondsNeverBeforeHalfway) {
  EXPECT_EQ(refresh_delay(3600s), Duration(3240s));
  EXPECT_EQ(refresh_delay(600s), Duration(540s));
  EXPECT_EQ(refresh_delay(60s), Duration(54s));
  EXPECT_EQ(refresh_delay(30s), Duration(25s));
  EXPECT_EQ(refresh_delay(10s), Duration(5s));
  EXPECT_EQ(refresh_delay(8s), Duration(4s));
  EXPECT_EQ(refresh_delay(1s), Duration(500ms));
}

TEST(RetryBackoff, DoublesFromTheInitialWaitUpToTheMaximumAndStartsOverAfterReset) {
  RetryBackoff backoff(30s, 10min);
  std::vector<Duration> waits;
  for (int i = 0; i < 8; ++i) {
    waits.push_back(backoff.next());
  }
  EXPECT_THAT(waits, ElementsAre(Duration(30s), Duration(60s), Duration(120s), Duration(240s),
                                 Duration(480s), Duration(600s), Duration(600s), Duration(600s)));
  backoff.reset();
  EXPECT_EQ(backoff.next(), Duration(30s));
}

TEST(DeltaSeconds, DigitsOnlyUnlessLeadingAndSaturatingAt2To32Minus1) {
  EXPECT_EQ(parse_delta_seconds("3600"), 3600s);
  EXPECT_EQ(parse_delta_seconds(" 0 "), 0s);
  EXPECT_EQ(parse_delta_seconds("99999999999999999999"), std::chrono::seconds(4294967295LL));
  EXPECT_EQ(parse_delta_seconds(""), std::nullopt);
  EXPECT_EQ(parse_delta_seconds("-5"), std::nullopt);
  EXPECT_EQ(parse_delta_seconds("60s"), std::nullopt);
  EXPECT_EQ(parse_delta_seconds("120 (maintenance);duration=60"), std::nullopt);
  EXPECT_EQ(parse_delta_seconds("120 (maintenance);duration=60", true), 120s);
  EXPECT_EQ(parse_delta_seconds("120;duration=60", true), 120s);
  EXPECT_EQ(parse_delta_seconds("12x", true), std::nullopt);
}

TEST(GrantedExpiry, OurContactByUriEquivalenceThenTheExpiresHeader) {
  constexpr std::string_view kOurs = "sip:acme@192.0.2.1:5060";
  // Host case and parameter order do not matter (RFC 3261 §19.1.4); the user's case does.
  EXPECT_EQ(
      granted_expiry(ok_with("Contact: <sip:acme@192.0.2.1:5060;transport=udp>;expires=99, "
                             "<sip:ACME@192.0.2.1:5060>;expires=11\r\n"
                             "Contact: \"Acme\" <sip:acme@192.0.2.1:5060>;q=0.5;expires=300\r\n"
                             "Expires: 1800\r\n"),
                     kOurs),
      300s);
  EXPECT_EQ(granted_expiry(ok_with("Contact: <sip:acme@PBX.example>;expires=45\r\n"),
                           "sip:acme@pbx.example"),
            45s);
  EXPECT_EQ(
      granted_expiry(ok_with("Contact: <sip:acme@192.0.2.1:5060>\r\nExpires: 1800\r\n"), kOurs),
      1800s);
  EXPECT_EQ(
      granted_expiry(ok_with("Contact: <sip:x@192.0.2.9>;expires=60\r\nExpires: 900\r\n"), kOurs),
      900s);
  EXPECT_EQ(granted_expiry(ok_with(""), kOurs), std::nullopt);
  EXPECT_EQ(granted_expiry(ok_with("Contact: <sip:acme@192.0.2.1:5060>;expires=0\r\n"), kOurs), 0s);
}

TEST(HeaderSeconds, MinExpiresAndRetryAfter) {
  const Message m = ok_with("Min-Expires: 300\r\nRetry-After: 120 (maintenance)\r\n");
  EXPECT_EQ(header_seconds(m, HeaderName::MinExpires), 300s);
  EXPECT_EQ(header_seconds(m, HeaderName::RetryAfter), 120s);
  EXPECT_EQ(header_seconds(m, HeaderName::Expires), std::nullopt);
}

TEST(RegistrationState, DescribesEachStatusForTheLog) {
  const TimePoint now = testing::kT0;
  RegistrationState s;
  EXPECT_EQ(describe(s, now), "idle");
  s.status = RegistrationStatus::Registered;
  s.expires_at = now + 600s;
  EXPECT_EQ(describe(s, now), "registered until +600s");
  s.status = RegistrationStatus::Failed;
  s.code = 503;
  s.reason = "Service Unavailable";
  s.retry_at = now + 60s;
  EXPECT_EQ(describe(s, now), "failed 503 Service Unavailable, retry in 60s");
  s.retry_at.reset();
  EXPECT_EQ(describe(s, now), "failed 503 Service Unavailable, no retry");
  EXPECT_EQ(registration_status_name(RegistrationStatus::Unregistering), "unregistering");
}

}  // namespace
}  // namespace sb::sip::client
