// app/config/config_loader_test.cc: the config loader on the demo config, on small valid
// configs (names resolved into ids) and on the bad configs in tests/data/config/, whose
// "# expect: line:col: message" comments list exactly the diagnostics each must produce.
#include "app/config/config_loader.h"
#include "app/config/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sb::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using namespace std::chrono_literals;

const std::string kSourceDir = SB_SOURCE_DIR;

// "line:col: message", the part of a diagnostic that does not depend on where the file lives.
std::vector<std::string> positions(const LoadResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.errors) {
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  }
  return out;
}

SwitchboardConfig load_ok(const std::string& yaml) {
  LoadResult result = load_config_text(yaml, "test.yaml");
  EXPECT_THAT(positions(result), ElementsAre());
  EXPECT_TRUE(result.config.has_value());
  return result.config.value_or(SwitchboardConfig{});
}

TEST(Diagnostic, FormatsFileLineAndColumn) {
  EXPECT_EQ((Diagnostic{"demo.yaml", 12, 15, "bad"}).to_string(), "demo.yaml:12:15: bad");
  EXPECT_EQ((Diagnostic{"demo.yaml", 0, 0, "cannot open"}).to_string(), "demo.yaml: cannot open");
}

TEST(ConfigLoader, DemoConfigLoadsWithoutErrors) {
  LoadResult result = load_config_file(kSourceDir + "/demo/switchboard.yaml");
  ASSERT_THAT(positions(result), ElementsAre());
  ASSERT_TRUE(result.config.has_value());
  const acd::RoutingConfig& routing = result.config->routing;
  EXPECT_THAT(routing.queues, SizeIs(4));
  EXPECT_THAT(routing.agents, SizeIs(31));
  EXPECT_EQ(routing.reason_codes.front(), "none");
  ASSERT_TRUE(result.config->traffic.has_value());
  const sim::TrafficModel& traffic = *result.config->traffic;
  EXPECT_THAT(traffic.queues, SizeIs(4));
  for (const sim::QueueTraffic& q : traffic.queues) {
    EXPECT_THAT(q.profile, SizeIs(40));  // 10 h of 15-minute intervals
  }
  // Every agent works exactly one shift.
  std::vector<int> shifts_of(routing.agents.size(), 0);
  for (const sim::Shift& shift : traffic.shifts) {
    for (acd::AgentId agent : shift.agents) {
      ++shifts_of[acd::index_of(agent)];
    }
  }
  EXPECT_TRUE(std::all_of(shifts_of.begin(), shifts_of.end(), [](int n) { return n == 1; }));
}

TEST(ConfigLoader, EmptyFileGivesTheStructDefaults) {
  SwitchboardConfig config = load_ok("");
  EXPECT_EQ(config.path, "test.yaml");
  EXPECT_THAT(config.routing.reason_codes, ElementsAre("none"));
  EXPECT_TRUE(config.routing.queues.empty());
  EXPECT_FALSE(config.traffic.has_value());
}

