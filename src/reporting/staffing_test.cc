// reporting/staffing_test.cc: the agent-count search, its input errors, and the table as text
// and JSON.
#include "reporting/staffing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

namespace sb::reporting {
namespace {

using ::testing::HasSubstr;

StaffingRequest request(double calls_per_hour, double aht_s, double target_sl, double sl_seconds,
                        std::optional<double> patience_s = std::nullopt) {
  StaffingRequest r;
  r.calls_per_hour = calls_per_hour;
  r.aht_s = aht_s;
  r.target_sl = target_sl;
  r.sl_seconds = sl_seconds;
  r.patience_s = patience_s;
  return r;
}

QueueMetrics evaluate(const StaffingRequest& r, int agents) {
  const Traffic traffic{r.calls_per_hour / 3600, r.aht_s};
  return r.patience_s ? erlang_a(traffic, *r.patience_s, agents, r.sl_seconds)
                      : erlang_c(traffic, agents, r.sl_seconds);
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(Staffing, PicksTwentyNineAgentsForEightyInTwentyAtTwentyFourErlangs) {
  // 24 Erlangs: 28 agents answer 76.1 % within 20 s, 29 agents 84.0 %.
  const auto plan = plan_staffing(request(360, 240, 0.8, 20));
  ASSERT_TRUE(plan) << plan.error().to_string();
  EXPECT_EQ(plan->required_agents, 29);
  ASSERT_EQ(plan->table.size(), 7u);
  for (size_t i = 0; i < plan->table.size(); ++i) {
    EXPECT_EQ(plan->table[i].agents, 26 + static_cast<int>(i));
  }
  EXPECT_NEAR(plan->table[2].service_level, 0.7613, 1e-4);
  EXPECT_NEAR(plan->table[3].service_level, 0.8403, 1e-4);
}

TEST(Staffing, PicksTheSmallestAgentCountThatMeetsTheTarget) {
  const StaffingRequest requests[] = {
      request(360, 240, 0.8, 20),          request(100, 180, 0.9, 30),
      request(6000, 300, 0.8, 20),         request(20, 600, 0.95, 60),
      request(30000, 240, 0.9, 10),        request(360, 240, 0.8, 0),
      request(360, 240, 0.8, 20, 120.0),   request(100, 180, 0.9, 30, 30.0),
      request(6000, 300, 0.8, 20, 600.0),  request(20, 600, 0.95, 60, 45.0),
      request(30000, 240, 0.9, 10, 180.0), request(360, 240, 0.5, 20, 5.0),
  };
  for (const StaffingRequest& r : requests) {
    SCOPED_TRACE(testing::Message() << r.calls_per_hour << " calls/h, AHT " << r.aht_s
                                    << ", patience " << r.patience_s.value_or(-1));
    const auto plan = plan_staffing(r);
    ASSERT_TRUE(plan) << plan.error().to_string();
    const int n = plan->required_agents;
    const QueueMetrics at = evaluate(r, n);
    EXPECT_TRUE(at.stable);
    EXPECT_GE(at.service_level, r.target_sl);
    if (n > 1) {
      const QueueMetrics below = evaluate(r, n - 1);
      EXPECT_FALSE(below.stable && below.service_level >= r.target_sl);
    }
  }
}

TEST(Staffing, UsesErlangAWhenAPatienceIsGiven) {
  // Callers who hang up after 120 s on average shorten the queue: 26 agents reach 82.3 % where
  // Erlang C needs 29. Abandoners count as not answered in time.
  const auto plan = plan_staffing(request(360, 240, 0.8, 20, 120.0));
  ASSERT_TRUE(plan) << plan.error().to_string();
  EXPECT_EQ(plan->required_agents, 26);
  for (const QueueMetrics& m : plan->table) {
    EXPECT_GT(m.p_abandon, 0);
    EXPECT_TRUE(m.stable);
  }
}

TEST(Staffing, TableStartsAtOneAgent) {
  // 10 calls/h at 60 s is a sixth of an Erlang: one agent answers 87 % within 20 s.
  const auto plan = plan_staffing(request(10, 60, 0.8, 20));
  ASSERT_TRUE(plan) << plan.error().to_string();
  EXPECT_EQ(plan->required_agents, 1);
  ASSERT_EQ(plan->table.size(), 4u);
  EXPECT_EQ(plan->table.front().agents, 1);
  EXPECT_EQ(plan->table.back().agents, 4);
}

TEST(Staffing, RejectsBadInputNamingTheField) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    std::string field;
    std::function<void(StaffingRequest&)> spoil;
  };
  const Case cases[] = {
      {"calls_per_hour", [](StaffingRequest& r) { r.calls_per_hour = 0; }},
      {"calls_per_hour", [](StaffingRequest& r) { r.calls_per_hour = -10; }},
      {"calls_per_hour", [&](StaffingRequest& r) { r.calls_per_hour = nan; }},
      {"aht_s", [](StaffingRequest& r) { r.aht_s = 0; }},
      {"aht_s", [](StaffingRequest& r) { r.aht_s = -240; }},
      {"target_sl", [](StaffingRequest& r) { r.target_sl = 0; }},
      {"target_sl", [](StaffingRequest& r) { r.target_sl = 1; }},
      {"target_sl", [](StaffingRequest& r) { r.target_sl = 80; }},
      {"target_sl", [&](StaffingRequest& r) { r.target_sl = nan; }},
      {"sl_seconds", [](StaffingRequest& r) { r.sl_seconds = -1; }},
      {"sl_seconds", [&](StaffingRequest& r) { r.sl_seconds = nan; }},
      {"patience_s", [](StaffingRequest& r) { r.patience_s = 0.0; }},
      {"patience_s", [](StaffingRequest& r) { r.patience_s = -120.0; }},
  };
  for (const Case& c : cases) {
    StaffingRequest r = request(360, 240, 0.8, 20);
    c.spoil(r);
    const auto plan = plan_staffing(r);
    ASSERT_FALSE(plan) << c.field;
    EXPECT_EQ(plan.error().where, c.field);
    EXPECT_FALSE(plan.error().message.empty());
  }
}

TEST(Staffing, RejectsLoadsNeedingMoreThanAHundredThousandAgents) {
  // 2,000,000 calls/h at 240 s is 133,333 Erlangs.
  for (const auto& patience : {std::optional<double>{}, std::optional<double>{120.0}}) {
    const auto plan = plan_staffing(request(2'000'000, 240, 0.8, 20, patience));
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().where, "calls_per_hour");
    EXPECT_THAT(plan.error().message, HasSubstr("100000"));
  }
}

