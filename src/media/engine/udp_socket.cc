// media/engine/udp_socket.cc: the socket calls behind UdpSocket and SendQueue.
#include "media/engine/udp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sb::media::engine {

Result<UdpAddress> UdpAddress::parse(std::string_view ip, uint16_t port) {
  std::string host(ip);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  UdpAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length = sizeof(sockaddr_in);
    return a;
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length = sizeof(sockaddr_in6);
    return a;
  }
  return Error{"not an IP address: '" + host + "'", ""};
}

uint16_t UdpAddress::port() const {
  if (storage.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  }
  if (storage.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  }
  return 0;
}

std::string UdpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, text,
              sizeof text);
    return std::string(text) + ":" + std::to_string(port());
  }
  if (storage.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, text,
              sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(port());
  }
  return "-";
}

bool UdpAddress::operator==(const UdpAddress& other) const {
  if (length != other.length || storage.ss_family != other.storage.ss_family) return false;
  if (storage.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    const auto* b = reinterpret_cast<const sockaddr_in*>(&other.storage);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (storage.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    const auto* b = reinterpret_cast<const sockaddr_in6*>(&other.storage);
    return a->sin6_port == b->sin6_port &&
           std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
  }
  return length == 0;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Result<UdpSocket> UdpSocket::bind(std::string_view ip, uint16_t port) {
  auto address = UdpAddress::parse(ip, port);
  if (!address) return address.error();
  int fd = ::socket(address->storage.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{std::string("socket: ") + std::strerror(errno), ""};
  UdpSocket socket(fd);
  // Bursts from many streams arrive between two epoll wake-ups; the default 208 KiB
  // receive buffer overflows first under load.
  int buffer = 1 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  if (address->storage.ss_family == AF_INET6) {
    int only = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address->storage), address->length) != 0) {
    return Error{"bind " + address->to_string() + ": " + std::strerror(errno), ""};
  }
  return socket;
}

uint16_t UdpSocket::local_port() const {
  UdpAddress a;
  a.length = sizeof a.storage;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a.storage), &a.length) != 0) return 0;
  return a.port();
}

void UdpSocket::receive(DatagramBatch& batch) const {
  std::array<mmsghdr, kBatch> headers{};
  std::array<iovec, kBatch> iov{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov[i] = {batch.data[i].data(), kMaxDatagram};
    headers[i].msg_hdr.msg_iov = &iov[i];
    headers[i].msg_hdr.msg_iovlen = 1;
    headers[i].msg_hdr.msg_name = &batch.peer[i].storage;
    headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
  int n = ::recvmmsg(fd_, headers.data(), kBatch, MSG_DONTWAIT, nullptr);
  batch.count = n > 0 ? static_cast<std::size_t>(n) : 0;
  for (std::size_t i = 0; i < batch.count; ++i) {
    batch.size[i] = headers[i].msg_len;
    batch.peer[i].length = headers[i].msg_hdr.msg_namelen;
  }
}

bool UdpSocket::send_to(const UdpAddress& to, std::span<const uint8_t> bytes) {
  ssize_t n = ::sendto(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT,
                       reinterpret_cast<const sockaddr*>(&to.storage), to.length);
  return n == static_cast<ssize_t>(bytes.size());
}

void SendQueue::push(int fd, const UdpAddress& to, std::span<const uint8_t> bytes) {
  if (bytes.size() > kMaxDatagram) {
    ++dropped_;
    return;
  }
  if (count_ == kBatch || (count_ > 0 && fd != fd_)) flush();
  fd_ = fd;
  std::memcpy(data_[count_].data(), bytes.data(), bytes.size());
  size_[count_] = bytes.size();
  to_[count_] = to;
  ++count_;
}

void SendQueue::flush() {
  std::size_t done = 0;
  while (done < count_) {
    std::array<mmsghdr, kBatch> headers{};
    std::array<iovec, kBatch> iov{};
    std::size_t n = count_ - done;
    for (std::size_t i = 0; i < n; ++i) {
      iov[i] = {data_[done + i].data(), size_[done + i]};
      headers[i].msg_hdr.msg_iov = &iov[i];
      headers[i].msg_hdr.msg_iovlen = 1;
      headers[i].msg_hdr.msg_name = &to_[done + i].storage;
      headers[i].msg_hdr.msg_namelen = to_[done + i].length;
    }
    int sent = ::sendmmsg(fd_, headers.data(), static_cast<unsigned>(n), MSG_DONTWAIT);
    if (sent <= 0) {
      // The first datagram failed (full buffer, unreachable): drop it and go on.
      ++dropped_;
      ++done;
      continue;
    }
    sent_ += static_cast<uint64_t>(sent);
    done += static_cast<std::size_t>(sent);
  }
  count_ = 0;
}

}  // namespace sb::media::engine
