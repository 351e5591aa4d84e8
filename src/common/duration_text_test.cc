#include "common/duration_text.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace sb {
namespace {

TEST(DurationText, ParsesUnitsAndCombinations) {
  EXPECT_EQ(parse_duration("30s"), Duration(30s));
  EXPECT_EQ(parse_duration("2m"), Duration(2min));
  EXPECT_EQ(parse_duration("1h30m"), Duration(90min));
  EXPECT_EQ(parse_duration("250ms"), Duration(250ms));
  EXPECT_EQ(parse_duration("45"), Duration(45s));
  EXPECT_EQ(parse_duration("1.5s"), Duration(1500ms));
}

TEST(DurationText, RejectsJunk) {
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("abc"));
  EXPECT_FALSE(parse_duration("-5s"));
  EXPECT_FALSE(parse_duration("1h30"));
  EXPECT_FALSE(parse_duration("10x"));
}

TEST(DurationText, FormatsForHumans) {
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(3600s), "1h");
  EXPECT_EQ(format_duration(0s), "0s");
  EXPECT_EQ(format_duration(250ms), "250ms");
}

TEST(DurationText, ParsesTimeOfDay) {
  EXPECT_EQ(parse_time_of_day("08:30"), Duration(8h + 30min));
  EXPECT_EQ(parse_time_of_day("23:59:59"), Duration(23h + 59min + 59s));
  EXPECT_EQ(parse_time_of_day("24:00"), Duration(24h));
  EXPECT_FALSE(parse_time_of_day("25:00"));
  EXPECT_FALSE(parse_time_of_day("8"));
  EXPECT_FALSE(parse_time_of_day("08:3x"));
}

}  // namespace
}  // namespace sb