TEST(ConfigLoader, ValidConfigResolvesNamesIntoIds) {
  SwitchboardConfig config = load_ok(R"(
routing:
  reason_codes: [break, missed]
  missed: {reason: missed, auto_not_ready_after: 2}
skills: [billing, support, english]
teams: [north, south]
queues:
  billing:
    priority: 1
    strategy: linear
    skills: {english: 2, billing: 3}
    members: [bob, alice]
    max_wait: 10m
    overflow: "queue:support"
    expand:
      - {after: 30s, drop_skills: [english]}
      - {after: 60s, add_queues: [support], max_penalty: 2}
  support:
    channel: chat
    service_level: {target: 90, threshold: 1m}
agents:
  - name: alice
    team: south
    skills: {support: 4, billing: 5}
    penalties: {support: 1}
    capacity: {voice: 0, chat: 3}
  - name: bob
    skills: {english: 2}
    weight: 2.5
traffic:
  queues:
    support: {calls_per_day: 10}
  shifts:
    - team: south
      start: "08:00"
      end: "12:00"
      breaks: [{at: "10:00", length: 15m, reason: break}]
)");
  const acd::RoutingConfig& r = config.routing;
  const auto billing = acd::QueueId{0};
  const auto support = acd::QueueId{1};
  const auto alice = acd::AgentId{0};
  const auto bob = acd::AgentId{1};
  EXPECT_THAT(r.reason_codes, ElementsAre("none", "break", "missed"));
  EXPECT_EQ(r.missed.not_ready_reason, acd::ReasonCode{2});
  EXPECT_EQ(r.missed.auto_not_ready_after, 2);

  ASSERT_THAT(r.queues, SizeIs(2));
  EXPECT_EQ(r.find_queue("billing"), billing);  // file order is id order
  const acd::QueueConfig& q = r.queues[0];
  EXPECT_EQ(q.name, "billing");
  EXPECT_EQ(q.strategy, acd::Strategy::Linear);
  ASSERT_THAT(q.skills, SizeIs(2));  // file order, not skill order
  EXPECT_EQ(q.skills[0].skill, acd::SkillId{2});
  EXPECT_EQ(q.skills[0].min_proficiency, 2);
  EXPECT_EQ(q.skills[1].skill, acd::SkillId{0});
  EXPECT_THAT(q.members, ElementsAre(bob, alice));
  EXPECT_EQ(q.max_wait, Duration(10min));
  EXPECT_EQ(q.overflow.kind, acd::OverflowKind::Queue);
  EXPECT_EQ(q.overflow.queue, support);
  ASSERT_THAT(q.expansion, SizeIs(2));
  EXPECT_EQ(q.expansion[0].after, Duration(30s));
  EXPECT_THAT(q.expansion[0].drop_skills, ElementsAre(acd::SkillId{2}));
  EXPECT_THAT(q.expansion[1].add_queues, ElementsAre(support));
  EXPECT_EQ(q.expansion[1].max_penalty, 2);
  EXPECT_FALSE(q.expansion[1].min_proficiency.has_value());

  EXPECT_EQ(r.queues[1].channel, acd::Channel::Chat);
  EXPECT_DOUBLE_EQ(r.queues[1].service_level.target, 0.9);
  EXPECT_EQ(r.queues[1].service_level.threshold, Duration(1min));
  EXPECT_EQ(r.queues[1].overflow.kind, acd::OverflowKind::None);

  ASSERT_THAT(r.agents, SizeIs(2));
  const acd::AgentConfig& a = r.agents[0];
  EXPECT_EQ(a.team, acd::TeamId{1});
  ASSERT_THAT(a.skills, SizeIs(2));
  EXPECT_EQ(a.skills[0].skill, acd::SkillId{1});
  EXPECT_EQ(a.skills[0].proficiency, 4);
  ASSERT_THAT(a.penalties, SizeIs(1));
  EXPECT_EQ(a.penalties[0].queue, support);
  EXPECT_EQ(a.penalties[0].penalty, 1);
  EXPECT_EQ(a.capacity[0], 0);
  EXPECT_EQ(a.capacity[1], 3);
  EXPECT_EQ(a.capacity[2], 1);  // default kept
  EXPECT_FALSE(r.agents[1].team.has_value());
  EXPECT_DOUBLE_EQ(r.agents[1].weight, 2.5);

  ASSERT_TRUE(config.traffic.has_value());
  ASSERT_THAT(config.traffic->queues, SizeIs(1));
  EXPECT_EQ(config.traffic->queues[0].queue, support);
  ASSERT_THAT(config.traffic->shifts, SizeIs(1));
  const sim::Shift& shift = config.traffic->shifts[0];
  EXPECT_THAT(shift.agents, ElementsAre(alice));
  EXPECT_EQ(shift.start, Duration(8h));
  ASSERT_THAT(shift.breaks, SizeIs(1));
  EXPECT_EQ(shift.breaks[0].start, Duration(10h));
  EXPECT_EQ(shift.breaks[0].reason, acd::ReasonCode{1});
}

TEST(ConfigLoader, TemplateExpandsIntoNumberedAgents) {
  SwitchboardConfig config = load_ok(R"(
skills: [billing]
agents:
  - name: alice
  - {name: "bill-{n}", display_name: "Billing {n}", count: 3, first: 7, skills: {billing: 3}}
)");
  ASSERT_THAT(config.routing.agents, SizeIs(4));
  EXPECT_EQ(config.routing.agents[1].name, "bill-7");
  EXPECT_EQ(config.routing.agents[3].name, "bill-9");
  EXPECT_EQ(config.routing.agents[3].display_name, "Billing 9");
  EXPECT_THAT(config.routing.agents[3].skills, SizeIs(1));
}

TEST(ConfigLoader, MemberPatternsAddAgentsInAgentOrderAfterNamedOnes) {
  SwitchboardConfig config = load_ok(R"(
queues:
  sales: {strategy: round-robin, members: [sales-2, "sales-*"]}
agents:
  - {name: "sales-{n}", count: 3}
)");
  EXPECT_THAT(config.routing.queues[0].members,
              ElementsAre(acd::AgentId{1}, acd::AgentId{0}, acd::AgentId{2}));
}

