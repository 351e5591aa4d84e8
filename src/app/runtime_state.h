// app/runtime_state.h: what `serve` keeps across a restart, a crash included: the phones'
// registrations (as Kamailio's usrloc keeps its location table in a database) and the agents'
// logins and states, so that a one-second crash is not an outage of a registration interval.
// Written behind the control thread (store::StateWriter), read once at start-up.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/state_writer.h"

namespace sb::sip::registrar {
class LocationService;
}
namespace sb::call {
class CallCenter;
}

namespace sb::app {

class RuntimeState {
 public:
  // Opens the store at `db_path` for reading now and for the writer thread later.
  static Result<std::unique_ptr<RuntimeState>> open(const std::string& db_path);

  // Start-up, before the loop runs: the bindings that have not expired meanwhile go back into
  // the location service (not WebSocket ones: their connection died with the process).
  // Returns how many.
  size_t restore_bindings(sip::registrar::LocationService& locations, const Clock& clock);
  // From now on every change of the bindings is written.
  void watch_bindings(sip::registrar::LocationService& locations, const Clock& clock);
  // Start-up, after restore_bindings: agents are logged back in as they were. Returns how many.
  size_t restore_logins(call::CallCenter& center);
  // From now on every change of a login is written.
  void watch_logins(call::CallCenter& center);

  void flush() { writer_.flush(); }
  store::StateWriterStats stats() const { return writer_.stats(); }

 private:
  explicit RuntimeState(std::string db_path);
  std::string db_path_;
  store::StateWriter writer_;
};

}  // namespace sb::app
