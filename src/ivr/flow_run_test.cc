// ivr/flow_run_test.cc: the interpreter driven as the call layer drives it, with flows built in
// code and a virtual clock: prompts, menus and their retries, digit collection, branching, business
// hours, lookups, hand-overs, and the inputs a real call sends at the wrong moment.
#include "ivr/flow_run.h"

#include <date/date.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::ivr {
namespace {

using namespace std::chrono_literals;
using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::VariantWith;

using HoursMap = std::map<std::string, BusinessHours, std::less<>>;

TimePoint utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  auto day = date::sys_days{date::year{y} / date::month{m} / date::day{d}};
  return std::chrono::time_point_cast<Duration>(day + std::chrono::hours(hh) +
                                                std::chrono::minutes(mm));
}

// A Wednesday morning, UTC.
const TimePoint kMorning = utc(2026, 11, 25, 10);

// --- building flows: name the nodes first, then fill them in, so transitions read by name ---

Flow flow_of(std::vector<std::pair<std::string, NodeKind>> nodes) {
  Flow flow;
  flow.name = "test";
  for (auto& [name, kind] : nodes) {
    Node node;
    node.name = name;
    node.kind = kind;
    flow.nodes.push_back(std::move(node));
  }
  return flow;
}

Node& at(Flow& flow, std::string_view name) { return flow.nodes.at(flow.find(name)); }

Transition to(const Flow& flow, std::string_view name, std::vector<Assignment> set = {}) {
  return Transition{flow.find(name), std::move(set)};
}

// --- matchers for commands ---

auto Plays(std::vector<std::string> prompts) {
  return VariantWith<PlayPrompts>(Field(&PlayPrompts::prompts, ElementsAreArray(prompts)));
}
auto PlaysInterruptible(std::vector<std::string> prompts) {
  return VariantWith<PlayPrompts>(AllOf(Field(&PlayPrompts::prompts, ElementsAreArray(prompts)),
                                        Field(&PlayPrompts::interruptible, true)));
}
auto PlaysIn(std::string language) {
  return VariantWith<PlayPrompts>(Field(&PlayPrompts::language, language));
}
auto Stops() { return VariantWith<StopPrompts>(_); }
auto Routes(std::string queue) {
  return VariantWith<RouteToQueue>(Field(&RouteToQueue::queue, queue));
}
auto HangsUp(std::string reason) { return VariantWith<HangUp>(Field(&HangUp::reason, reason)); }

bool is_empty(const Step& step) {
  return step.commands.empty() && !step.deadline && !step.finished;
}

// Two queues and a menu in front of them: the shape most tests use.
Flow sales_billing_menu() {
  Flow f = flow_of({{"menu", NodeKind::Menu},
                    {"sales", NodeKind::Queue},
                    {"billing", NodeKind::Queue},
                    {"operator", NodeKind::Queue}});
  Node& menu = at(f, "menu");
  menu.prompts = {"main-menu"};
  menu.invalid_prompts = {"invalid-option"};
  menu.no_input_prompts = {"no-input"};
  menu.timeout = 4s;
  menu.retries = 2;
  menu.options = {{'1', to(f, "sales")}, {'2', to(f, "billing")}};
  menu.on_failure = to(f, "operator");
  at(f, "sales").queue = "sales";
  at(f, "billing").queue = "billing";
  at(f, "operator").queue = "operator";
  return f;
}

class FlowRunTest : public ::testing::Test {
 protected:
  VirtualClock clock_{kMorning};
  HoursMap hours_;
};

// --- play ---

