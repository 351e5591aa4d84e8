// store/event_store.h: where interaction events are kept. One interface, back ends beside it
// (SQLite now; PostgreSQL for several nodes later). Calls block on disk or network: they run
// on the write-behind thread (write_behind.h) or in tools and tests, never on the control
// thread.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "events/event.h"
#include "store/interaction_summary.h"

namespace sb::store {

class EventStore {
 public:
  virtual ~EventStore() = default;
  // Appends the events in one transaction: all are durable when this returns true, none
  // when it fails.
  virtual Result<void> append(std::span<const events::Event> events) = 0;
  // Every event of one interaction in the order they were appended.
  virtual Result<std::vector<events::Event>> events_of(const std::string& interaction_id) = 0;
  // The interaction's summary row (interaction_summary.h), nullopt for an unknown id.
  virtual Result<std::optional<InteractionSummary>> interaction(const std::string& interaction_id) = 0;
};

}  // namespace sb::store
