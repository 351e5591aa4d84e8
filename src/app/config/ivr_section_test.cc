// app/config/ivr_section_test.cc: the `prompts:`, `calendars:`, `ivr:` and `inbound:` sections on
// tests/data/config/ivr_demo.yaml (the model they load, and that model run by a FlowRun) and on
// small configs. The bad cases are tests/data/config/ivr_errors.yaml, checked with the other "#
// expect:" files by config_loader_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/config/config_loader.h"
#include "ivr/flow_run.h"

namespace sb::app {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::VariantWith;
using namespace std::chrono_literals;
using ivr::NodeKind;

const std::string kSourceDir = SB_SOURCE_DIR;

std::vector<std::string> messages(const LoadResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.errors) {
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  }
  return out;
}

IvrSettings load_ivr(const std::string& yaml) {
  LoadResult result = load_config_text(yaml, "ivr.yaml");
  EXPECT_THAT(messages(result), IsEmpty());
  return result.config ? result.config->ivr : IvrSettings{};
}

bool same(const ivr::Assignment& a, std::string_view variable, std::string_view value) {
  return a.variable == variable && a.value == value;
}

class IvrDemo : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadResult result = load_config_file(kSourceDir + "/tests/data/config/ivr_demo.yaml");
    ASSERT_THAT(messages(result), IsEmpty());
    ivr_ = result.config->ivr;
    main_ = ivr_.flows.find("main");
    ASSERT_NE(main_, nullptr);
  }
  const ivr::Node& node(std::string_view name) const { return main_->nodes.at(main_->find(name)); }
  ivr::NodeIndex index(std::string_view name) const { return main_->find(name); }

  IvrSettings ivr_;
  const ivr::Flow* main_ = nullptr;
};

TEST_F(IvrDemo, PromptsCalendarsAndInboundRoutes) {
  EXPECT_EQ(ivr_.prompts_dir, "build/prompts");
  EXPECT_THAT(ivr_.languages, ElementsAre("en", "es"));

  ASSERT_TRUE(ivr_.calendars.contains("office"));
  const ivr::BusinessCalendar& office = ivr_.calendars.at("office");
  EXPECT_EQ(office.time_zone, "Europe/Madrid");
  for (size_t d = 0; d < 5; ++d) {
    ASSERT_THAT(office.weekly[d], SizeIs(1)) << d;
    EXPECT_EQ(office.weekly[d][0].open, Duration(8h));
    EXPECT_EQ(office.weekly[d][0].close, Duration(20h));
  }
  ASSERT_THAT(office.weekly[5], SizeIs(1));
  EXPECT_EQ(office.weekly[5][0].open, Duration(9h));
  EXPECT_THAT(office.weekly[6], IsEmpty());
  ASSERT_THAT(office.holidays, SizeIs(3));
  EXPECT_EQ(office.holidays[0].year, 0);
  EXPECT_EQ(office.holidays[0].month, 12u);
  EXPECT_EQ(office.holidays[0].day, 25u);
  EXPECT_EQ(office.holidays[0].name, "Christmas");
  ASSERT_THAT(office.holidays[1].hours, SizeIs(1));
  EXPECT_EQ(office.holidays[1].hours[0].close, Duration(13h));
  EXPECT_EQ(office.holidays[2].year, 2026);

  ASSERT_THAT(ivr_.inbound, SizeIs(4));
  EXPECT_EQ(ivr_.inbound[1].queue, "billing");
  EXPECT_EQ(ivr_.inbound[1].flow, "");
  EXPECT_EQ(ivr_.route_for("+15550123")->flow, "vip");
  EXPECT_EQ(ivr_.route_for("+15550199")->queue, "billing");
  EXPECT_EQ(ivr_.route_for("+19999999")->did, "*");  // the default route
}