TEST_F(FlowRunTest, PlayGoesToNextWhenThePromptsFinish) {
  Flow f = flow_of({{"welcome", NodeKind::Play}, {"sales", NodeKind::Queue}});
  at(f, "welcome").prompts = {"welcome", "recorded"};
  at(f, "welcome").next = to(f, "sales");
  at(f, "sales").queue = "sales";
  FlowRun run(f, clock_, hours_);
  EXPECT_EQ(run.current_node(), "");

  Step s = run.start();
  EXPECT_THAT(s.commands, ElementsAre(VariantWith<PlayPrompts>(AllOf(
                              Field(&PlayPrompts::prompts, ElementsAre("welcome", "recorded")),
                              Field(&PlayPrompts::language, "en"),
                              Field(&PlayPrompts::interruptible, false)))));
  EXPECT_FALSE(s.deadline);
  EXPECT_EQ(run.current_node(), "welcome");
  EXPECT_TRUE(is_empty(run.on_digit('1')));  // not a menu: the digit is ignored

  s = run.on_prompts_done();
  EXPECT_THAT(s.commands, ElementsAre(Routes("sales")));
  EXPECT_TRUE(s.finished);
  EXPECT_TRUE(run.finished());
  EXPECT_EQ(run.end_reason(), "queue");
  EXPECT_EQ(run.current_node(), "sales");
}

TEST_F(FlowRunTest, PlayWithoutNextHangsUp) {
  Flow f = flow_of({{"closed", NodeKind::Play}});
  at(f, "closed").prompts = {"closed"};
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_prompts_done();
  EXPECT_THAT(s.commands, ElementsAre(HangsUp("ivr: end of flow")));
  EXPECT_TRUE(s.finished);
}

// --- menu ---

TEST_F(FlowRunTest, MenuDigitDuringPromptsStopsThemAndIsTheChoice) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  Step s = run.start();
  EXPECT_THAT(s.commands, ElementsAre(PlaysInterruptible({"main-menu"})));
  EXPECT_FALSE(s.deadline);  // the wait starts when the prompts end

  s = run.on_digit('2');
  EXPECT_THAT(s.commands, ElementsAre(Stops(), Routes("billing")));
  EXPECT_TRUE(s.finished);
}

TEST_F(FlowRunTest, MenuDigitAfterPromptsTakesItsTransition) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_prompts_done();
  EXPECT_THAT(s.commands, IsEmpty());
  EXPECT_EQ(s.deadline, kMorning + 4s);
  clock_.advance(2s);
  EXPECT_THAT(run.on_digit('1').commands, ElementsAre(Routes("sales")));
}

TEST_F(FlowRunTest, MenuTimeoutRetriesWithNoInputPromptsThenTakesOnFailure) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_prompts_done();
  clock_.advance(4s);
  s = run.on_deadline();
  EXPECT_THAT(s.commands, ElementsAre(PlaysInterruptible({"no-input", "main-menu"})));
  EXPECT_FALSE(s.deadline);

  s = run.on_prompts_done();
  EXPECT_EQ(s.deadline, clock_.now() + 4s);
  clock_.advance(4s);
  // retries: 2 failed tries, then on_failure.
  s = run.on_deadline();
  EXPECT_THAT(s.commands, ElementsAre(Routes("operator")));
  EXPECT_TRUE(s.finished);
}

TEST_F(FlowRunTest, MenuWithoutFailureTargetHangsUpAfterTheRetries) {
  Flow f = sales_billing_menu();
  at(f, "menu").on_failure = {};
  at(f, "menu").retries = 1;
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  clock_.advance(4s);
  EXPECT_THAT(run.on_deadline().commands, ElementsAre(HangsUp("ivr: no valid input")));
  EXPECT_EQ(run.end_reason(), "ivr: no valid input");
}

TEST_F(FlowRunTest, InvalidDigitPlaysInvalidPromptsAndReplaysTheMenu) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_digit('9');
  EXPECT_THAT(s.commands,
              ElementsAre(Stops(), PlaysInterruptible({"invalid-option", "main-menu"})));
  // The replay is interruptible too, and a good digit now wins.
  s = run.on_digit('1');
  EXPECT_THAT(s.commands, ElementsAre(Stops(), Routes("sales")));
}

TEST_F(FlowRunTest, InvalidDigitsAndTimeoutsCountTowardsTheSameRetries) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  EXPECT_THAT(run.on_digit('7').commands,
              ElementsAre(PlaysInterruptible({"invalid-option", "main-menu"})));
  run.on_prompts_done();
  clock_.advance(4s);
  EXPECT_THAT(run.on_deadline().commands, ElementsAre(Routes("operator")));
}

