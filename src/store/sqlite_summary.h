// store/sqlite_summary.h: the SQL that keeps the `interactions` table (interaction_summary.h)
// in step with each appended event. Internal to the SQLite back end.
#pragma once

#include <sqlite3.h>

#include "common/result.h"
#include "events/event.h"

namespace sb::store {

// The upserts for `event`, run inside the caller's transaction. Fails with sqlite's message.
Result<void> update_summary(sqlite3* db, const events::Event& event);

}  // namespace sb::store