TEST(ConfigLoader, AdminSocketDefaultsUnderDataAndRefusesUnusablePaths) {
  EXPECT_EQ(load_ok("").admin.socket, "data/switchboard.sock");
  EXPECT_EQ(load_ok("admin: {socket: /run/sb/admin.sock}").admin.socket, "/run/sb/admin.sock");
  LoadResult bad = load_config_text("admin:\n  socket: \"\"\n  port: 9\n", "t.yaml");
  EXPECT_THAT(positions(bad), ElementsAre(HasSubstr("2:11: admin.socket: must not be empty"),
                                          HasSubstr("3:3: unknown key \"port\"")));
  LoadResult long_path = load_config_text("admin: {socket: " + std::string(120, 'a') + "}", "t.yaml");
  EXPECT_THAT(positions(long_path), ElementsAre(HasSubstr("longer than 100 characters")));
}

TEST(ConfigLoader, MaxWaitWithoutOverflowHangsUp) {
  SwitchboardConfig config = load_ok("queues: {billing: {max_wait: 5m}, support: {}}");
  EXPECT_EQ(config.routing.queues[0].overflow.kind, acd::OverflowKind::Hangup);
  EXPECT_EQ(config.routing.queues[1].overflow.kind, acd::OverflowKind::None);
}

TEST(ConfigLoader, OverflowCanPlayAMessageFirst) {
  SwitchboardConfig config = load_ok(R"(
queues:
  billing: {max_wait: 5m, overflow: {to: hangup, message: closed-for-today}}
  support: {max_wait: 5m, overflow: {to: "queue:billing"}}
)");
  EXPECT_EQ(config.routing.queues[0].overflow.kind, acd::OverflowKind::Hangup);
  EXPECT_EQ(config.routing.queues[0].overflow.message, "closed-for-today");
  EXPECT_EQ(config.routing.queues[1].overflow.kind, acd::OverflowKind::Queue);
  EXPECT_EQ(config.routing.queues[1].overflow.queue, acd::QueueId{0});

  LoadResult bad = load_config_text("queues: {a: {overflow: {message: x, go: hangup}}}", "t.yaml");
  ASSERT_FALSE(bad.config);
  std::vector<std::string> messages;
  for (const auto& e : bad.errors) {
    messages.push_back(e.message);
  }
  EXPECT_THAT(messages, ::testing::UnorderedElementsAre(HasSubstr("unknown key \"go\""),
                                                        HasSubstr("missing required key \"to\"")));
}

TEST(ConfigLoader, ServiceLevelReadsPercentSlashSeconds) {
  SwitchboardConfig config =
      load_ok("queues: {a: {service_level: 90/15}, b: {service_level: 70%/1m}}");
  EXPECT_DOUBLE_EQ(config.routing.queues[0].service_level.target, 0.9);
  EXPECT_EQ(config.routing.queues[0].service_level.threshold, Duration(15s));
  EXPECT_DOUBLE_EQ(config.routing.queues[1].service_level.target, 0.7);
  EXPECT_EQ(config.routing.queues[1].service_level.threshold, Duration(1min));
}

TEST(ConfigLoader, CallsPerHourConvertsWithTheDayLength) {
  SwitchboardConfig config = load_ok(R"(
queues: {billing: {}}
traffic:
  day_length: 8h
  queues:
    billing:
      calls_per_hour: 25
      handle_time: {distribution: empirical, samples: [60s, 2m]}
)");
  ASSERT_TRUE(config.traffic.has_value());
  const sim::QueueTraffic& q = config.traffic->queues[0];
  EXPECT_DOUBLE_EQ(q.calls_per_day, 200);
  EXPECT_EQ(q.handle_time.kind, sim::DurationDistribution::Kind::Empirical);
  EXPECT_EQ(q.handle_time.mean, Duration(90s));
  EXPECT_FALSE(q.patience.has_value());
}

TEST(ConfigLoader, UnknownStrategyListsEveryChoice) {
  LoadResult result = load_config_text("queues:\n  q:\n    strategy: longest\n", "x.yaml");
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_EQ(result.errors[0].to_string(),
            "x.yaml:3:15: queues.q.strategy: unknown strategy \"longest\"; expected one of " +
                acd::strategy_choices());
  EXPECT_FALSE(result.config.has_value());
}

TEST(ConfigLoader, UnknownKeyIsReportedAtTheKey) {
  LoadResult result = load_config_text("queues:\n  billing:\n    prioritty: 2\n", "x.yaml");
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_THAT(result.errors[0].to_string(),
              testing::StartsWith("x.yaml:3:5: unknown key \"prioritty\" in queues.billing; "
                                  "expected one of channel, priority, "));
}