TEST_F(IvrDemo, MainFlowResolvesNamesIntoIndices) {
  EXPECT_EQ(main_->language, "en");
  EXPECT_EQ(main_->start, index("hours"));
  ASSERT_THAT(main_->nodes, SizeIs(11));

  const ivr::Node& hours = node("hours");
  EXPECT_EQ(hours.kind, NodeKind::Hours);
  EXPECT_EQ(hours.calendar, "office");
  EXPECT_EQ(hours.open.next, index("welcome"));
  EXPECT_EQ(hours.closed.next, index("closed"));
  EXPECT_EQ(hours.holiday.next, ivr::kNoNode);

  const ivr::Node& language = node("language");
  EXPECT_EQ(language.kind, NodeKind::Menu);
  EXPECT_THAT(language.prompts, ElementsAre("press-1-english", "press-2-spanish"));
  EXPECT_EQ(language.timeout, Duration(4s));
  EXPECT_EQ(language.retries, 2);
  ASSERT_THAT(language.options, SizeIs(2));
  EXPECT_EQ(language.options[1].first, '2');
  EXPECT_EQ(language.options[1].second.next, index("main-menu"));
  ASSERT_THAT(language.options[1].second.set, SizeIs(1));
  EXPECT_TRUE(same(language.options[1].second.set[0], "language", "es"));
  EXPECT_EQ(language.on_failure.next, index("main-menu"));

  const ivr::Node& menu = node("main-menu");
  EXPECT_THAT(menu.invalid_prompts, ElementsAre("invalid-option"));
  EXPECT_THAT(menu.no_input_prompts, ElementsAre("no-input"));
  EXPECT_EQ(menu.timeout, Duration(5s));  // default
  EXPECT_EQ(menu.options[2].second.next, index("account"));

  const ivr::Node& account = node("account");
  EXPECT_EQ(account.kind, NodeKind::Collect);
  EXPECT_EQ(account.variable, "account");
  EXPECT_EQ(account.min_digits, 6);
  EXPECT_EQ(account.max_digits, 10);
  EXPECT_EQ(account.terminator, '#');
  EXPECT_EQ(account.pattern, "[0-9]+");
  EXPECT_EQ(account.validator, "luhn");
  EXPECT_EQ(account.next.next, index("crm"));
  EXPECT_EQ(account.on_failure.next, index("billing"));

  const ivr::Node& crm = node("crm");
  EXPECT_EQ(crm.kind, NodeKind::Lookup);
  EXPECT_EQ(crm.method, "GET");
  EXPECT_EQ(crm.url, "http://127.0.0.1:8090/customers/${account}");
  EXPECT_EQ(crm.lookup_timeout, Duration(2s));
  EXPECT_THAT(crm.assign, ElementsAre(Pair("tier", "/tier"), Pair("customer", "/name")));

  const ivr::Node& billing = node("billing");
  EXPECT_EQ(billing.queue, "billing");
  EXPECT_EQ(billing.priority, 1);
  ASSERT_THAT(billing.attached, SizeIs(2));
  EXPECT_TRUE(same(billing.attached[1], "account", "${account}"));

  const ivr::Node& voicemail = node("voicemail");
  EXPECT_EQ(voicemail.mailbox, "general");
  EXPECT_EQ(voicemail.max_length, Duration(2min));
  EXPECT_EQ(voicemail.next.next, ivr::kNoNode);
}

TEST_F(IvrDemo, VipFlowUsesTheOtherNodeTypes) {
  const ivr::Flow* vip = ivr_.flows.find("vip");
  ASSERT_NE(vip, nullptr);
  EXPECT_EQ(vip->language, "en");  // the first prompt language
  EXPECT_EQ(vip->start, 0u);       // the first node
  const auto& nodes = vip->nodes;
  ASSERT_THAT(nodes, SizeIs(6));
  EXPECT_EQ(nodes[0].kind, NodeKind::Set);
  ASSERT_THAT(nodes[0].next.set, SizeIs(2));
  EXPECT_TRUE(same(nodes[0].next.set[1], "source", "vip-line"));
  EXPECT_EQ(nodes[1].kind, NodeKind::Language);
  EXPECT_EQ(nodes[1].language, "es");
  EXPECT_EQ(nodes[2].kind, NodeKind::Branch);
  EXPECT_EQ(nodes[2].branch_variable, "tier");
  ASSERT_THAT(nodes[2].cases, SizeIs(2));
  EXPECT_EQ(nodes[2].cases[0].first, "gold");
  EXPECT_EQ(nodes[2].cases[0].second.next, vip->find("concierge"));
  EXPECT_EQ(nodes[2].otherwise.next, vip->find("goodbye"));
  EXPECT_EQ(nodes[3].number, "+15550123");
  EXPECT_EQ(nodes[4].callback_queue, "support");
  EXPECT_EQ(nodes[4].callback_number, "${caller}");
  EXPECT_EQ(nodes[5].reason, "not a vip");
}

