// store/store_test.cc: the SQLite store and the write-behind batcher on real database files,
// including a writer killed with SIGKILL after an event was reported durable.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "store/sqlite_store.h"
#include "store/state_writer.h"
#include "store/write_behind.h"

namespace sb::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("sb-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

events::Event event(std::string id, events::EventKind kind, int second, std::string queue = "",
                       std::string agent = "") {
  events::Event e;
  e.interaction_id = std::move(id);
  e.kind = kind;
  e.at = TimePoint{} + std::chrono::seconds(1'800'000'000 + second);
  e.queue = std::move(queue);
  e.agent = std::move(agent);
  e.data = R"({"ani":"+15551230000"})";
  return e;
}

// Rows as SQLite itself returns them, without going through SqliteStore.
std::vector<std::string> raw_rows(const std::string& path,
                                  const char* sql = "SELECT interaction_id || '|' || kind || '|' || queue || '|' || agent "
                                                    "FROM interaction_events ORDER BY seq") {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST(SqliteStore, AgentAndQualityEventsShareTheLogButNotTheInteractionView) {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("cc.db"));
  ASSERT_TRUE(store) << store.error().to_string();
  std::vector<events::Event> events = {event("", events::EventKind::AgentLogin, 0, "", "alice"),
                                       event("i-1", events::EventKind::Arrived, 1),
                                       event("i-1", events::EventKind::AgentOffered, 2, "sales", "alice"),
                                       event("i-1", events::EventKind::LegQuality, 3, "sales", "alice")};
  ASSERT_TRUE((*store)->append(events));
  EXPECT_EQ(raw_rows(dir.file("cc.db"), "SELECT seq || '|' || topic || '|' || kind FROM events ORDER BY seq"),
            (std::vector<std::string>{"1|agent|agent-login", "2|interaction|arrived", "3|agent|agent-offered",
                                      "4|quality|leg-quality"}));
  EXPECT_EQ(raw_rows(dir.file("cc.db")), (std::vector<std::string>{"i-1|arrived||"}));
  EXPECT_EQ(raw_rows(dir.file("cc.db"), "SELECT interaction_id FROM interactions"), (std::vector<std::string>{"i-1"}))
      << "only interaction events make summary rows";
  auto back = (*store)->events_of("i-1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->size(), 3u) << "an interaction's own events, every topic";
}

TEST(SqliteStore, AppendsRowsAndReadsThemBack) {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("cc.db"));
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->schema_version(), 5);
  std::vector<events::Event> events = {event("i-1", events::EventKind::Arrived, 0),
                                          event("i-1", events::EventKind::Queued, 5, "billing"),
                                          event("i-2", events::EventKind::Arrived, 6),
                                          event("i-1", events::EventKind::Answered, 40, "billing", "1001")};
  ASSERT_TRUE((*store)->append(events));
  auto back = (*store)->events_of("i-1");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[2], events[3]);
  EXPECT_EQ(raw_rows(dir.file("cc.db")),
            (std::vector<std::string>{"i-1|arrived||", "i-1|queued|billing|", "i-2|arrived||", "i-1|answered|billing|1001"}));
  // A second open (a restart) keeps the rows and runs no migration twice.
  store->reset();
  auto again = SqliteStore::open(dir.file("cc.db"));
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->events_of("i-1")->size(), 3u);
}

TEST(SqliteStore, ErrorsNameTheFile) {
  auto store = SqliteStore::open("/nonexistent-dir/cc.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().where, "/nonexistent-dir/cc.db");
  TempDir dir;
  {
    std::ofstream(dir.file("junk.db")) << "this is not a database, it is text long enough to be read as a header....";
  }
  EXPECT_FALSE(SqliteStore::open(dir.file("junk.db")));
}

TEST(SqliteStore, RefusesASchemaNewerThanTheBuild) {
  TempDir dir;
  ASSERT_TRUE(SqliteStore::open(dir.file("cc.db")));
  sqlite3* db = nullptr;
  sqlite3_open(dir.file("cc.db").c_str(), &db);
  sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto store = SqliteStore::open(dir.file("cc.db"));
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos);
}