TEST_F(FlowRunTest, MenuOptionAssignmentsRunBeforeTheNextNode) {
  Flow f = flow_of({{"lang", NodeKind::Menu}, {"hello", NodeKind::Play}, {"q", NodeKind::Queue}});
  at(f, "lang").prompts = {"press-1-english", "press-2-spanish"};
  at(f, "lang").options = {{'1', to(f, "hello", {{"language", "en"}})},
                           {'2', to(f, "hello", {{"language", "es"}})}};
  at(f, "hello").prompts = {"welcome"};
  at(f, "hello").next = to(f, "q");
  at(f, "q").queue = "support";
  FlowRun run(f, clock_, hours_);
  EXPECT_THAT(run.start().commands, ElementsAre(PlaysIn("en")));
  EXPECT_THAT(run.on_digit('2').commands, ElementsAre(Stops(), PlaysIn("es")));
  EXPECT_EQ(run.language(), "es");
  Step s = run.on_prompts_done();
  EXPECT_THAT(s.commands,
              ElementsAre(VariantWith<RouteToQueue>(Field(&RouteToQueue::language, "es"))));
}

// --- collect ---

Flow account_flow() {
  Flow f = flow_of(
      {{"account", NodeKind::Collect}, {"crm", NodeKind::Queue}, {"billing", NodeKind::Queue}});
  Node& c = at(f, "account");
  c.prompts = {"enter-account"};
  c.invalid_prompts = {"invalid-account"};
  c.no_input_prompts = {"no-input"};
  c.variable = "account";
  c.min_digits = 6;
  c.max_digits = 10;
  c.pattern = "[0-9]+";
  c.validator = "luhn";
  c.timeout = 5s;
  c.inter_digit_timeout = 3s;
  c.next = to(f, "crm");
  c.on_failure = to(f, "billing");
  at(f, "crm").queue = "support";
  at(f, "crm").attached = {{"account", "${account}"}};
  at(f, "billing").queue = "billing";
  return f;
}

Step press(FlowRun& run, std::string_view digits) {
  Step last;
  for (char d : digits) {
    last = run.on_digit(d);
  }
  return last;
}

TEST_F(FlowRunTest, CollectEndsAtTheTerminatorAndStoresTheDigits) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  EXPECT_THAT(run.start().commands, ElementsAre(PlaysInterruptible({"enter-account"})));
  Step s = run.on_digit('1');  // interrupts the prompt and counts as the first digit
  EXPECT_THAT(s.commands, ElementsAre(Stops()));
  EXPECT_EQ(s.deadline, kMorning + 3s);
  s = press(run, "2345674#");
  EXPECT_THAT(s.commands, ElementsAre(VariantWith<RouteToQueue>(Field(
                              &RouteToQueue::attached, ElementsAre(Pair("account", "12345674"))))));
  EXPECT_EQ(run.variables().at("account"), "12345674");
}

TEST_F(FlowRunTest, CollectEndsAtMaxDigits) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  Step s = press(run, "9876543217");  // 10 digits, Luhn-valid
  EXPECT_THAT(s.commands, ElementsAre(Routes("support")));
  EXPECT_EQ(run.variables().at("account"), "9876543217");
}

TEST_F(FlowRunTest, CollectEndsAfterTheInterDigitTimeout) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_prompts_done();
  EXPECT_EQ(s.deadline, kMorning + 5s);  // first digit: the node's timeout
  clock_.advance(1s);
  s = press(run, "1234566");
  EXPECT_EQ(s.deadline,
            kMorning + 1s + 3s);  // later digits: the inter-digit timeout
  clock_.advance(3s);
  EXPECT_THAT(run.on_deadline().commands, ElementsAre(Routes("support")));
  EXPECT_EQ(run.variables().at("account"), "1234566");
}

