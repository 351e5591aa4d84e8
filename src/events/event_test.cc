#include "events/event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "events/event_json.h"

namespace sb::events {
namespace {

TEST(Event, EveryKindHasAUniqueNameThatParsesBack) {
  for (int k = 0; k <= static_cast<int>(EventKind::LegQuality); ++k) {
    const auto kind = static_cast<EventKind>(k);
    const std::string_view name = event_kind_name(kind);
    ASSERT_NE(name, "?") << k;
    EXPECT_EQ(parse_event_kind(name), kind) << name;
  }
  EXPECT_FALSE(parse_event_kind("nonsense"));
}

TEST(Event, KindsBelongToTheirTopic) {
  EXPECT_EQ(topic_of(EventKind::WrapUpDone), Topic::Interaction);
  EXPECT_EQ(topic_of(EventKind::AgentLogin), Topic::Agent);
  EXPECT_EQ(topic_of(EventKind::AgentWrapUp), Topic::Agent);
  EXPECT_EQ(topic_of(EventKind::LegQuality), Topic::Quality);
}

TEST(EventJson, CarriesTheVersionSequenceTimeAndData) {
  Event e;
  e.kind = EventKind::AgentNotReady;
  e.at = TimePoint{std::chrono::seconds(1'796'633'600) + std::chrono::microseconds(42)};
  e.agent = "alice";
  e.data = R"({"reason":"lunch"})";
  const auto j = nlohmann::json::parse(to_json(e, 7));
  EXPECT_EQ(j["v"], kSchemaVersion);
  EXPECT_EQ(j["seq"], 7);
  EXPECT_EQ(j["kind"], "agent-not-ready");
  EXPECT_EQ(j["topic"], "agent");
  EXPECT_EQ(j["at"], "2026-12-07T08:53:20.000042Z");
  EXPECT_EQ(j["interaction"], "");
  EXPECT_EQ(j["agent"], "alice");
  EXPECT_EQ(j["data"]["reason"], "lunch");
}

TEST(EventJson, DataThatIsNotAnObjectIsCarriedNotDropped) {
  Event e;
  e.data = "not json";
  const auto j = nlohmann::json::parse(to_json(e));
  EXPECT_EQ(j["data"]["invalid"], "not json");
  e.data = "";
  EXPECT_TRUE(nlohmann::json::parse(to_json(e))["data"].is_object());
}

TEST(EventJson, InvalidUtf8IsReplacedNotThrown) {
  Event e;
  e.agent = "caf\xe9";
  const std::string text = to_json(e);
  EXPECT_NE(text.find("caf"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(EventJson, TimesBeforeTheEpochStillRead) {
  EXPECT_EQ(format_time(TimePoint{std::chrono::microseconds(-1)}), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace sb::events
