// store/sqlite_store.h: the embedded SQLite back end (the default, `make run` keeps it under
// ./data). The schema is created and upgraded by numbered migrations on open; the journal is
// WAL with synchronous=FULL, so a committed append survives a kill -9 or a power cut.
// One SqliteStore per thread (a connection is not shared).
#pragma once

#include <memory>
#include <string>

#include "store/event_store.h"
#include "store/state_store.h"

struct sqlite3;

namespace sb::store {

class SqliteStore final : public EventStore, public StateStore {
 public:
  // Opens (creating if needed) the database at `path` and runs pending migrations. Errors
  // name the file and SQLite's reason.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<void> append(std::span<const events::Event> events) override;
  Result<std::vector<events::Event>> events_of(const std::string& interaction_id) override;
  Result<std::optional<InteractionSummary>> interaction(const std::string& interaction_id) override;
  Result<void> put_state(std::span<const StateChange> changes) override;
  Result<std::vector<std::pair<std::string, std::string>>> load_state(const std::string& prefix) override;

  // The schema version after migrations (the number of migrations applied so far).
  int schema_version() const { return schema_version_; }

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<void> exec(const char* sql);
  Result<void> migrate();
  Error failure(std::string_view what) const;

  sqlite3* db_;
  std::string path_;
  int schema_version_ = 0;
};

}  // namespace sb::store