TEST_F(FlowRunTest, CollectRejectsBadChecksumThenAcceptsAGoodOne) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  Step s = press(run, "12345675#");  // Luhn fails
  EXPECT_THAT(s.commands, ElementsAre(PlaysInterruptible({"invalid-account", "enter-account"})));
  EXPECT_FALSE(run.variables().contains("account"));
  run.on_prompts_done();
  EXPECT_THAT(press(run, "12345674#").commands, ElementsAre(Routes("support")));
}

TEST_F(FlowRunTest, CollectRejectsWhatThePatternOrLengthRefuses) {
  Flow f = account_flow();
  at(f, "account").validator.clear();
  at(f, "account").retries = 3;
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  // '*' is a digit the pattern refuses.
  EXPECT_THAT(press(run, "1234*6#").commands,
              ElementsAre(PlaysInterruptible({"invalid-account", "enter-account"})));
  run.on_prompts_done();
  EXPECT_THAT(press(run, "123#").commands,  // shorter than min_digits
              ElementsAre(PlaysInterruptible({"invalid-account", "enter-account"})));
  run.on_prompts_done();
  EXPECT_THAT(press(run, "#").commands,
              ElementsAre(Routes("billing")));  // third failure
}

TEST_F(FlowRunTest, CollectWithNoInputPlaysNoInputPrompts) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  run.on_prompts_done();
  clock_.advance(5s);
  EXPECT_THAT(run.on_deadline().commands,
              ElementsAre(PlaysInterruptible({"no-input", "enter-account"})));
}

TEST_F(FlowRunTest, CollectUsesValidatorsFromTheCallLayer) {
  Flow f = account_flow();
  at(f, "account").validator = "even";
  std::map<std::string, Validator, std::less<>> validators;
  validators["even"] = [](std::string_view d) { return (d.back() - '0') % 2 == 0; };
  FlowRun run(f, clock_, hours_, {}, validators);
  run.start();
  run.on_prompts_done();
  EXPECT_THAT(press(run, "1234567#").commands,
              ElementsAre(PlaysInterruptible({"invalid-account", "enter-account"})));
  run.on_prompts_done();
  EXPECT_THAT(press(run, "1234568#").commands, ElementsAre(Routes("support")));
}

TEST_F(FlowRunTest, UnknownValidatorAcceptsNothing) {
  Flow f = account_flow();
  at(f, "account").validator = "nope";
  at(f, "account").retries = 1;
  FlowRun run(f, clock_, hours_);
  run.start();
  EXPECT_THAT(press(run, "12345674#").commands, ElementsAre(Routes("billing")));
}

// --- set and branch ---

TEST_F(FlowRunTest, SetAndBranchPickTheCase) {
  Flow f = flow_of({{"set", NodeKind::Set},
                    {"branch", NodeKind::Branch},
                    {"gold", NodeKind::Queue},
                    {"other", NodeKind::Queue}});
  at(f, "set").next = to(f, "branch", {{"tier", "gold"}, {"label", "${tier}-${caller}"}});
  at(f, "branch").branch_variable = "tier";
  at(f, "branch").cases = {{"silver", to(f, "other")}, {"gold", to(f, "gold")}};
  at(f, "branch").otherwise = to(f, "other");
  at(f, "gold").queue = "vip";
  at(f, "other").queue = "support";
  FlowRun run(f, clock_, hours_, {{"caller", "+15550100"}});
  EXPECT_THAT(run.start().commands, ElementsAre(Routes("vip")));
  EXPECT_EQ(run.variables().at("label"),
            "gold-+15550100");  // in order: sees the new tier
}

TEST_F(FlowRunTest, BranchTakesOtherwiseAndAcceptsAnExpression) {
  Flow f = flow_of({{"branch", NodeKind::Branch}, {"a", NodeKind::Queue}, {"b", NodeKind::Queue}});
  at(f, "branch").branch_variable = "${tier}/${lang}";
  at(f, "branch").cases = {{"gold/es", to(f, "a")}};
  at(f, "branch").otherwise = to(f, "b");
  at(f, "a").queue = "a";
  at(f, "b").queue = "b";
  FlowRun gold(f, clock_, hours_, {{"tier", "gold"}, {"lang", "es"}});
  EXPECT_THAT(gold.start().commands, ElementsAre(Routes("a")));
  FlowRun none(f, clock_, hours_);
  EXPECT_THAT(none.start().commands, ElementsAre(Routes("b")));
}