TEST(ConfigLoader, ReportsEveryErrorInFileOrder) {
  LoadResult result = load_config_text(R"(skills: [billing]
queues:
  billing:
    strategy: fastest
    wrap_up: soon
agents:
  - {name: alice, skills: {billing: 9}}
  - {name: alice}
traffic:
  queues: {nowhere: {calls_per_day: 1}}
)",
                                       "multi.yaml");
  EXPECT_THAT(positions(result),
              ElementsAre(HasSubstr("4:15: queues.billing.strategy: unknown strategy"),
                          HasSubstr("5:14: queues.billing.wrap_up: expected a duration"),
                          HasSubstr("7:37: agents[0].skills.billing: expected an integer"),
                          HasSubstr("8:12: agents[1].name: duplicate agent \"alice\""),
                          HasSubstr("10:12: traffic.queues.nowhere: unknown queue")));
  EXPECT_FALSE(result.config.has_value());
}

TEST(ConfigLoader, SyntaxErrorUsesYamlCppPosition) {
  LoadResult result = load_config_text("queues:\n  billing: {priority: 1\n", "bad.yaml");
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_THAT(result.errors[0].message, HasSubstr("YAML syntax error"));
  EXPECT_GT(result.errors[0].line, 0);
  EXPECT_FALSE(result.config.has_value());
}

TEST(ConfigLoader, MissingFileGivesOneDiagnostic) {
  LoadResult result = load_config_file(kSourceDir + "/tests/data/config/no_such_file.yaml");
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_THAT(result.errors[0].to_string(),
              HasSubstr("no_such_file.yaml: cannot open config file"));
  EXPECT_FALSE(result.config.has_value());
}

TEST(ConfigLoader, NeverThrowsOnOddDocuments) {
  for (const char* text : {"just a string", "[1, 2]", "? [a, b]\n: c", "queues: [a, b]",
                           "agents: {a: 1}", "traffic: 3", "a: &x [*x]", "\t"}) {
    LoadResult result;
    EXPECT_NO_THROW(result = load_config_text(text, "odd.yaml")) << text;
    EXPECT_EQ(result.config.has_value(), result.errors.empty()) << text;
  }
}

TEST(ConfigLoader, NeverThrowsOnAnyTruncationOfTheDemo) {
  std::ifstream in(kSourceDir + "/demo/switchboard.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string demo = text.str();
  ASSERT_FALSE(demo.empty());
  // Cutting mid-token produces odd scalars, unclosed flows and half-built maps.
  for (size_t length = 0; length < demo.size(); length += 13) {
    LoadResult result;
    EXPECT_NO_THROW(result = load_config_text(demo.substr(0, length), "cut.yaml")) << length;
    EXPECT_EQ(result.config.has_value(), result.errors.empty()) << length;
  }
}

// The data-driven cases: one small bad config per error class. "*_demo.yaml" files are good
// configs that their own tests load.
std::vector<std::string> bad_config_files() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kSourceDir + "/tests/data/config")) {
    if (entry.path().extension() == ".yaml" && !entry.path().stem().string().ends_with("_demo")) {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> expected_diagnostics(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# expect: ")) {
      out.push_back(line.substr(10));
    }
  }
  return out;
}

class BadConfig : public testing::TestWithParam<std::string> {};