// A version-2 database (before `direction`) gets the column from its rows' arrived events.
TEST(SqliteStore, MigrationThreeTakesTheDirectionFromTheArrivedEvents) {
  TempDir dir;
  {
    auto store = SqliteStore::open(dir.file("cc.db"));
    ASSERT_TRUE(store);
    const TimePoint t0 = TimePoint{std::chrono::seconds(1'800'000'000)};
    ASSERT_TRUE((*store)->append(std::vector<events::Event>{
        {"c-1", events::EventKind::Arrived, t0, "", "", R"({"caller":"+15551234"})"},
        {"c-2", events::EventKind::Arrived, t0, "", "alice", R"({"direction":"internal","consultation":true})"},
        {"c-3", events::EventKind::Arrived, t0, "", "alice", R"({"direction":"outbound"})"}}));
  }
  sqlite3* db = nullptr;
  sqlite3_open(dir.file("cc.db").c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db, "DROP VIEW interaction_events; DROP INDEX events_by_topic; "
                         "ALTER TABLE events DROP COLUMN topic; ALTER TABLE events RENAME TO interaction_events; "
                         "ALTER TABLE interactions DROP COLUMN direction; DROP TABLE runtime_state; "
                         "UPDATE schema_version SET version = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = SqliteStore::open(dir.file("cc.db"));
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->schema_version(), 5);
  EXPECT_EQ((*(*store)->interaction("c-1"))->direction, "inbound");
  EXPECT_EQ((*(*store)->interaction("c-2"))->direction, "internal");
  EXPECT_EQ((*(*store)->interaction("c-3"))->direction, "outbound");
}

TEST(WriteBehind, BatchesManyEventsIntoFewTransactions) {
  TempDir dir;
  std::atomic<uint64_t> durable{0};
  WriteBehindOptions options;
  options.max_batch = 500;
  std::string path = dir.file("cc2.db");
  WriteBehind writer(
      [path]() -> Result<std::unique_ptr<EventStore>> {
        auto s = SqliteStore::open(path);
        if (!s) return s.error();
        return std::unique_ptr<EventStore>(std::move(*s));
      },
      options, [&](uint64_t sequence) { durable = sequence; });
  for (int i = 0; i < 2000; ++i) {
    writer.submit(event("i-" + std::to_string(i % 100), events::EventKind::Queued, i, "support"));
  }
  writer.flush();
  EXPECT_EQ(durable.load(), 2000u);
  auto stats = writer.stats();
  EXPECT_EQ(stats.durable, 2000u);
  EXPECT_LE(stats.batches, 20u);  // batched, not one transaction per event
  EXPECT_EQ(raw_rows(path).size(), 2000u);
}

// The summary row follows the events: queue, agent, wait and talk time, outcome, recording.
TEST(SqliteStore, KeepsOneSummaryRowPerInteraction) {
  TempDir dir;
  const std::string path = dir.file("summary.db");
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store) << store.error().to_string();
  const TimePoint t0 = TimePoint{std::chrono::seconds(1'800'000'000)};
  using K = events::EventKind;
  std::vector<events::Event> answered = {
      {"ix-1", K::Arrived, t0, "", "", R"({"caller":"+15551234","did":"+15550100"})"},
      {"ix-1", K::IvrExit, t0 + 8s, "", "", R"({"to":"queue","queue":"billing"})"},
      {"ix-1", K::Queued, t0 + 8s, "billing", "", R"({"position":1})"},
      {"ix-1", K::Offered, t0 + 9s, "billing", "alice", "{}"},
      {"ix-1", K::Answered, t0 + 12s, "billing", "alice", "{}"},
      {"ix-1", K::Ended, t0 + 72s, "billing", "alice", R"({"recording":"/r/ix-1.wav"})"},
  };
  std::vector<events::Event> abandoned = {
      {"ix-2", K::Arrived, t0, "", "", R"({"caller":"+15559999"})"},
      {"ix-2", K::Queued, t0 + 1s, "support", "", "{}"},
      {"ix-2", K::Abandoned, t0 + 31s, "support", "", "{}"},
      {"ix-2", K::Ended, t0 + 31s, "support", "", "{}"},
  };
  ASSERT_TRUE((*store)->append(answered));
  ASSERT_TRUE((*store)->append(abandoned));
  ASSERT_TRUE((*store)->append(std::vector<events::Event>{{"ix-1", K::WrapUpDone, t0 + 87s, "billing", "alice", "{}"}}));

  auto one = (*store)->interaction("ix-1");
  ASSERT_TRUE(one && *one);
  const InteractionSummary& a = **one;
  EXPECT_EQ(a.caller, "+15551234");
  EXPECT_EQ(a.did, "+15550100");
  EXPECT_EQ(a.queue, "billing");
  EXPECT_EQ(a.agent, "alice");
  EXPECT_EQ(a.outcome, "answered");
  EXPECT_EQ(a.wait_ms, 4000);
  EXPECT_EQ(a.talk_ms, 60000);
  EXPECT_EQ(a.recording, "/r/ix-1.wav");
  EXPECT_EQ(a.wrap_up_done, t0 + 87s);

  auto two = (*store)->interaction("ix-2");
  ASSERT_TRUE(two && *two);
  EXPECT_EQ((*two)->outcome, "abandoned");
  EXPECT_EQ((*two)->wait_ms, 30000);
  EXPECT_FALSE((*two)->talk_ms);
  EXPECT_EQ((*two)->agent, "");

  EXPECT_EQ(a.direction, "inbound");
  ASSERT_TRUE((*store)->append(std::vector<events::Event>{
      {"ix-4", K::Arrived, t0, "", "alice", R"({"direction":"internal","consultation":true,"caller":"1001"})"},
      {"ix-5", K::Arrived, t0, "", "alice", R"({"direction":"outbound","caller":"1001","number":"+15559876543"})"}}));
  EXPECT_EQ((*(*store)->interaction("ix-4"))->direction, "internal");
  EXPECT_EQ((*(*store)->interaction("ix-5"))->direction, "outbound");

  auto none = (*store)->interaction("ix-3");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

// A store that fails its first appends (disk full, locked database) and then works.
class FlakyStore final : public EventStore {
 public:
  FlakyStore(int failures, std::vector<events::Event>* kept) : failures_(failures), kept_(kept) {}
  Result<void> append(std::span<const events::Event> events) override {
    if (failures_-- > 0) return Error{"disk full", "flaky"};
    kept_->insert(kept_->end(), events.begin(), events.end());
    return {};
  }
  Result<std::vector<events::Event>> events_of(const std::string&) override { return *kept_; }
  Result<std::optional<InteractionSummary>> interaction(const std::string&) override {
    return std::optional<InteractionSummary>();
  }

 private:
  int failures_;
  std::vector<events::Event>* kept_;
};

TEST(WriteBehind, RetriesAFailingStoreWithoutLosingEvents) {
  std::vector<events::Event> kept;
  WriteBehindOptions options;
  options.retry = 10ms;
  WriteBehind writer([&]() -> Result<std::unique_ptr<EventStore>> { return std::unique_ptr<EventStore>(new FlakyStore(3, &kept)); },
                     options);
  for (int i = 0; i < 10; ++i) writer.submit(event("i-1", events::EventKind::Held, i));
  writer.flush();
  EXPECT_EQ(kept.size(), 10u);
  EXPECT_EQ(writer.stats().failures, 3u);
  ASSERT_TRUE(writer.stats().last_error);
  EXPECT_EQ(writer.stats().last_error->message, "disk full");
}

TEST(WriteBehind, SpillsToAFileWhenTheStoreNeverRecoversAtShutdown) {
  TempDir dir;
  std::vector<events::Event> kept;
  WriteBehindOptions options;
  options.retry = 5ms;
  options.retries_at_stop = 2;
  options.spill_path = dir.file("events.spill");
  {
    WriteBehind writer(
        [&]() -> Result<std::unique_ptr<EventStore>> { return std::unique_ptr<EventStore>(new FlakyStore(1000000, &kept)); },
        options);
    writer.submit(event("i-9", events::EventKind::Ended, 1, "sales", "1002"));
    writer.submit(event("i-9", events::EventKind::WrapUpDone, 2, "sales", "1002"));
  }
  std::ifstream spill(dir.file("events.spill"));
  std::string line1, line2;
  std::getline(spill, line1);
  std::getline(spill, line2);
  EXPECT_EQ(line1.substr(0, 10), "i-9\tended\t");
  EXPECT_NE(line2.find("wrap-up-done"), std::string::npos);
  EXPECT_TRUE(kept.empty());
}

// The durability promise: once an event is reported durable, SIGKILL loses nothing.
TEST(WriteBehind, AnEventReportedDurableSurvivesKillNine) {
  TempDir dir;
  const std::string path = dir.file("cc.db");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    std::atomic<uint64_t> durable{0};
    WriteBehind writer(
        [path]() -> Result<std::unique_ptr<EventStore>> {
          auto s = SqliteStore::open(path);
          if (!s) return s.error();
          return std::unique_ptr<EventStore>(std::move(*s));
        },
        {}, [&](uint64_t sequence) { durable = sequence; });
    writer.submit(event("call-7", events::EventKind::Arrived, 0));
    writer.submit(event("call-7", events::EventKind::Answered, 20, "billing", "1001"));
    const uint64_t ended = writer.submit(event("call-7", events::EventKind::Ended, 80, "billing", "1001"));
    while (durable.load() < ended) std::this_thread::sleep_for(1ms);
    (void)!::write(fds[1], "D", 1);
    for (int i = 0;; ++i) {  // keeps writing other calls until killed
      writer.submit(event("call-" + std::to_string(100 + i), events::EventKind::Arrived, i));
      std::this_thread::sleep_for(1ms);
    }
  }
  ::close(fds[1]);
  char c = 0;
  ASSERT_EQ(::read(fds[0], &c, 1), 1);
  std::this_thread::sleep_for(30ms);  // let it be in the middle of later batches
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store) << store.error().to_string();
  auto events = (*store)->events_of("call-7");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].kind, events::EventKind::Ended);
  EXPECT_EQ((*events)[2].agent, "1001");
}

