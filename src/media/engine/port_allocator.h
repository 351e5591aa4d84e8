// media/engine/port_allocator.h: hands out RTP ports from the configured range. RTP takes
// the even port and RTCP the odd one above it (RFC 3550 §11), so a leg always owns a pair;
// a released pair goes to the back of the queue, so a late packet of an ended call does not
// land in the next call. Thread-safe: the control plane allocates, anyone releases.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "common/result.h"

namespace sb::media::engine {

class PortAllocator {
 public:
  // [min_port, max_port], both inclusive; odd bounds are rounded inwards.
  static Result<PortAllocator> create(uint16_t min_port, uint16_t max_port);
  PortAllocator(PortAllocator&& other) noexcept;

  // The even port of a free pair; nullopt when the range is used up.
  std::optional<uint16_t> allocate();
  void release(uint16_t even_port);
  std::size_t available() const;
  std::size_t capacity() const { return capacity_; }

 private:
  PortAllocator(uint16_t min_port, uint16_t max_port);
  mutable std::mutex mutex_;
  std::deque<uint16_t> free_;
  std::size_t capacity_ = 0;
};

}  // namespace sb::media::engine
