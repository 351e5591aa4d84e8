// store/sqlite_store.cc
#include "store/sqlite_store.h"

#include "store/sqlite_summary.h"

#include <sqlite3.h>

#include <array>
#include <chrono>

namespace sb::store {
namespace {

// Each entry upgrades the schema by one version; never edit one that has shipped, add a new
// one. schema_version holds how many have run.
constexpr std::array<const char*, 5> kMigrations = {
    R"sql(
      CREATE TABLE interaction_events (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        interaction_id TEXT    NOT NULL,
        kind           TEXT    NOT NULL,
        at_us          INTEGER NOT NULL,   -- microseconds since the Unix epoch, UTC
        queue          TEXT    NOT NULL DEFAULT '',
        agent          TEXT    NOT NULL DEFAULT '',
        data           TEXT    NOT NULL DEFAULT '{}'
      );
      CREATE INDEX interaction_events_by_interaction ON interaction_events (interaction_id, seq);
      CREATE INDEX interaction_events_by_time ON interaction_events (at_us);
    )sql",
    // 2: one summary row per interaction (interaction_summary.h), kept by append().
    R"sql(
      CREATE TABLE interactions (
        interaction_id  TEXT PRIMARY KEY,
        caller          TEXT NOT NULL DEFAULT '',
        did             TEXT NOT NULL DEFAULT '',
        queue           TEXT NOT NULL DEFAULT '',
        agent           TEXT NOT NULL DEFAULT '',
        arrived_us      INTEGER,
        queued_us       INTEGER,
        answered_us     INTEGER,
        ended_us        INTEGER,
        wrap_up_done_us INTEGER,
        wait_ms         INTEGER,
        talk_ms         INTEGER,
        outcome         TEXT NOT NULL DEFAULT 'in-progress',
        recording       TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX interactions_by_arrival ON interactions (arrived_us);
      INSERT INTO interactions (interaction_id, arrived_us)
        SELECT interaction_id, MIN(at_us) FROM interaction_events GROUP BY interaction_id;
    )sql",
    // 3: which way the call went: a customer's (inbound), an agent's dial-out (outbound), or an
    // agent's consultation with a colleague or queue (internal), so reports can leave out what
    // is not customer traffic. Earlier rows take it from their arrived event.
    R"sql(
      ALTER TABLE interactions ADD COLUMN direction TEXT NOT NULL DEFAULT 'inbound';
      UPDATE interactions SET direction = CASE
          WHEN (SELECT json_extract(data, '$.consultation') FROM interaction_events e
                WHERE e.interaction_id = interactions.interaction_id AND e.kind = 'arrived' LIMIT 1)
            THEN 'internal'
          ELSE COALESCE((SELECT json_extract(data, '$.direction') FROM interaction_events e
                         WHERE e.interaction_id = interactions.interaction_id AND e.kind = 'arrived' LIMIT 1),
                        'inbound') END;
    )sql",
    // 4: live state that survives a restart (state_store.h): phones' bindings, agents' logins.
    R"sql(
      CREATE TABLE runtime_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_us INTEGER NOT NULL   -- microseconds since the Unix epoch, UTC
      );
    )sql",
    // 5: one event log for every topic (events/event.h: interaction, agent, quality), in one
    // sequence so a reader can resume from a seq; interaction_events stays, as the view of the
    // interaction topic that existing queries read.
    R"sql(
      ALTER TABLE interaction_events RENAME TO events;
      ALTER TABLE events ADD COLUMN topic TEXT NOT NULL DEFAULT 'interaction';
      CREATE INDEX events_by_topic ON events (topic, seq);
      CREATE VIEW interaction_events AS
        SELECT seq, interaction_id, kind, at_us, queue, agent, data FROM events WHERE topic = 'interaction';
    )sql",
};

// Finalizes a prepared statement on every path.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

Error SqliteStore::failure(std::string_view what) const {
  return Error{std::string(what) + ": " + sqlite3_errmsg(db_), path_};
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Error{"cannot open the database: " + reason, path};
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (auto r = store->exec(pragma); !r) return r.error();
  }
  if (auto r = store->migrate(); !r) return r.error();
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Result<void> SqliteStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    return Error{text, path_};
  }
  return {};
}