TEST_F(IvrDemo, TheLoadedFlowRuns) {
  std::map<std::string, ivr::BusinessHours, std::less<>> hours;
  hours.emplace("office", ivr::BusinessHours::create(ivr_.calendars.at("office")).value());
  // Wednesday 2026-11-25 11:00 in Madrid: open.
  VirtualClock clock{
      TimePoint{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 25}} + 10h};
  ivr::FlowRun run(*main_, clock, hours);
  EXPECT_THAT(run.start().commands, ElementsAre(VariantWith<ivr::PlayPrompts>(Field(
                                        &ivr::PlayPrompts::prompts, ElementsAre("welcome")))));
  run.on_prompts_done();
  EXPECT_THAT(run.on_digit('2').commands,
              SizeIs(2));  // stop, then the main menu in Spanish
  EXPECT_EQ(run.language(), "es");
  ivr::Step s = run.on_digit('2');
  EXPECT_THAT(s.commands.back(),
              VariantWith<ivr::RouteToQueue>(Field(&ivr::RouteToQueue::language, "es")));
}

TEST(IvrSection, NoSectionsGiveTheDefaults) {
  IvrSettings ivr = load_ivr("queues: {billing: {}}");
  EXPECT_THAT(ivr.flows.flows, IsEmpty());
  EXPECT_THAT(ivr.inbound, IsEmpty());
  EXPECT_EQ(ivr.prompts_dir, "prompts");
  EXPECT_THAT(ivr.languages, ElementsAre("en"));
  EXPECT_EQ(ivr.route_for("+1"), nullptr);
}

TEST(IvrSection, SmallerForms) {
  IvrSettings ivr = load_ivr(R"(
calendars:
  weekend:
    time_zone: UTC
    weekly: {fri-mon: ["00:00-24:00"], wed: []}
ivr:
  f:
    nodes:
      pin:
        {type: collect, variable: pin, terminator: "", max_digits: 4, next: {next: bye, set: {ok: "yes"}}}
      bye: {type: hangup}
)");
  const ivr::BusinessCalendar& weekend = ivr.calendars.at("weekend");
  for (size_t d : {4u, 5u, 6u, 0u}) {  // fri, sat, sun, mon
    ASSERT_THAT(weekend.weekly[d], SizeIs(1)) << d;
    EXPECT_EQ(weekend.weekly[d][0].close, Duration(24h));
  }
  EXPECT_THAT(weekend.weekly[1], IsEmpty());
  const ivr::Flow& f = ivr.flows.flows.at(0);
  EXPECT_EQ(f.nodes[0].terminator, '\0');
  EXPECT_EQ(f.nodes[0].next.next, 1u);
  ASSERT_THAT(f.nodes[0].next.set, SizeIs(1));
  EXPECT_TRUE(same(f.nodes[0].next.set[0], "ok", "yes"));
  EXPECT_EQ(f.nodes[1].kind, NodeKind::Hangup);
}

TEST(IvrSection, ReportsAtTheOffendingNode) {
  LoadResult result = load_config_text(R"(ivr:
  f:
    start: nope
    nodes:
      a: {type: play, prompts: [x], next: b, options: {}}
      b: [1, 2]
      c: {type: transfer, number: ""}
  g: {nodes: {}}
)",
                                       "x.yaml");
  EXPECT_THAT(messages(result),
              ElementsAre("3:12: ivr.f.start: no node \"nope\" in flow \"f\"; expected one of "
                          "a, b, c",
                          HasSubstr("5:46: unknown key \"options\" in ivr.f.nodes.a"),
                          "6:10: ivr.f.nodes.b: expected a map with a \"type\" key, got a list",
                          "7:35: ivr.f.nodes.c.number: expected a number, got an empty string",
                          "8:14: ivr.g.nodes: expected at least one node"));
}

TEST(IvrSection, NeverThrowsOnOddDocuments) {
  for (const char* text :
       {"ivr: 3", "ivr: {f: 3}", "ivr: {f: {nodes: 3}}", "ivr: {f: {nodes: {a: {type: [1]}}}}",
        "ivr: {f: {nodes: {a: {type: menu, options: [1]}}}}", "calendars: {c: []}",
        "calendars: {c: {time_zone: UTC, weekly: {mon: 5}}}", "inbound: {a: 1}", "inbound: [1]",
        "prompts: {languages: []}", "ivr: {f: {nodes: {a: {type: set, set: [], next: {}}}}}"}) {
    LoadResult result;
    EXPECT_NO_THROW(result = load_config_text(text, "odd.yaml")) << text;
    EXPECT_FALSE(result.config.has_value()) << text;
    EXPECT_THAT(result.errors, Not(IsEmpty())) << text;
  }
}

}  // namespace
}  // namespace sb::app
