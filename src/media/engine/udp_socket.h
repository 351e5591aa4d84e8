// media/engine/udp_socket.h: a non-blocking UDP socket for RTP/RTCP with batched receive and
// send (recvmmsg/sendmmsg: one system call for up to kBatch datagrams). Linux only, by design:
// the media plane is where system calls per packet cost most. Not here: readiness (the media
// thread's epoll), addresses from SDP (the caller resolves them).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sb::media::engine {

// An IPv4 or IPv6 UDP address, stored the way the kernel wants it.
struct UdpAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  static Result<UdpAddress> parse(std::string_view ip, uint16_t port);
  bool valid() const { return length != 0; }
  uint16_t port() const;
  std::string to_string() const;  // "1.2.3.4:5" or "[::1]:5"
  bool operator==(const UdpAddress& other) const;
};

inline constexpr std::size_t kBatch = 32;
inline constexpr std::size_t kMaxDatagram = 1500;

// One batch of datagrams, reused across calls so receiving allocates nothing.
struct DatagramBatch {
  std::array<std::array<uint8_t, kMaxDatagram>, kBatch> data{};
  std::array<std::size_t, kBatch> size{};
  std::array<UdpAddress, kBatch> peer{};
  std::size_t count = 0;
};

// Outgoing datagrams gathered for one sendmmsg; payload views must stay valid until flush().
class SendQueue {
 public:
  // Queues one datagram; flushes first when the queue is full.
  void push(int fd, const UdpAddress& to, std::span<const uint8_t> bytes);
  // Sends everything queued. Datagrams the kernel refuses (buffer full) are dropped and
  // counted: RTP is real time, a late packet is worth nothing.
  void flush();
  std::size_t pending() const { return count_; }
  uint64_t dropped() const { return dropped_; }
  uint64_t sent() const { return sent_; }

 private:
  int fd_ = -1;
  std::size_t count_ = 0;
  std::array<std::array<uint8_t, kMaxDatagram>, kBatch> data_{};
  std::array<std::size_t, kBatch> size_{};
  std::array<UdpAddress, kBatch> to_{};
  uint64_t dropped_ = 0;
  uint64_t sent_ = 0;
};

class UdpSocket {
 public:
  UdpSocket() = default;
  ~UdpSocket();
  UdpSocket(UdpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // Binds to ip:port (port 0 = any), non-blocking, with large kernel buffers.
  static Result<UdpSocket> bind(std::string_view ip, uint16_t port);

  int fd() const { return fd_; }
  uint16_t local_port() const;

  // Receives up to kBatch datagrams without blocking; batch.count is 0 when none waits.
  void receive(DatagramBatch& batch) const;
  // One datagram; false when the kernel would block or refuses it.
  bool send_to(const UdpAddress& to, std::span<const uint8_t> bytes);

 private:
  explicit UdpSocket(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sb::media::engine
