// store/state_writer.h: the control thread hands state snapshots over without waiting for the
// disk; one writer thread applies them in batches. Changes to one key coalesce: only the
// newest value is written, so a phone refreshing its registration every minute costs one row
// update per batch at most. Accepted changes are never dropped: a failed write is retried.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/state_store.h"

namespace sb::store {

struct StateWriterStats {
  uint64_t submitted = 0;  // changes handed over
  uint64_t written = 0;    // changes made durable (after coalescing)
  uint64_t failures = 0;   // failed writes (each retried)
  std::optional<Error> last_error;
};

class StateWriter {
 public:
  using StoreFactory = std::function<Result<std::unique_ptr<StateStore>>()>;

  // A change waits at most `max_delay` for others to share its transaction (one fsync for a
  // burst of registrations, not one each); `max_batch` pending keys write at once.
  explicit StateWriter(StoreFactory factory, std::chrono::milliseconds max_delay = std::chrono::milliseconds(50),
                       std::chrono::milliseconds retry = std::chrono::milliseconds(500), std::size_t max_batch = 2000);
  ~StateWriter();  // writes everything accepted (a few retries), then stops
  StateWriter(const StateWriter&) = delete;
  StateWriter& operator=(const StateWriter&) = delete;

  // Never waits for I/O: a map insert under a mutex the writer holds only for a swap.
  void put(std::string key, std::string value);
  void erase(std::string key);
  // Waits until every change handed over before the call is durable (or the writer gave up
  // at stop).
  void flush();
  StateWriterStats stats() const;

 private:
  void submit(std::string key, std::optional<std::string> value);
  void run();

  StoreFactory factory_;
  std::chrono::milliseconds max_delay_;
  std::chrono::milliseconds retry_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable progress_;
  std::unordered_map<std::string, std::optional<std::string>> pending_;
  uint64_t generation_ = 0;  // bumped per submit
  uint64_t durable_ = 0;     // the generation known durable
  bool stopping_ = false;
  bool flushing_ = false;  // flush() waits: write now
  StateWriterStats stats_;
  std::thread thread_;
};

}  // namespace sb::store