TEST_P(BadConfig, ReportsExactlyTheExpectedDiagnostics) {
  const std::string path = kSourceDir + "/tests/data/config/" + GetParam() + ".yaml";
  const std::vector<std::string> expected = expected_diagnostics(path);
  ASSERT_FALSE(expected.empty()) << path << " has no \"# expect:\" lines";
  LoadResult result = load_config_file(path);
  EXPECT_EQ(positions(result), expected);
  EXPECT_FALSE(result.config.has_value());
  for (const Diagnostic& d : result.errors) {
    EXPECT_EQ(d.file, path);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, BadConfig, testing::ValuesIn(bad_config_files()),
                         [](const testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

}  // namespace
}  // namespace sb::app

namespace sb::app {
namespace {

TEST(SipSection, ReadsEveryKeyAndDefaultsTheListeners) {
  LoadResult none = load_config_text("skills: [a]\n", "s.yaml");
  ASSERT_TRUE(none.config);
  ASSERT_EQ(none.config->sip.listeners.size(), 2u);
  EXPECT_EQ(none.config->sip.listeners[0].transport, "udp");
  EXPECT_EQ(none.config->sip.listeners[1].transport, "tcp");
  EXPECT_TRUE(none.config->sip.require_auth);

  LoadResult r = load_config_text(
      "sip:\n"
      "  listen:\n"
      "    - {transport: udp, address: \"::1\", port: 5070}\n"
      "    - {transport: wss, address: 127.0.0.1, certificate: c.pem, private_key: k.pem}\n"
      "  timers: {t1: 250ms, t2: 2s, t4: 3s}\n"
      "  domains: [pbx.example.com]\n"
      "  realm: pbx.example.com\n"
      "  accounts: [{user: \"1001\", password: s1}]\n"
      "  registration: {default_expires: 10m, min_expires: 30s, max_expires: 1h, max_contacts: 3}\n"
      "  protection: {requests_per_second: 20, request_burst: 50, auth_failures: 3, auth_block: 1m}\n"
      "  trunks:\n"
      "    carrier: {registrar: \"sip:192.0.2.10:5060\", user: acme, password: pw, expires: 30m}\n",
      "s.yaml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const SipSettings& s = r.config->sip;
  ASSERT_EQ(s.listeners.size(), 2u);
  EXPECT_EQ(s.listeners[0].address, "::1");
  EXPECT_EQ(s.listeners[0].port, 5070);
  EXPECT_EQ(s.listeners[1].port, 5061);  // the wss default
  EXPECT_EQ(s.t1, std::chrono::milliseconds(250));
  EXPECT_EQ(s.t4, std::chrono::seconds(3));
  EXPECT_EQ(s.domains, std::vector<std::string>{"pbx.example.com"});
  ASSERT_EQ(s.accounts.size(), 1u);
  EXPECT_EQ(s.accounts[0].password, "s1");
  EXPECT_EQ(s.max_contacts, 3);
  EXPECT_EQ(s.default_expires, std::chrono::minutes(10));
  EXPECT_EQ(s.request_burst, 50);
  EXPECT_EQ(s.auth_block, std::chrono::minutes(1));
  ASSERT_EQ(s.trunks.size(), 1u);
  EXPECT_EQ(s.trunks[0].name, "carrier");
  EXPECT_EQ(s.trunks[0].auth_user, "acme");
  EXPECT_EQ(s.trunks[0].expires, std::chrono::minutes(30));
}

}  // namespace
}  // namespace sb::app

namespace sb::app {
namespace {

TEST(ConfigLoader, DeepNestingIsRefusedWithAReasonNotBadFile) {
  std::string yaml = "routing: ";
  for (int i = 0; i < 5000; ++i) yaml += "[";
  LoadResult result = load_config_text(yaml, "deep.yaml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].message, ::testing::HasSubstr("nested more than"));
  EXPECT_THAT(result.errors[0].message, ::testing::Not(::testing::HasSubstr("bad file")));
}

TEST(ConfigLoader, AHugeBrokenListGivesACappedErrorListWithTheCountOfTheRest) {
  // 20,000 accounts, every one listed twice: 20,000 errors, of which the first 100 are shown.
  std::string yaml = "sip:\n  accounts:\n";
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 20000; ++i) yaml += "    - {user: \"u" + std::to_string(i) + "\", password: p}\n";
  }
  LoadResult result = load_config_text(yaml, "big.yaml");
  ASSERT_EQ(result.errors.size(), YamlReader::kMaxDiagnostics + 1);
  EXPECT_EQ(result.errors[0].line, 20003);  // the first repeat, in file order
  EXPECT_THAT(result.errors[0].message, ::testing::HasSubstr("account \"u0\" is listed twice"));
  EXPECT_EQ(result.errors.back().message, "19900 more error(s) not shown: fix the first 100 and check again");
}

TEST(ConfigLoader, RepeatedNamesInLongListsAreFoundAtTheirLines) {
  std::string yaml = "skills: [";
  for (int i = 0; i < 5000; ++i) yaml += "s" + std::to_string(i) + ", ";
  yaml += "s42]\ninbound:\n  - {did: \"+1\", queue: q}\n  - {did: \"+1\", queue: q}\nqueues: {q: {}}\n";
  LoadResult result = load_config_text(yaml, "x.yaml");
  std::vector<std::string> messages;
  for (const auto& e : result.errors) messages.push_back(e.message);
  EXPECT_THAT(messages, ::testing::Contains(::testing::HasSubstr("duplicate skill \"s42\"")));
  EXPECT_THAT(messages, ::testing::Contains(::testing::HasSubstr("DID \"+1\" is listed twice")));
}

}  // namespace
}  // namespace sb::app
