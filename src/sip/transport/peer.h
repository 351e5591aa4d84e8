// sip/transport/peer.h: where a message came from and where one goes: a transport, an IP
// address and port, and for connection-oriented transports the connection it arrived on (so a
// response reuses it, RFC 3261 §18.2.2). Plain sockets types, no Asio, so the transaction,
// dialog and registrar code stays free of I/O.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::sip {

enum class Transport : uint8_t { Udp, Tcp, Tls, Ws, Wss };

// "UDP", "TCP", "TLS", "WS", "WSS": the Via transport token.
std::string_view transport_name(Transport t);
std::optional<Transport> transport_from_name(std::string_view name);  // case-insensitive
// Reliable transports need no retransmissions (RFC 3261 §17.1.1.2 timer A, §17.2.1 timer G).
inline bool is_reliable(Transport t) { return t != Transport::Udp; }
inline bool is_secure(Transport t) { return t == Transport::Tls || t == Transport::Wss; }

// An IPv4 or IPv6 address and port.
class SocketAddress {
 public:
  SocketAddress() = default;
  // Numeric addresses only ("127.0.0.1", "::1", "[::1]"); nullopt otherwise.
  static std::optional<SocketAddress> parse(std::string_view ip, uint16_t port);
  static SocketAddress from_sockaddr(const sockaddr* sa, socklen_t len);

  bool valid() const { return storage_.ss_family == AF_INET || storage_.ss_family == AF_INET6; }
  bool is_v6() const { return storage_.ss_family == AF_INET6; }
  uint16_t port() const;
  void set_port(uint16_t port);
  std::string ip() const;            // "127.0.0.1", "::1"
  std::string host_for_uri() const;  // "127.0.0.1", "[::1]"
  std::string to_string() const;     // "127.0.0.1:5060", "[::1]:5060"

  const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  sockaddr* data() { return reinterpret_cast<sockaddr*>(&storage_); }
  socklen_t size() const { return is_v6() ? sizeof(sockaddr_in6) : sizeof(sockaddr_in); }

  // Address and port equal; the key for per-source limits ignores the port (see ip()).
  friend bool operator==(const SocketAddress& a, const SocketAddress& b);

 private:
  sockaddr_storage storage_{};
};

// The local address the kernel would send from towards `remote` (connects a UDP socket, which
// sends nothing): what goes in our Via and Contact when the listener is bound to 0.0.0.0 or ::.
std::optional<SocketAddress> local_address_towards(const SocketAddress& remote);

using ConnectionId = uint64_t;  // 0: none (UDP, or let the transport pick/open one)

struct Peer {
  Transport transport = Transport::Udp;
  SocketAddress remote;
  SocketAddress local;         // the listening address it arrived on / to send from
  ConnectionId connection = 0;
};

}  // namespace sb::sip
