// media/engine/port_allocator.cc
#include "media/engine/port_allocator.h"

#include <string>

namespace sb::media::engine {

Result<PortAllocator> PortAllocator::create(uint16_t min_port, uint16_t max_port) {
  uint32_t first = min_port + (min_port % 2);
  uint32_t last = max_port - (max_port % 2 == 0 ? 1 : 0);  // the odd RTCP port of the last pair
  if (min_port < 1024 || first + 1 > last) {
    return Error{"RTP port range " + std::to_string(min_port) + "-" + std::to_string(max_port) +
                 " holds no even/odd pair above 1023", ""};
  }
  return PortAllocator(static_cast<uint16_t>(first), static_cast<uint16_t>(last));
}

PortAllocator::PortAllocator(uint16_t first, uint16_t last) {
  for (uint32_t p = first; p + 1 <= last; p += 2) free_.push_back(static_cast<uint16_t>(p));
  capacity_ = free_.size();
}

PortAllocator::PortAllocator(PortAllocator&& other) noexcept {
  std::lock_guard lock(other.mutex_);
  free_ = std::move(other.free_);
  capacity_ = other.capacity_;
}

std::optional<uint16_t> PortAllocator::allocate() {
  std::lock_guard lock(mutex_);
  if (free_.empty()) return std::nullopt;
  uint16_t port = free_.front();
  free_.pop_front();
  return port;
}

void PortAllocator::release(uint16_t even_port) {
  std::lock_guard lock(mutex_);
  free_.push_back(even_port);
}

std::size_t PortAllocator::available() const {
  std::lock_guard lock(mutex_);
  return free_.size();
}

}  // namespace sb::media::engine
