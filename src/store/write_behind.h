// store/write_behind.h: the control thread hands interaction events over without waiting
// for the disk; one writer thread appends them in batches (a transaction per batch, so a
// busy center costs one fsync per batch, not per event). Accepted events are never dropped:
// a failed append (disk full, database locked) is retried until it succeeds. A sequence
// number per event tells the caller when it is durable (the "ended" event of a call, say).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/event_store.h"

namespace sb::store {

struct WriteBehindOptions {
  std::chrono::milliseconds max_delay{50};  // a lone event waits at most this long
  std::size_t max_batch = 500;              // events per transaction
  std::chrono::milliseconds retry{500};     // after a failed append
  // At shutdown, a store still failing after this many retries gets no more chances: the
  // events left are written to `spill_path` (one tab-separated line each) so they survive
  // for a later import instead of being lost or holding the shutdown forever.
  int retries_at_stop = 5;
  std::string spill_path = "interaction_events.spill";
};

struct WriteBehindStats {
  uint64_t submitted = 0;
  uint64_t durable = 0;   // the highest sequence number known durable
  uint64_t batches = 0;
  uint64_t failures = 0;  // failed appends (each retried)
  uint64_t spilled = 0;   // events written to the spill file at shutdown
  std::optional<Error> last_error;
};

class WriteBehind {
 public:
  // Opens the store on the writer thread: a connection belongs to the thread that uses it.
  using StoreFactory = std::function<Result<std::unique_ptr<EventStore>>()>;
  // Called on the writer thread after each committed batch: every event up to `sequence` is
  // durable. Must not block; post to the owning thread.
  using OnDurable = std::function<void(uint64_t sequence)>;

  explicit WriteBehind(StoreFactory factory, WriteBehindOptions options = {}, OnDurable on_durable = {});
  ~WriteBehind();  // writes everything accepted, then stops
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Takes an event; returns its sequence number (1, 2, ...). Never waits for I/O: it only
  // appends to a vector under a mutex the writer holds for a swap.
  uint64_t submit(events::Event event);
  // Waits until every event submitted before the call is durable (shutdown, tests).
  void flush();
  WriteBehindStats stats() const;

 private:
  void run();
  void spill(const std::vector<events::Event>& events);

  StoreFactory factory_;
  WriteBehindOptions options_;
  OnDurable on_durable_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the writer: work or stop
  std::condition_variable progress_;  // flush(): durable moved on
  std::vector<events::Event> pending_;
  uint64_t submitted_ = 0;
  uint64_t durable_ = 0;
  bool stopping_ = false;
  WriteBehindStats stats_;
  std::thread thread_;
};

}  // namespace sb::store