TEST(Staffing, TextShowsTheInputsAndMarksTheRequiredRow) {
  const auto plan = plan_staffing(request(360, 240, 0.8, 20));
  ASSERT_TRUE(plan);
  const std::string text = format_staffing_table(*plan);
  EXPECT_THAT(text, HasSubstr("Erlang C"));
  EXPECT_THAT(text, HasSubstr("360 calls/h"));
  EXPECT_THAT(text, HasSubstr("AHT 240 s"));
  EXPECT_THAT(text, HasSubstr("24.00 Erlangs"));
  EXPECT_THAT(text, HasSubstr("80% answered within 20 s"));
  EXPECT_THAT(text, HasSubstr("Required: 29 agents"));
  EXPECT_EQ(count(text, "<- required"), 1);
  std::istringstream lines(text);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.find("<- required") != std::string::npos) {
      EXPECT_THAT(line, HasSubstr("      29"));
      EXPECT_THAT(line, HasSubstr("84.0%"));
    }
    rows += line.find('%') != std::string::npos && line.find("Target") == std::string::npos;
  }
  EXPECT_EQ(rows, 7);
  EXPECT_EQ(text.back(), '\n');
}

TEST(Staffing, TextForErlangAShowsPatienceAndAbandonment) {
  const auto plan = plan_staffing(request(360, 240, 0.8, 20, 120.0));
  ASSERT_TRUE(plan);
  const std::string text = format_staffing_table(*plan);
  EXPECT_THAT(text, HasSubstr("Erlang A"));
  EXPECT_THAT(text, HasSubstr("mean patience 120 s"));
  EXPECT_THAT(text, HasSubstr("abandon"));
  EXPECT_EQ(count(text, "<- required"), 1);
}

TEST(Staffing, UnstableRowsSayWhyInTextAndAreNullInJson) {
  // A 30 % target at 24 Erlangs needs 26 agents, so the table reaches down to 23 and 24.
  const auto plan = plan_staffing(request(360, 240, 0.3, 20));
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->required_agents, 26);
  EXPECT_FALSE(plan->table.front().stable);
  EXPECT_THAT(format_staffing_table(*plan), HasSubstr("unstable"));
  const nlohmann::json j = staffing_to_json(*plan);
  const nlohmann::json& row = j["table"][0];
  EXPECT_EQ(row["agents"], 23);
  EXPECT_EQ(row["stable"], false);
  EXPECT_TRUE(row["asa_s"].is_null());
  EXPECT_TRUE(row["mean_queue_length"].is_null());
  EXPECT_EQ(row["p_wait"], 1.0);
  // The whole document survives a round trip through text.
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

TEST(Staffing, JsonCarriesTheRequestTheAnswerAndOneRowPerAgentCount) {
  const auto plan = plan_staffing(request(360, 240, 0.8, 20, 120.0));
  ASSERT_TRUE(plan);
  const nlohmann::json j = staffing_to_json(*plan);
  EXPECT_EQ(j["model"], "erlang_a");
  EXPECT_EQ(j["required_agents"], 26);
  EXPECT_DOUBLE_EQ(j["offered_erlangs"].get<double>(), 24.0);
  EXPECT_EQ(j["request"]["calls_per_hour"], 360.0);
  EXPECT_EQ(j["request"]["patience_s"], 120.0);
  EXPECT_EQ(j["request"]["target_sl"], 0.8);
  ASSERT_EQ(j["table"].size(), 7u);
  int required_rows = 0;
  for (const auto& row : j["table"]) {
    required_rows += row["required"].get<bool>();
    for (const char* key :
         {"p_wait", "asa_s", "service_level", "occupancy", "p_abandon", "mean_queue_length"}) {
      EXPECT_TRUE(row[key].is_number()) << key;
    }
  }
  EXPECT_EQ(required_rows, 1);
  EXPECT_EQ(j["table"][3]["agents"], 26);
  EXPECT_EQ(j["table"][3]["required"], true);

  const auto c = plan_staffing(request(360, 240, 0.8, 20));
  ASSERT_TRUE(c);
  const nlohmann::json jc = staffing_to_json(*c);
  EXPECT_EQ(jc["model"], "erlang_c");
  EXPECT_TRUE(jc["request"]["patience_s"].is_null());
}

}  // namespace
}  // namespace sb::reporting
