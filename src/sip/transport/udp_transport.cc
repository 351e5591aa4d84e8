// UDP: one socket per listener, drained in batches with recvmmsg() whenever it is readable, so
// a burst costs one wake-up and one system call per 32 datagrams instead of one each.
#include <sys/socket.h>

#include <boost/asio/ip/v6_only.hpp>

#include <array>
#include <cerrno>

#include "sip/transport/transport_impl.h"

namespace sb::sip {

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(TransportLayer::Impl& impl, asio::ip::udp::socket socket, Peer local)
      : impl_(impl), socket_(std::move(socket)), local_(std::move(local)) {
    buffers_.resize(kBatch * kBufferSize);
  }

  const Peer& local() const { return local_; }
  void start() { wait(); }
  void close() {
    closed_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  void send(const SocketAddress& to, std::string_view bytes) {
    ssize_t n = ::sendto(socket_.native_handle(), bytes.data(), bytes.size(), MSG_DONTWAIT, to.data(), to.size());
    if (n < 0) {
      ++impl_.stats.send_errors;
    } else {
      ++impl_.stats.sent;
    }
  }

 private:
  static constexpr size_t kBatch = 32;
  static constexpr size_t kBufferSize = 65536;
  static constexpr int kBatchesPerWake = 8;  // then yield to other sockets and timers

  void wait() {
    // The handler holds the listener: a cancelled wait may run after the transport is gone.
    socket_.async_wait(asio::ip::udp::socket::wait_read, [this, self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || closed_) return;
      drain();
      impl_.loop.rearm();
      wait();
    });
  }

  void drain() {
    std::array<mmsghdr, kBatch> headers{};
    std::array<iovec, kBatch> iov{};
    std::array<sockaddr_storage, kBatch> from{};
    for (int round = 0; round < kBatchesPerWake; ++round) {
      for (size_t i = 0; i < kBatch; ++i) {
        iov[i] = {buffers_.data() + i * kBufferSize, kBufferSize};
        headers[i].msg_hdr = {};
        headers[i].msg_hdr.msg_iov = &iov[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &from[i];
        headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      }
      int n = ::recvmmsg(socket_.native_handle(), headers.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (n <= 0) return;  // EAGAIN: drained
      for (int i = 0; i < n; ++i) {
        Peer peer = local_;
        peer.remote = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&from[i]), headers[i].msg_hdr.msg_namelen);
        impl_.deliver(std::string_view(buffers_.data() + i * kBufferSize, headers[i].msg_len), peer, true);
      }
      if (static_cast<size_t>(n) < kBatch) return;
    }
  }

  TransportLayer::Impl& impl_;
  asio::ip::udp::socket socket_;
  Peer local_;
  std::vector<char> buffers_;
  bool closed_ = false;
};

Result<Peer> open_udp_listener(TransportLayer::Impl& impl, const ListenerConfig& config) {
  auto address = SocketAddress::parse(config.address, config.port);
  const std::string where = "udp " + config.address + ":" + std::to_string(config.port);
  if (!address) return Error{"not a numeric IPv4 or IPv6 address", where};
  boost::system::error_code ec;
  asio::ip::udp::endpoint endpoint(asio::ip::make_address(address->ip(), ec), config.port);
  asio::ip::udp::socket socket(impl.loop.io());
  socket.open(endpoint.protocol(), ec);
  if (!ec && endpoint.address().is_v6()) socket.set_option(asio::ip::v6_only(true), ec);
  if (!ec) socket.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
  if (!ec) socket.set_option(asio::socket_base::send_buffer_size(4 << 20), ec);
  if (!ec) socket.bind(endpoint, ec);
  if (ec) return Error{ec.message(), where};
  Peer local;
  local.transport = Transport::Udp;
  local.local = to_socket_address(socket.local_endpoint());
  local.remote = SocketAddress{};
  auto listener = std::make_shared<UdpListener>(impl, std::move(socket), local);
  listener->start();
  impl.udp.push_back(std::move(listener));
  return local;
}

void TransportLayer::Impl::send_udp(const Peer& to, std::string_view bytes) {
  UdpListener* from = nullptr;
  for (auto& l : udp) {
    if (l->local().local == to.local) {
      from = l.get();
      break;
    }
  }
  if (from == nullptr) {
    for (auto& l : udp) {
      if (l->local().local.is_v6() == to.remote.is_v6()) {
        from = l.get();
        break;
      }
    }
  }
  if (from == nullptr) {
    ++stats.send_errors;
    return;
  }
  from->send(to.remote, bytes);
}

void close_udp_listeners(TransportLayer::Impl& impl) {
  for (auto& l : impl.udp) l->close();
}

}  // namespace sb::sip