// --- hours ---

class HoursTest : public FlowRunTest {
 protected:
  HoursTest() {
    BusinessCalendar c;
    c.time_zone = "Europe/Madrid";
    for (size_t d = 0; d < 5; ++d) {
      c.weekly[d] = {OpenRange{8h, 20h}};
    }
    c.holidays.push_back({0, 12, 25, "Christmas", {}});
    c.holidays.push_back({0, 12, 24, "Christmas Eve", {OpenRange{9h, 13h}}});
    hours_.emplace("office", BusinessHours::create(c).value());
    f_ = flow_of({{"hours", NodeKind::Hours},
                  {"open", NodeKind::Queue},
                  {"closed", NodeKind::Hangup},
                  {"holiday", NodeKind::Hangup}});
    at(f_, "hours").calendar = "office";
    at(f_, "hours").open = to(f_, "open");
    at(f_, "hours").closed = to(f_, "closed");
    at(f_, "hours").holiday = to(f_, "holiday");
    at(f_, "open").queue = "sales";
    at(f_, "closed").reason = "closed";
    at(f_, "holiday").reason = "holiday";
  }
  std::vector<Command> run_at(TimePoint t) {
    clock_.set(t);
    FlowRun run(f_, clock_, hours_);
    return run.start().commands;
  }
  Flow f_;
};

TEST_F(HoursTest, OpenClosedAndHoliday) {
  EXPECT_THAT(run_at(utc(2026, 11, 25, 10)),
              ElementsAre(Routes("sales")));  // 11:00 CET
  EXPECT_THAT(run_at(utc(2026, 11, 25, 20)),
              ElementsAre(HangsUp("closed")));  // 21:00 CET
  EXPECT_THAT(run_at(utc(2026, 11, 28, 10)),
              ElementsAre(HangsUp("closed")));  // Saturday
  EXPECT_THAT(run_at(utc(2026, 12, 25, 10)),
              ElementsAre(HangsUp("holiday")));  // Christmas
  EXPECT_THAT(run_at(utc(2026, 12, 24, 9)),
              ElementsAre(Routes("sales")));  // morning hours
  EXPECT_THAT(run_at(utc(2026, 12, 24, 14)),
              ElementsAre(HangsUp("holiday")));  // afternoon
}

TEST_F(HoursTest, HolidayWithoutItsOwnTransitionCountsAsClosed) {
  at(f_, "hours").holiday = {};
  EXPECT_THAT(run_at(utc(2026, 12, 25, 10)), ElementsAre(HangsUp("closed")));
}

// --- lookup ---

Flow crm_flow() {
  Flow f = flow_of(
      {{"crm", NodeKind::Lookup}, {"support", NodeKind::Queue}, {"fallback", NodeKind::Queue}});
  Node& crm = at(f, "crm");
  crm.method = "POST";
  crm.url = "http://127.0.0.1:8090/customers/${account}";
  crm.body = R"({"caller": "${caller}"})";
  crm.lookup_timeout = 2s;
  crm.assign = {
      {"tier", "/tier"}, {"customer", "name"}, {"balance", "/account/balance"}, {"vip", "vip"}};
  crm.next = to(f, "support");
  crm.on_failure = to(f, "fallback");
  at(f, "support").queue = "support";
  at(f, "support").attached = {{"tier", "${tier}"}, {"customer", "${customer}"}};
  at(f, "fallback").queue = "fallback";
  return f;
}

