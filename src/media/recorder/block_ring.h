// media/recorder/block_ring.h: a bounded single-producer single-consumer lock-free ring of stereo
// 20 ms blocks, the hand-off from a media thread to the recording writer. Not here: waking.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/frame.h"

namespace sb::media::recorder {

// One 20 ms tick of a recording. `seq` counts ticks since the recording opened, so the writer can
// fill a block the ring dropped with silence and keep the file aligned with the call.
struct StereoBlock {
  uint64_t seq = 0;
  Frame left{};   // caller
  Frame right{};  // agent
};

// try_push() from exactly one thread, try_pop() from exactly one (other) thread. Never blocks and
// never allocates after construction.
class BlockRing {
 public:
  explicit BlockRing(std::size_t capacity) : slots_(capacity) {}

  // False when full: the caller drops the block (the producer must never wait for the disk).
  bool try_push(const StereoBlock& block) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == slots_.size()) {
      return false;
    }
    slots_[tail % slots_.size()] = block;
    tail_.store(tail + 1, std::memory_order_release);  // publishes the slot to the consumer
    return true;
  }

  bool try_pop(StereoBlock& out) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) {
      return false;
    }
    out = slots_[head % slots_.size()];
    head_.store(head + 1, std::memory_order_release);  // hands the slot back to the producer
    return true;
  }

  std::size_t capacity() const { return slots_.size(); }

 private:
  std::vector<StereoBlock> slots_;
  // Separate cache lines so producer and consumer do not false-share their indices.
  alignas(64) std::atomic<uint64_t> head_{0};  // next to pop; written by the consumer only
  alignas(64) std::atomic<uint64_t> tail_{0};  // next to push; written by the producer only
};

}  // namespace sb::media::recorder
