#include "call/agent_phones.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace sb::call {
namespace {

using namespace std::chrono_literals;
constexpr acd::AgentId kAlice{0}, kBob{1};

class AgentPhonesTest : public ::testing::Test {
 protected:
  void registered(const std::string& aor) {
    sip::registrar::Binding b;
    b.contact = aor + ";transport=udp";
    b.expires_at = clock.now() + 3600s;
    locations.set_bindings(aor, {b});
  }
  VirtualClock clock{TimePoint{std::chrono::hours(1000)}};
  sip::registrar::LocationService locations{clock};
  AgentPhones phones{locations};
};

TEST_F(AgentPhonesTest, AnAgentIsFoundByItsPhoneAndItsPhonesUser) {
  phones.seat(kAlice, "sip:1001@demo");
  EXPECT_EQ(*phones.phone_of(kAlice), "sip:1001@demo");
  EXPECT_EQ(phones.agent_on("sip:1001@demo"), kAlice);
  EXPECT_EQ(phones.agent_of_user("1001"), kAlice);
  EXPECT_FALSE(phones.agent_of_user("100"));  // not a prefix match on the user
  EXPECT_FALSE(phones.agent_on("sip:1002@demo"));
  EXPECT_EQ(phones.phone_of(kBob), nullptr);
}

TEST_F(AgentPhonesTest, APhoneRingsOnlyWhileRegistered) {
  phones.seat(kAlice, "sip:1001@demo");
  EXPECT_FALSE(phones.can_ring("sip:1001@demo"));
  EXPECT_TRUE(phones.bindings_of(kAlice).empty());
  registered("sip:1001@demo");
  EXPECT_TRUE(phones.can_ring("sip:1001@demo"));
  EXPECT_EQ(phones.bindings_of(kAlice).size(), 1u);
  EXPECT_TRUE(phones.bindings_of(kBob).empty()) << "not logged in";
}

TEST_F(AgentPhonesTest, LoggingOutForgetsThePhoneAndTheParking) {
  phones.seat(kAlice, "sip:1001@demo");
  phones.park(kAlice);
  EXPECT_TRUE(phones.parked(kAlice));
  phones.unseat(kAlice);
  EXPECT_FALSE(phones.parked(kAlice));
  EXPECT_FALSE(phones.agent_on("sip:1001@demo"));
  EXPECT_FALSE(phones.unpark(kAlice));
}

TEST_F(AgentPhonesTest, TheLoginSinkHearsEachChangeOnce) {
  phones.seat(kAlice, "sip:1001@demo");
  auto news = phones.login_news(kAlice, acd::AgentState::Available, "");
  ASSERT_TRUE(news && news->login);
  EXPECT_EQ(*news->login, (AgentLogin{"sip:1001@demo", true, ""}));
  // Busy, ringing and wrap-up are still ready as far as a restart is concerned.
  EXPECT_FALSE(phones.login_news(kAlice, acd::AgentState::Busy, ""));
  news = phones.login_news(kAlice, acd::AgentState::NotReady, "break");
  ASSERT_TRUE(news && news->login);
  EXPECT_EQ(*news->login, (AgentLogin{"sip:1001@demo", false, "break"}));
  // Parked for want of a phone: its own choice was ready, and that is what survives.
  phones.park(kAlice);
  news = phones.login_news(kAlice, acd::AgentState::NotReady, "no-phone");
  ASSERT_TRUE(news && news->login);
  EXPECT_TRUE(news->login->ready);
  phones.unseat(kAlice);
  news = phones.login_news(kAlice, acd::AgentState::LoggedOut, "");
  ASSERT_TRUE(news);
  EXPECT_FALSE(news->login);
  EXPECT_FALSE(phones.login_news(kAlice, acd::AgentState::LoggedOut, "")) << "told once";
}

}  // namespace
}  // namespace sb::call
