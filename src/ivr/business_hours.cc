// ivr/business_hours.cc
#include "ivr/business_hours.h"

#include <date/tz.h>

#include <chrono>
#include <exception>

namespace sb::ivr {
namespace {

constexpr Duration kDay = std::chrono::hours(24);

Result<void> check_ranges(const std::vector<OpenRange>& ranges, const std::string& where) {
  for (const auto& r : ranges) {
    if (r.open < Duration{0} || r.close > kDay || r.close <= r.open) {
      return Error{"an opening range must lie within 00:00-24:00 and close after it opens", where};
    }
  }
  return {};
}

}  // namespace

Result<BusinessHours> BusinessHours::create(BusinessCalendar calendar) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(calendar.time_zone);
  } catch (const std::exception& e) {
    return Error{"unknown time zone \"" + calendar.time_zone + "\"", "time_zone"};
  }
  for (std::size_t d = 0; d < 7; ++d) {
    if (auto r = check_ranges(calendar.weekly[d], "weekly[" + std::to_string(d) + "]"); !r) return r.error();
  }
  for (std::size_t i = 0; i < calendar.holidays.size(); ++i) {
    const auto& h = calendar.holidays[i];
    const std::string where = "holidays[" + std::to_string(i) + "]";
    // Feb 29 is a valid yearly holiday (leap years only); otherwise check in a leap year.
    date::year_month_day ymd{date::year{h.year == 0 ? 2024 : h.year}, date::month{h.month}, date::day{h.day}};
    if (!ymd.ok()) return Error{"no such date", where};
    if (auto r = check_ranges(h.hours, where); !r) return r.error();
  }
  return BusinessHours(std::move(calendar), zone);
}

const Holiday* BusinessHours::holiday(TimePoint now) const {
  auto local = zone_->to_local(now);
  date::year_month_day ymd{date::floor<date::days>(local)};
  for (const auto& h : calendar_.holidays) {
    if ((h.year == 0 || date::year{h.year} == ymd.year()) && date::month{h.month} == ymd.month() &&
        date::day{h.day} == ymd.day()) {
      return &h;
    }
  }
  return nullptr;
}

const std::vector<OpenRange>& BusinessHours::ranges_for(TimePoint now, Duration& time_of_day) const {
  auto local = zone_->to_local(now);
  auto day = date::floor<date::days>(local);
  time_of_day = std::chrono::duration_cast<Duration>(local - day);
  if (const Holiday* h = holiday(now)) return h->hours;
  // date::weekday: Sunday = 0; our week starts on Monday.
  unsigned iso = date::weekday{day}.iso_encoding();  // Monday = 1 .. Sunday = 7
  return calendar_.weekly[iso - 1];
}

bool BusinessHours::is_open(TimePoint now) const {
  Duration t{};
  for (const auto& r : ranges_for(now, t)) {
    if (t >= r.open && t < r.close) return true;
  }
  return false;
}

std::optional<TimePoint> BusinessHours::next_change(TimePoint now) const {
  // Minute steps are plenty for opening hours and keep DST transitions exact enough: the
  // answer is the first minute at which the state differs.
  const bool state = is_open(now);
  TimePoint t = std::chrono::floor<std::chrono::minutes>(now) + std::chrono::minutes(1);
  for (int i = 0; i < 14 * 24 * 60; ++i, t += std::chrono::minutes(1)) {
    if (is_open(t) != state) return t;
  }
  return std::nullopt;
}

}  // namespace sb::ivr