TEST_F(FlowRunTest, LookupAssignsVariablesFromTheJsonAnswer) {
  Flow f = crm_flow();
  FlowRun run(f, clock_, hours_, {{"account", "12345674"}, {"caller", "+15550100"}});
  Step s = run.start();
  EXPECT_THAT(s.commands, ElementsAre(VariantWith<HttpLookup>(AllOf(
                              Field(&HttpLookup::method, "POST"),
                              Field(&HttpLookup::url, "http://127.0.0.1:8090/customers/12345674"),
                              Field(&HttpLookup::body, R"({"caller": "+15550100"})"),
                              Field(&HttpLookup::timeout, Duration(2s))))));
  EXPECT_EQ(s.deadline, kMorning + 2s);
  EXPECT_TRUE(is_empty(run.on_digit('5')));  // digits during the lookup are ignored

  s = run.on_lookup_result(
      {true, 200, R"({"tier": "gold", "name": "Ada", "account": {"balance": 12.5}, "vip": true})"});
  EXPECT_THAT(
      s.commands,
      ElementsAre(VariantWith<RouteToQueue>(Field(
          &RouteToQueue::attached, ElementsAre(Pair("tier", "gold"), Pair("customer", "Ada"))))));
  EXPECT_EQ(run.variables().at("balance"), "12.5");
  EXPECT_EQ(run.variables().at("vip"), "true");
}

TEST_F(FlowRunTest, LookupFailuresTakeOnFailure) {
  Flow f = crm_flow();
  const std::vector<LookupResult> failures = {
      {true, 404, R"({"error": "no such customer"})"},  // non-2xx
      {false, 0, ""},                                   // timeout or transport error
      {true, 200, "<html>oops</html>"},                 // not JSON
  };
  for (const LookupResult& failure : failures) {
    FlowRun run(f, clock_, hours_);
    run.start();
    EXPECT_THAT(run.on_lookup_result(failure).commands, ElementsAre(Routes("fallback")))
        << failure.status << " " << failure.body;
  }
}

TEST_F(FlowRunTest, LookupGivesUpAtItsTimeoutAndIgnoresTheLateAnswer) {
  Flow f = crm_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  clock_.advance(1s);
  EXPECT_THAT(run.on_deadline().commands, IsEmpty());  // not yet
  clock_.advance(1s);
  EXPECT_THAT(run.on_deadline().commands, ElementsAre(Routes("fallback")));
  EXPECT_TRUE(is_empty(run.on_lookup_result({true, 200, R"({"tier": "gold"})"})));
}

TEST_F(FlowRunTest, LookupWithoutFailureTargetGoesOnToNext) {
  Flow f = crm_flow();
  at(f, "crm").on_failure = {};
  FlowRun run(f, clock_, hours_);
  run.start();
  EXPECT_THAT(run.on_lookup_result({true, 503, ""}).commands, ElementsAre(Routes("support")));
}

// --- hand-overs ---

TEST_F(FlowRunTest, QueueAttachesExpandedDataAndPriority) {
  Flow f = flow_of({{"billing", NodeKind::Queue}});
  Node& q = at(f, "billing");
  q.queue = "billing";
  q.priority = 1;
  q.attached = {{"reason", "billing"}, {"account", "${account}"}, {"missing", "${nope}"}};
  FlowRun run(f, clock_, hours_, {{"account", "42"}});
  Step s = run.start();
  EXPECT_THAT(s.commands, ElementsAre(VariantWith<RouteToQueue>(AllOf(
                              Field(&RouteToQueue::priority, 1),
                              Field(&RouteToQueue::attached,
                                    ElementsAre(Pair("reason", "billing"), Pair("account", "42"),
                                                Pair("missing", "")))))));
  EXPECT_TRUE(s.finished);
}

