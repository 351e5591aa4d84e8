// store/sqlite_summary.cc: per event kind, how the interaction's row changes. Times are
// microseconds since the epoch like the events; JSON fields of the event's data are read with
// SQLite's json_extract so nothing is parsed twice.
#include "store/sqlite_summary.h"

#include <string>

namespace sb::store {
namespace {

// ?1 interaction id, ?2 at_us, ?3 queue, ?4 agent, ?5 data (JSON text).
const char* summary_sql(events::EventKind kind) {
  switch (kind) {
    case events::EventKind::Arrived:
      return "UPDATE interactions SET arrived_us = ?2,"
             " caller = COALESCE(json_extract(?5, '$.caller'), caller), did = COALESCE(json_extract(?5, '$.did'), did),"
             " direction = COALESCE(json_extract(?5, '$.direction'), direction)"
             " WHERE interaction_id = ?1";
    case events::EventKind::IvrExit:
      return "UPDATE interactions SET outcome = CASE json_extract(?5, '$.to')"
             " WHEN 'voicemail' THEN 'voicemail' WHEN 'callback' THEN 'callback' ELSE outcome END"
             " WHERE interaction_id = ?1";
    case events::EventKind::Queued:
      return "UPDATE interactions SET queue = CASE WHEN ?3 = '' THEN queue ELSE ?3 END,"
             " queued_us = COALESCE(queued_us, ?2),"
             " outcome = CASE WHEN json_extract(?5, '$.callback') THEN 'callback' ELSE outcome END"
             " WHERE interaction_id = ?1";
    case events::EventKind::Answered:
      return "UPDATE interactions SET agent = ?4, answered_us = ?2, outcome = 'answered',"
             " queue = CASE WHEN ?3 = '' THEN queue ELSE ?3 END,"
             " wait_ms = (?2 - COALESCE(queued_us, arrived_us, ?2)) / 1000"
             " WHERE interaction_id = ?1";
    case events::EventKind::Abandoned:
      return "UPDATE interactions SET outcome = CASE WHEN queued_us IS NULL THEN 'ivr' ELSE 'abandoned' END,"
             " wait_ms = CASE WHEN queued_us IS NULL THEN wait_ms ELSE (?2 - queued_us) / 1000 END"
             " WHERE interaction_id = ?1";
    case events::EventKind::Transferred:
      return "UPDATE interactions SET queue = CASE WHEN ?3 = '' THEN queue ELSE ?3 END"
             " WHERE interaction_id = ?1";
    case events::EventKind::Ended:
      return "UPDATE interactions SET ended_us = ?2,"
             " talk_ms = CASE WHEN answered_us IS NULL THEN NULL ELSE (?2 - answered_us) / 1000 END,"
             " recording = COALESCE(json_extract(?5, '$.recording'), json_extract(?5, '$.voicemail'), recording),"
             " outcome = CASE WHEN json_extract(?5, '$.voicemail') IS NOT NULL THEN 'voicemail'"
             " WHEN outcome = 'in-progress' THEN CASE WHEN queued_us IS NULL THEN 'ivr' ELSE 'abandoned' END"
             " ELSE outcome END"
             " WHERE interaction_id = ?1";
    case events::EventKind::WrapUpDone:
      return "UPDATE interactions SET wrap_up_done_us = ?2 WHERE interaction_id = ?1";
    default:  // offered, held, resumed; agent and quality events
      return nullptr;
  }
  return nullptr;
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

Result<void> run(sqlite3* db, const char* sql, const events::Event& e) {
  Statement s;
  if (sqlite3_prepare_v2(db, sql, -1, &s.stmt, nullptr) != SQLITE_OK) return Error{sqlite3_errmsg(db), "interactions"};
  const std::string& data = e.data.empty() ? std::string("{}") : e.data;
  sqlite3_bind_text(s.stmt, 1, e.interaction_id.data(), static_cast<int>(e.interaction_id.size()), SQLITE_STATIC);
  if (sqlite3_bind_parameter_count(s.stmt) >= 2) sqlite3_bind_int64(s.stmt, 2, e.at.time_since_epoch().count());
  if (sqlite3_bind_parameter_count(s.stmt) >= 3) {
    sqlite3_bind_text(s.stmt, 3, e.queue.data(), static_cast<int>(e.queue.size()), SQLITE_STATIC);
  }
  if (sqlite3_bind_parameter_count(s.stmt) >= 4) {
    sqlite3_bind_text(s.stmt, 4, e.agent.data(), static_cast<int>(e.agent.size()), SQLITE_STATIC);
  }
  if (sqlite3_bind_parameter_count(s.stmt) >= 5) {
    sqlite3_bind_text(s.stmt, 5, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
  }
  if (sqlite3_step(s.stmt) != SQLITE_DONE) return Error{sqlite3_errmsg(db), "interactions"};
  return {};
}

}  // namespace

Result<void> update_summary(sqlite3* db, const events::Event& event) {
  // Agent and quality events are in the log, not in the per-interaction summary.
  if (events::topic_of(event.kind) != events::Topic::Interaction) return {};
  // Every event makes sure the row exists, so a summary never misses an interaction whose
  // first events went elsewhere (a store switched mid-call).
  if (auto r = run(db, "INSERT INTO interactions (interaction_id, arrived_us) VALUES (?1, ?2) ON CONFLICT DO NOTHING", event);
      !r) {
    return r;
  }
  const char* sql = summary_sql(event.kind);
  if (sql == nullptr) return {};
  return run(db, sql, event);
}

}  // namespace sb::store