Result<void> SqliteStore::migrate() {
  if (auto r = exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !r) return r;
  Statement read;
  if (sqlite3_prepare_v2(db_, "SELECT version FROM schema_version", -1, &read.stmt, nullptr) != SQLITE_OK) {
    return failure("reading the schema version");
  }
  int version = 0;
  bool has_row = sqlite3_step(read.stmt) == SQLITE_ROW;
  if (has_row) version = sqlite3_column_int(read.stmt, 0);
  if (version > static_cast<int>(kMigrations.size())) {
    return Error{"the database has schema version " + std::to_string(version) + ", newer than this build (" +
                     std::to_string(kMigrations.size()) + ")",
                 path_};
  }
  for (int v = version; v < static_cast<int>(kMigrations.size()); ++v) {
    // Each migration and its version bump commit together, so a crash leaves a whole version.
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    auto applied = exec(kMigrations[static_cast<std::size_t>(v)]);
    std::string bump = has_row || v > version ? "UPDATE schema_version SET version = " + std::to_string(v + 1)
                                              : "INSERT INTO schema_version (version) VALUES (" + std::to_string(v + 1) + ")";
    auto bumped = applied ? exec(bump.c_str()) : applied;
    if (!bumped) {
      (void)exec("ROLLBACK");
      return Error{"migration " + std::to_string(v + 1) + ": " + bumped.error().message, path_};
    }
    if (auto r = exec("COMMIT"); !r) return r;
  }
  schema_version_ = static_cast<int>(kMigrations.size());
  return {};
}