TEST_F(FlowRunTest, VoicemailPlaysTheGreetingRecordsThenHangsUp) {
  Flow f = flow_of({{"vm", NodeKind::Voicemail}});
  at(f, "vm").prompts = {"leave-a-message"};
  at(f, "vm").mailbox = "general";
  at(f, "vm").max_length = 2min;
  FlowRun run(f, clock_, hours_);
  EXPECT_THAT(run.start().commands, ElementsAre(Plays({"leave-a-message"})));
  EXPECT_TRUE(is_empty(run.on_voicemail_done()));  // not recording yet
  EXPECT_THAT(run.on_prompts_done().commands,
              ElementsAre(VariantWith<RecordVoicemail>(
                  AllOf(Field(&RecordVoicemail::mailbox, "general"),
                        Field(&RecordVoicemail::max_length, Duration(2min))))));
  EXPECT_FALSE(run.finished());
  Step s = run.on_voicemail_done();
  EXPECT_THAT(s.commands, ElementsAre(HangsUp("voicemail")));
  EXPECT_TRUE(s.finished);
}

TEST_F(FlowRunTest, CallbackConfirmsThenRequestsAndHangsUp) {
  Flow f = flow_of({{"cb", NodeKind::Callback}});
  at(f, "cb").prompts = {"we-will-call-you"};
  at(f, "cb").callback_queue = "support";
  FlowRun run(f, clock_, hours_, {{"caller", "+15550100"}});
  EXPECT_THAT(run.start().commands, ElementsAre(Plays({"we-will-call-you"})));
  Step s = run.on_prompts_done();
  EXPECT_THAT(
      s.commands,
      ElementsAre(VariantWith<RequestCallback>(AllOf(Field(&RequestCallback::queue, "support"),
                                                     Field(&RequestCallback::number, "+15550100"))),
                  HangsUp("callback requested")));
  EXPECT_EQ(run.end_reason(), "callback requested");
}

TEST_F(FlowRunTest, TransferAndHangupEndTheFlow) {
  Flow f = flow_of({{"xfer", NodeKind::Transfer}});
  at(f, "xfer").number = "+1555${ext}";
  FlowRun run(f, clock_, hours_, {{"ext", "0123"}});
  Step s = run.start();
  EXPECT_THAT(s.commands,
              ElementsAre(VariantWith<TransferOut>(Field(&TransferOut::number, "+15550123"))));
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(run.end_reason(), "transfer");

  Flow g = flow_of({{"bye", NodeKind::Hangup}});
  at(g, "bye").prompts = {"goodbye"};
  at(g, "bye").reason = "closed";
  FlowRun bye(g, clock_, hours_);
  EXPECT_THAT(bye.start().commands, ElementsAre(Plays({"goodbye"})));
  EXPECT_THAT(bye.on_prompts_done().commands, ElementsAre(HangsUp("closed")));
}

// --- variables and language ---

TEST_F(FlowRunTest, LanguageNodeChangesLaterPrompts) {
  Flow f = flow_of({{"hi", NodeKind::Play}, {"es", NodeKind::Language}, {"hola", NodeKind::Play}});
  f.language = "en";
  at(f, "hi").prompts = {"hello"};
  at(f, "hi").next = to(f, "es");
  at(f, "es").language = "es";
  at(f, "es").next = to(f, "hola");
  at(f, "hola").prompts = {"greeting-${tier}", "${empty}"};
  FlowRun run(f, clock_, hours_, {{"tier", "gold"}});
  EXPECT_THAT(run.start().commands, ElementsAre(PlaysIn("en")));
  Step s = run.on_prompts_done();
  // "${empty}" expands to nothing and is left out.
  EXPECT_THAT(s.commands, ElementsAre(AllOf(Plays({"greeting-gold"}), PlaysIn("es"))));
  EXPECT_EQ(run.language(), "es");
  EXPECT_EQ(run.variables().at("language"), "es");
}

// --- guards and the wrong input at the wrong time ---

TEST_F(FlowRunTest, LoopWithoutInputIsHungUp) {
  Flow f = flow_of({{"set", NodeKind::Set}, {"branch", NodeKind::Branch}});
  at(f, "set").next = to(f, "branch", {{"n", "x${n}"}});
  at(f, "branch").branch_variable = "never";
  at(f, "branch").otherwise = to(f, "set");
  FlowRun run(f, clock_, hours_);
  Step s = run.start();
  EXPECT_THAT(s.commands, ElementsAre(HangsUp("ivr loop")));
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(run.end_reason(), "too many steps");
  EXPECT_EQ(run.variables().at("n").size(),
            32u);  // 64 transitions: 32 rounds of set, branch
}

