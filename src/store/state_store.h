// store/state_store.h: live state that must outlive the process (phones' registrations,
// agents' logins and states) as keyed snapshots: the newest value of each key, or none. Not
// the event log: nothing here is history, and a key is overwritten in place. Calls block on
// disk: they run on the state writer's thread (state_writer.h) or at start-up.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sb::store {

// One key's new value; nullopt removes the key.
struct StateChange {
  std::string key;
  std::optional<std::string> value;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  // Applies the changes in one transaction: all are durable when this returns true.
  virtual Result<void> put_state(std::span<const StateChange> changes) = 0;
  // Every key under `prefix` ("binding/") with its value, in key order.
  virtual Result<std::vector<std::pair<std::string, std::string>>> load_state(const std::string& prefix) = 0;
};

}  // namespace sb::store
