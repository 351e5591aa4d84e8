// sip/registrar/location_service_test.cc: look-up order and expiry against a VirtualClock.
#include "sip/registrar/location_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::sip::registrar {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::Field;

const TimePoint kStart = TimePoint{} + 1'700'000'000s;

Binding binding(std::string contact, std::optional<uint16_t> q, TimePoint expires_at,
                TimePoint updated_at = kStart) {
  Binding b;
  b.contact = std::move(contact);
  b.q_milli = q;
  b.expires_at = expires_at;
  b.updated_at = updated_at;
  return b;
}

TEST(LocationService, LookupReturnsHighestQFirstThenMostRecentlyRefreshed) {
  VirtualClock clock{kStart};
  LocationService locations{clock};
  locations.set_bindings(
      "sip:1001@example.com",
      {binding("sip:low@a", 100, kStart + 60s), binding("sip:old@a", std::nullopt, kStart + 60s),
       binding("sip:new@a", 1000, kStart + 60s, kStart + 1s),
       binding("sip:mid@a", 500, kStart + 60s)});
  EXPECT_THAT(
      locations.lookup("sip:1001@example.com"),
      ElementsAre(Field(&Binding::contact, "sip:new@a"), Field(&Binding::contact, "sip:old@a"),
                  Field(&Binding::contact, "sip:mid@a"), Field(&Binding::contact, "sip:low@a")));
  EXPECT_TRUE(locations.lookup("sip:nobody@example.com").empty());
}

TEST(LocationService, ExpiredBindingsVanishAtOnceAndPurgeFreesThem) {
  VirtualClock clock{kStart};
  LocationService locations{clock};
  locations.set_bindings("sip:a@x", {binding("sip:a1@h", std::nullopt, kStart + 30s),
                                     binding("sip:a2@h", std::nullopt, kStart + 90s)});
  locations.set_bindings("sip:b@x", {binding("sip:b1@h", std::nullopt, kStart + 30s)});
  clock.advance(30s);
  EXPECT_THAT(locations.lookup("sip:a@x"), ElementsAre(Field(&Binding::contact, "sip:a2@h")));
  EXPECT_TRUE(locations.lookup("sip:b@x").empty());
  EXPECT_EQ(locations.binding_count(), 3u);
  EXPECT_EQ(locations.purge(), 2u);
  EXPECT_EQ(locations.binding_count(), 1u);
  EXPECT_EQ(locations.aor_count(), 1u);
  clock.advance(60s);
  EXPECT_EQ(locations.purge(), 1u);
  EXPECT_EQ(locations.aor_count(), 0u);
}

TEST(LocationService, TheObserverHearsEveryChangeAndTheLastBindingExpiring) {
  VirtualClock clock{kStart};
  LocationService locations{clock};
  std::vector<std::pair<std::string, size_t>> heard;
  locations.add_observer([&](std::string_view aor, const std::vector<Binding>& now) {
    heard.emplace_back(std::string(aor), now.size());
  });
  locations.set_bindings("sip:1001@a", {binding("sip:p@a", std::nullopt, kStart + 60s)});
  locations.set_bindings("sip:1002@a", {binding("sip:q@a", std::nullopt, kStart + 600s)});
  locations.set_bindings("sip:1002@a", {});
  clock.advance(30s);
  locations.purge();  // nothing expired yet: nothing heard
  clock.advance(31s);
  locations.purge();
  EXPECT_THAT(heard, ElementsAre(std::pair<std::string, size_t>("sip:1001@a", 1),
                                 std::pair<std::string, size_t>("sip:1002@a", 1),
                                 std::pair<std::string, size_t>("sip:1002@a", 0),
                                 std::pair<std::string, size_t>("sip:1001@a", 0)));
}

TEST(LocationService, EmptyBindingListRemovesTheAor) {
  VirtualClock clock{kStart};
  LocationService locations{clock};
  locations.set_bindings("sip:a@x", {binding("sip:a1@h", std::nullopt, kStart + 30s)});
  locations.set_bindings("sip:a@x", {});
  EXPECT_EQ(locations.aor_count(), 0u);
}

}  // namespace
}  // namespace sb::sip::registrar