StateWriter::StoreFactory state_at(const std::string& path) {
  return [path]() -> Result<std::unique_ptr<StateStore>> {
    auto s = SqliteStore::open(path);
    if (!s) return s.error();
    return std::unique_ptr<StateStore>(std::move(*s));
  };
}

TEST(SqliteStore, RuntimeStateKeepsTheNewestValuePerKeyAndForgetsErasedKeys) {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("cc.db"));
  ASSERT_TRUE(store);
  std::vector<StateChange> first = {{"binding/sip:1001@a", "one"}, {"binding/sip:1002@a", "two"}, {"agent/alice", "ready"}};
  ASSERT_TRUE((*store)->put_state(first));
  std::vector<StateChange> second = {{"binding/sip:1001@a", "one again"}, {"binding/sip:1002@a", std::nullopt}};
  ASSERT_TRUE((*store)->put_state(second));
  auto bindings = (*store)->load_state("binding/");
  ASSERT_TRUE(bindings);
  EXPECT_EQ(*bindings, (std::vector<std::pair<std::string, std::string>>{{"binding/sip:1001@a", "one again"}}));
  auto agents = (*store)->load_state("agent/");
  ASSERT_TRUE(agents);
  EXPECT_EQ(agents->size(), 1u);
}

TEST(StateWriter, CoalescesChangesToAKeyAndWritesThemBehind) {
  TempDir dir;
  const std::string path = dir.file("cc.db");
  {
    StateWriter writer(state_at(path));
    for (int i = 0; i < 100; ++i) writer.put("agent/alice", "state " + std::to_string(i));
    writer.put("agent/bob", "ready");
    writer.erase("agent/bob");
    writer.flush();
    EXPECT_EQ(writer.stats().submitted, 102u);
    EXPECT_LT(writer.stats().written, 102u);  // coalesced: not one write per change
  }
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store);
  auto agents = (*store)->load_state("agent/");
  ASSERT_TRUE(agents);
  EXPECT_EQ(*agents, (std::vector<std::pair<std::string, std::string>>{{"agent/alice", "state 99"}}));
}

TEST(StateWriter, RetriesAStoreThatCannotOpenYetWithoutLosingTheNewestValue) {
  TempDir dir;
  const std::string path = dir.file("later/cc.db");  // its directory does not exist yet
  StateWriter writer(state_at(path), 1ms, 5ms);
  writer.put("agent/alice", "first");
  writer.put("agent/alice", "second");
  std::this_thread::sleep_for(30ms);
  EXPECT_GE(writer.stats().failures, 1u);
  fs::create_directories(dir.file("later"));
  writer.flush();
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store);
  auto agents = (*store)->load_state("agent/");
  ASSERT_TRUE(agents);
  EXPECT_EQ(*agents, (std::vector<std::pair<std::string, std::string>>{{"agent/alice", "second"}}));
}

}  // namespace
}  // namespace sb::store
