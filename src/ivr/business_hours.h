// ivr/business_hours.h: is the center open? Weekly opening hours and holidays in the
// center's own time zone (IANA names, daylight saving followed from the system's tz
// database), asked with a UTC instant from the injected clock. Pure: no clock reads, no I/O
// after creation (creation looks the zone up once).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace date {
class time_zone;
}

namespace sb::ivr {

// [open, close) as times of day; close may be 24:00.
struct OpenRange {
  Duration open{};
  Duration close{};
};

struct Holiday {
  int year = 0;  // 0: every year (Dec 25)
  unsigned month = 1;
  unsigned day = 1;
  std::string name;
  // Hours kept that day (Dec 24 morning); empty: closed all day.
  std::vector<OpenRange> hours;
};

struct BusinessCalendar {
  std::string time_zone = "UTC";
  std::array<std::vector<OpenRange>, 7> weekly;  // Monday .. Sunday
  std::vector<Holiday> holidays;
};

class BusinessHours {
 public:
  // Fails on an unknown time zone, a range that closes before it opens or past 24:00, or a
  // holiday date that does not exist; `where` names the part ("weekly[2]", "holidays[0]").
  static Result<BusinessHours> create(BusinessCalendar calendar);

  bool is_open(TimePoint now) const;
  // The holiday in force at `now` (local date), if any.
  const Holiday* holiday(TimePoint now) const;
  // When is_open() next changes after `now` (for "we open again at 9:00"), searching up to
  // two weeks ahead; nullopt for a calendar that never changes.
  std::optional<TimePoint> next_change(TimePoint now) const;

 private:
  BusinessHours(BusinessCalendar calendar, const date::time_zone* zone)
      : calendar_(std::move(calendar)), zone_(zone) {}
  const std::vector<OpenRange>& ranges_for(TimePoint now, Duration& time_of_day) const;

  BusinessCalendar calendar_;
  const date::time_zone* zone_;
};

}  // namespace sb::ivr