TEST_F(FlowRunTest, TheLoopGuardCountsPerInput) {
  // A menu that comes back to itself through a set node is fine: each round waits for a digit.
  Flow f = flow_of({{"menu", NodeKind::Menu}, {"count", NodeKind::Set}});
  at(f, "menu").prompts = {"again"};
  at(f, "menu").options = {{'1', to(f, "count")}};
  at(f, "count").next = to(f, "menu", {{"n", "x${n}"}});
  FlowRun run(f, clock_, hours_);
  run.start();
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(run.on_digit('1').commands, ElementsAre(Stops(), PlaysInterruptible({"again"})));
  }
  EXPECT_FALSE(run.finished());
}

TEST_F(FlowRunTest, StaleOrEarlyDeadlinesAreIgnored) {
  Flow f = account_flow();
  FlowRun run(f, clock_, hours_);
  run.start();
  Step s = run.on_prompts_done();
  const TimePoint first = *s.deadline;  // now + 5s
  clock_.advance(4s);
  s = run.on_digit('1');
  ASSERT_EQ(s.deadline, clock_.now() + 3s);
  clock_.set(first);  // the first timer fires: no longer the deadline in force
  s = run.on_deadline();
  EXPECT_THAT(s.commands, IsEmpty());
  EXPECT_EQ(s.deadline, kMorning + 7s);  // the one in force, repeated
  EXPECT_FALSE(run.finished());

  Flow play = flow_of({{"p", NodeKind::Play}});
  at(play, "p").prompts = {"x"};
  FlowRun playing(play, clock_, hours_);
  playing.start();
  EXPECT_TRUE(is_empty(playing.on_deadline()));  // nothing waits on a deadline
}

TEST_F(FlowRunTest, UnexpectedInputsAreIgnored) {
  Flow f = sales_billing_menu();
  FlowRun run(f, clock_, hours_);
  // Before start.
  EXPECT_TRUE(is_empty(run.on_digit('1')));
  EXPECT_TRUE(is_empty(run.on_prompts_done()));
  EXPECT_TRUE(is_empty(run.on_deadline()));
  EXPECT_TRUE(is_empty(run.on_lookup_result({true, 200, "{}"})));
  EXPECT_TRUE(is_empty(run.on_voicemail_done()));
  run.start();
  EXPECT_TRUE(is_empty(run.start()));        // only once
  EXPECT_TRUE(is_empty(run.on_digit('x')));  // not DTMF
  EXPECT_TRUE(is_empty(run.on_lookup_result({true, 200, "{}"})));
  run.on_digit('1');
  ASSERT_TRUE(run.finished());
  // After the hand-over.
  EXPECT_TRUE(is_empty(run.on_digit('2')));
  EXPECT_TRUE(is_empty(run.on_prompts_done()));
  EXPECT_TRUE(is_empty(run.on_deadline()));
  EXPECT_TRUE(is_empty(run.on_voicemail_done()));
}

TEST_F(FlowRunTest, EmptyFlowOrBadStartHangsUp) {
  Flow empty;
  FlowRun run(empty, clock_, hours_);
  EXPECT_THAT(run.start().commands, ElementsAre(HangsUp("ivr: end of flow")));
  EXPECT_EQ(run.current_node(), "");
}

TEST_F(FlowRunTest, UnknownCalendarCountsAsOpen) {
  Flow f =
      flow_of({{"h", NodeKind::Hours}, {"open", NodeKind::Queue}, {"closed", NodeKind::Hangup}});
  at(f, "h").calendar = "missing";
  at(f, "h").open = to(f, "open");
  at(f, "h").closed = to(f, "closed");
  at(f, "open").queue = "q";
  FlowRun run(f, clock_, hours_);
  EXPECT_THAT(run.start().commands, ElementsAre(Routes("q")));
}

}  // namespace
}  // namespace sb::ivr