Result<void> SqliteStore::put_state(std::span<const StateChange> changes) {
  if (changes.empty()) return {};
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  Statement upsert;
  Statement erase;
  bool ok = sqlite3_prepare_v2(db_,
                               "INSERT INTO runtime_state (key, value, updated_us) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_us = excluded.updated_us",
                               -1, &upsert.stmt, nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db_, "DELETE FROM runtime_state WHERE key = ?1", -1, &erase.stmt, nullptr) == SQLITE_OK;
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  for (const StateChange& c : changes) {
    if (!ok) break;
    sqlite3_stmt* stmt = c.value ? upsert.stmt : erase.stmt;
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, c.key.data(), static_cast<int>(c.key.size()), SQLITE_TRANSIENT);
    if (c.value) {
      sqlite3_bind_text(stmt, 2, c.value->data(), static_cast<int>(c.value->size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(stmt, 3, now_us);
    }
    ok = sqlite3_step(stmt) == SQLITE_DONE;
  }
  if (!ok) {
    Error e = failure("writing runtime state");
    (void)exec("ROLLBACK");
    return e;
  }
  return exec("COMMIT");
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::load_state(const std::string& prefix) {
  Statement read;
  if (sqlite3_prepare_v2(db_, "SELECT key, value FROM runtime_state WHERE substr(key, 1, ?2) = ?1 ORDER BY key", -1,
                         &read.stmt, nullptr) != SQLITE_OK) {
    return failure("reading runtime state");
  }
  sqlite3_bind_text(read.stmt, 1, prefix.data(), static_cast<int>(prefix.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int(read.stmt, 2, static_cast<int>(prefix.size()));
  std::vector<std::pair<std::string, std::string>> out;
  int rc = 0;
  while ((rc = sqlite3_step(read.stmt)) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(read.stmt, 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(read.stmt, 1)));
  }
  if (rc != SQLITE_DONE) return failure("reading runtime state");
  return out;
}

Result<void> SqliteStore::append(std::span<const events::Event> events) {
  if (events.empty()) return {};
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  Statement insert;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO events (interaction_id, kind, at_us, queue, agent, data, topic) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         -1, &insert.stmt, nullptr) != SQLITE_OK) {
    auto e = failure("preparing the insert");
    (void)exec("ROLLBACK");
    return e;
  }
  for (const auto& ev : events) {
    std::string_view kind = events::event_kind_name(ev.kind);
    sqlite3_bind_text(insert.stmt, 1, ev.interaction_id.data(), static_cast<int>(ev.interaction_id.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert.stmt, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert.stmt, 3, ev.at.time_since_epoch().count());
    sqlite3_bind_text(insert.stmt, 4, ev.queue.data(), static_cast<int>(ev.queue.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert.stmt, 5, ev.agent.data(), static_cast<int>(ev.agent.size()), SQLITE_STATIC);
    const std::string& data = ev.data.empty() ? std::string("{}") : ev.data;
    sqlite3_bind_text(insert.stmt, 6, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
    std::string_view topic = events::topic_name(events::topic_of(ev.kind));
    sqlite3_bind_text(insert.stmt, 7, topic.data(), static_cast<int>(topic.size()), SQLITE_STATIC);
    if (sqlite3_step(insert.stmt) != SQLITE_DONE) {
      auto e = failure("inserting an event");
      (void)exec("ROLLBACK");
      return e;
    }
    if (auto updated = update_summary(db_, ev); !updated) {
      (void)exec("ROLLBACK");
      return Error{"updating the interaction summary: " + updated.error().message, path_};
    }
    sqlite3_reset(insert.stmt);
  }
  if (auto r = exec("COMMIT"); !r) {
    (void)exec("ROLLBACK");
    return r;
  }
  return {};
}

Result<std::vector<events::Event>> SqliteStore::events_of(const std::string& interaction_id) {
  Statement select;
  if (sqlite3_prepare_v2(db_,
                         "SELECT kind, at_us, queue, agent, data FROM events "
                         "WHERE interaction_id = ?1 ORDER BY seq",
                         -1, &select.stmt, nullptr) != SQLITE_OK) {
    return failure("preparing the query");
  }
  sqlite3_bind_text(select.stmt, 1, interaction_id.data(), static_cast<int>(interaction_id.size()), SQLITE_STATIC);
  std::vector<events::Event> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(select.stmt)) == SQLITE_ROW) {
    events::Event ev;
    ev.interaction_id = interaction_id;
    auto text = [&](int col) {
      const auto* p = sqlite3_column_text(select.stmt, col);
      return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
    };
    const auto kind = events::parse_event_kind(text(0));
    if (!kind) {
      return Error{"unknown event kind '" + text(0) + "' in events", path_};
    }
    ev.kind = *kind;
    ev.at = TimePoint{Duration{sqlite3_column_int64(select.stmt, 1)}};
    ev.queue = text(2);
    ev.agent = text(3);
    ev.data = text(4);
    out.push_back(std::move(ev));
  }
  if (rc != SQLITE_DONE) return failure("reading events");
  return out;
}

Result<std::optional<InteractionSummary>> SqliteStore::interaction(const std::string& interaction_id) {
  Statement select;
  if (sqlite3_prepare_v2(db_,
                         "SELECT caller, did, queue, agent, arrived_us, queued_us, answered_us, ended_us, wrap_up_done_us,"
                         " wait_ms, talk_ms, outcome, recording, direction FROM interactions WHERE interaction_id = ?1",
                         -1, &select.stmt, nullptr) != SQLITE_OK) {
    return failure("preparing the query");
  }
  sqlite3_bind_text(select.stmt, 1, interaction_id.data(), static_cast<int>(interaction_id.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(select.stmt);
  if (rc == SQLITE_DONE) return std::optional<InteractionSummary>();
  if (rc != SQLITE_ROW) return failure("reading the interaction");
  auto text = [&](int col) {
    const auto* p = sqlite3_column_text(select.stmt, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  };
  auto time = [&](int col) -> std::optional<TimePoint> {
    if (sqlite3_column_type(select.stmt, col) == SQLITE_NULL) return std::nullopt;
    return TimePoint{Duration{sqlite3_column_int64(select.stmt, col)}};
  };
  auto number = [&](int col) -> std::optional<int64_t> {
    if (sqlite3_column_type(select.stmt, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(select.stmt, col);
  };
  InteractionSummary out;
  out.interaction_id = interaction_id;
  out.caller = text(0);
  out.did = text(1);
  out.queue = text(2);
  out.agent = text(3);
  out.arrived = time(4);
  out.queued = time(5);
  out.answered = time(6);
  out.ended = time(7);
  out.wrap_up_done = time(8);
  out.wait_ms = number(9);
  out.talk_ms = number(10);
  out.outcome = text(11);
  out.recording = text(12);
  out.direction = text(13);
  return std::optional<InteractionSummary>(std::move(out));
}

}  // namespace sb::store
