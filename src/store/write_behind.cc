// store/write_behind.cc
#include "store/write_behind.h"

#include <pthread.h>

#include <fstream>

namespace sb::store {

WriteBehind::WriteBehind(StoreFactory factory, WriteBehindOptions options, OnDurable on_durable)
    : factory_(std::move(factory)), options_(options), on_durable_(std::move(on_durable)) {
  thread_ = std::thread([this] {
    ::pthread_setname_np(::pthread_self(), "sb-store");  // for top, perf and bench/call_load.py
    run();
  });
}

WriteBehind::~WriteBehind() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

uint64_t WriteBehind::submit(events::Event event) {
  uint64_t sequence = 0;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(event));
    sequence = ++submitted_;
    wake = pending_.size() >= options_.max_batch;
  }
  if (wake) wake_.notify_one();
  return sequence;
}

void WriteBehind::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = submitted_;
  wake_.notify_one();
  progress_.wait(lock, [&] { return durable_ >= target; });
}

WriteBehindStats WriteBehind::stats() const {
  std::lock_guard lock(mutex_);
  WriteBehindStats s = stats_;
  s.submitted = submitted_;
  s.durable = durable_;
  return s;
}

void WriteBehind::run() {
  std::unique_ptr<EventStore> store;
  std::vector<events::Event> batch;  // taken from pending_, not yet committed
  int failures_at_stop = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    // Sleep until there is enough to write, the oldest event has waited max_delay, or stop.
    if (batch.empty()) {
      wake_.wait_for(lock, options_.max_delay, [&] {
        return stopping_ || pending_.size() >= options_.max_batch || durable_ < submitted_;
      });
      if (pending_.empty()) {
        if (stopping_) return;
        continue;
      }
      // A short wait more lets a burst gather into one transaction.
      if (!stopping_ && pending_.size() < options_.max_batch) {
        wake_.wait_for(lock, options_.max_delay, [&] { return stopping_ || pending_.size() >= options_.max_batch; });
      }
      const std::size_t n = std::min(pending_.size(), options_.max_batch);
      batch.assign(std::make_move_iterator(pending_.begin()),
                   std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(n)));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    const uint64_t last = durable_ + batch.size();
    lock.unlock();
    std::optional<Error> error;
    if (!store) {
      auto opened = factory_();
      if (opened) store = std::move(*opened);
      else error = opened.error();
    }
    if (store) {
      if (auto r = store->append(batch); !r) error = r.error();
    }
    if (!error && on_durable_) on_durable_(last);
    lock.lock();
    if (error) {
      ++stats_.failures;
      stats_.last_error = error;
      if (stopping_ && ++failures_at_stop > options_.retries_at_stop) {
        batch.insert(batch.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
        pending_.clear();
        spill(batch);
        durable_ = submitted_;  // nothing more will come of them here; flush() must not hang
        progress_.notify_all();
        return;
      }
      // Keep the batch and try again; accepted events are never dropped.
      wake_.wait_for(lock, options_.retry);
      continue;
    }
    ++stats_.batches;
    durable_ = last;
    batch.clear();
    progress_.notify_all();
  }
}

}  // namespace sb::store

namespace sb::store {

// interaction_id, kind, at (µs since the epoch), queue, agent, data: tab-separated, with
// backslash, tab and newline escaped, appended so several shutdowns accumulate.
void WriteBehind::spill(const std::vector<events::Event>& events) {
  auto escaped = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '\\') out += "\\\\";
      else if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    return out;
  };
  std::ofstream file(options_.spill_path, std::ios::app);
  for (const auto& e : events) {
    file << escaped(e.interaction_id) << '\t' << events::event_kind_name(e.kind) << '\t'
         << e.at.time_since_epoch().count() << '\t' << escaped(e.queue) << '\t' << escaped(e.agent) << '\t'
         << escaped(e.data) << '\n';
  }
  file.flush();
  if (file) stats_.spilled += events.size();
}

}  // namespace sb::store
