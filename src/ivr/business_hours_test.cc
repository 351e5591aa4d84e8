// ivr/business_hours_test.cc: opening hours in the center's zone, through DST and holidays.
#include "ivr/business_hours.h"

#include <gtest/gtest.h>

#include <date/date.h>

namespace sb::ivr {
namespace {

using namespace std::chrono;

// A UTC instant from a calendar date and time.
TimePoint utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  auto day = date::sys_days{date::year{y} / date::month{m} / date::day{d}};
  return time_point_cast<Duration>(day + hours(hh) + minutes(mm));
}

OpenRange range(int open_h, int close_h) { return {hours(open_h), hours(close_h)}; }

BusinessHours berlin() {
  BusinessCalendar c;
  c.time_zone = "Europe/Berlin";
  for (int d = 0; d < 5; ++d) c.weekly[static_cast<std::size_t>(d)] = {range(9, 17)};
  c.weekly[5] = {range(10, 14)};  // Saturday
  c.holidays.push_back({0, 12, 25, "Christmas Day", {}});
  c.holidays.push_back({0, 12, 24, "Christmas Eve", {range(9, 12)}});
  c.holidays.push_back({2026, 4, 3, "Good Friday", {}});
  return BusinessHours::create(c).value();
}

TEST(BusinessHours, WeekdayHoursInTheCentersZone) {
  auto h = berlin();
  // Wednesday 2026-11-25, CET = UTC+1: open 09:00-17:00 local = 08:00-16:00 UTC.
  EXPECT_FALSE(h.is_open(utc(2026, 11, 25, 7, 59)));
  EXPECT_TRUE(h.is_open(utc(2026, 11, 25, 8, 0)));
  EXPECT_TRUE(h.is_open(utc(2026, 11, 25, 15, 59)));
  EXPECT_FALSE(h.is_open(utc(2026, 11, 25, 16, 0)));
  // Saturday 10-14, Sunday closed.
  EXPECT_TRUE(h.is_open(utc(2026, 11, 28, 9, 30)));
  EXPECT_FALSE(h.is_open(utc(2026, 11, 29, 10, 0)));
}

TEST(BusinessHours, FollowsDaylightSavingTime) {
  auto h = berlin();
  // Summer time (UTC+2) from Sunday 2026-03-29: Monday 09:00 local is 07:00 UTC.
  EXPECT_FALSE(h.is_open(utc(2026, 3, 27, 7, 30)));  // Friday before: still UTC+1
  EXPECT_TRUE(h.is_open(utc(2026, 3, 30, 7, 0)));
  EXPECT_FALSE(h.is_open(utc(2026, 3, 30, 15, 0)));   // 17:00 local
}

TEST(BusinessHours, HolidaysCloseOrShortenTheDay) {
  auto h = berlin();
  EXPECT_FALSE(h.is_open(utc(2026, 12, 25, 10, 0)));  // a Friday, closed
  ASSERT_NE(h.holiday(utc(2026, 12, 25, 10, 0)), nullptr);
  EXPECT_EQ(h.holiday(utc(2026, 12, 25, 10, 0))->name, "Christmas Day");
  EXPECT_TRUE(h.is_open(utc(2026, 12, 24, 10, 0)));   // 11:00 local, morning hours
  EXPECT_FALSE(h.is_open(utc(2026, 12, 24, 12, 0)));  // 13:00 local
  EXPECT_FALSE(h.is_open(utc(2026, 4, 3, 10, 0)));    // Good Friday 2026 only
  EXPECT_TRUE(h.is_open(utc(2027, 3, 26, 10, 0)));    // a plain Friday in 2027
  // The local date decides: 23:30 UTC on Dec 24 is already Dec 25 in Berlin.
  EXPECT_NE(h.holiday(utc(2026, 12, 24, 23, 30)), nullptr);
  EXPECT_EQ(h.holiday(utc(2026, 12, 24, 23, 30))->name, "Christmas Day");
}

TEST(BusinessHours, NextChangeForAnnouncements) {
  auto h = berlin();
  // Friday 2026-11-27 18:00 local: closed until Saturday 10:00 local (09:00 UTC).
  EXPECT_EQ(h.next_change(utc(2026, 11, 27, 17, 0)), utc(2026, 11, 28, 9, 0));
  // Open: closes at 17:00 local.
  EXPECT_EQ(h.next_change(utc(2026, 11, 25, 10, 17)), utc(2026, 11, 25, 16, 0));
  BusinessCalendar always;
  for (auto& d : always.weekly) d = {range(0, 24)};
  auto open_always = BusinessHours::create(always).value();
  EXPECT_TRUE(open_always.is_open(utc(2026, 1, 1, 0, 0)));
  EXPECT_EQ(open_always.next_change(utc(2026, 1, 1, 0, 0)), std::nullopt);
}

TEST(BusinessHours, RefusesBadCalendars) {
  BusinessCalendar c;
  c.time_zone = "Europe/Atlantis";
  auto zone = BusinessHours::create(c);
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().where, "time_zone");
  c.time_zone = "America/New_York";
  c.weekly[2] = {range(17, 9)};
  auto backwards = BusinessHours::create(c);
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().where, "weekly[2]");
  c.weekly[2] = {};
  c.holidays.push_back({2026, 2, 30, "nope", {}});
  auto no_date = BusinessHours::create(c);
  ASSERT_FALSE(no_date);
  EXPECT_EQ(no_date.error().where, "holidays[0]");
}

}  // namespace
}  // namespace sb::ivr
