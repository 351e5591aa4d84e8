// store/state_writer.cc
#include "store/state_writer.h"

#include <vector>

namespace sb::store {

StateWriter::StateWriter(StoreFactory factory, std::chrono::milliseconds max_delay, std::chrono::milliseconds retry,
                         std::size_t max_batch)
    : factory_(std::move(factory)), max_delay_(max_delay), retry_(retry), max_batch_(max_batch) {
  thread_ = std::thread([this] { run(); });
}

StateWriter::~StateWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StateWriter::put(std::string key, std::string value) { submit(std::move(key), std::move(value)); }

void StateWriter::erase(std::string key) { submit(std::move(key), std::nullopt); }

void StateWriter::submit(std::string key, std::optional<std::string> value) {
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    pending_[std::move(key)] = std::move(value);
    ++generation_;
    ++stats_.submitted;
    full = pending_.size() >= max_batch_;
  }
  if (full) wake_.notify_one();
}

void StateWriter::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = generation_;
  flushing_ = true;
  wake_.notify_one();
  progress_.wait(lock, [&] { return durable_ >= target || (stopping_ && pending_.empty()); });
}

StateWriterStats StateWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void StateWriter::run() {
  std::unique_ptr<StateStore> store;
  int failures_at_stop = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    // Sleep until the batch is full, its first change has waited max_delay, or someone waits.
    wake_.wait_for(lock, max_delay_, [&] { return stopping_ || flushing_ || pending_.size() >= max_batch_; });
    flushing_ = false;
    if (pending_.empty()) {
      durable_ = generation_;
      progress_.notify_all();
      if (stopping_) return;
      continue;
    }
    // Take the batch, write it unlocked; on failure, put back what no newer change replaced.
    std::vector<StateChange> changes;
    changes.reserve(pending_.size());
    for (auto& [key, value] : pending_) changes.push_back(StateChange{key, std::move(value)});
    pending_.clear();
    const uint64_t covered = generation_;
    lock.unlock();
    std::optional<Error> failed;
    if (!store) {
      auto opened = factory_();
      if (opened) {
        store = std::move(*opened);
      } else {
        failed = opened.error();
      }
    }
    if (store) {
      if (auto r = store->put_state(changes); !r) failed = r.error();
    }
    lock.lock();
    if (!failed) {
      stats_.written += changes.size();
      durable_ = std::max(durable_, covered);
      progress_.notify_all();
      continue;
    }
    ++stats_.failures;
    stats_.last_error = failed;
    for (StateChange& c : changes) pending_.emplace(std::move(c.key), std::move(c.value));  // newer ones win
    if (stopping_ && ++failures_at_stop >= 5) {
      pending_.clear();  // given up: a restart re-registers phones and agents log in again
      progress_.notify_all();
      return;
    }
    wake_.wait_for(lock, retry_, [&] { return stopping_; });
  }
}

}  // namespace sb::store
