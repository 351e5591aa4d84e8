#include "sip/transport/peer.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "sip/ascii.h"

namespace sb::sip {

std::string_view transport_name(Transport t) {
  switch (t) {
    case Transport::Udp: return "UDP";
    case Transport::Tcp: return "TCP";
    case Transport::Tls: return "TLS";
    case Transport::Ws: return "WS";
    case Transport::Wss: return "WSS";
  }
  return "UDP";
}

std::optional<Transport> transport_from_name(std::string_view name) {
  for (Transport t : {Transport::Udp, Transport::Tcp, Transport::Tls, Transport::Ws, Transport::Wss}) {
    if (iequals(name, transport_name(t))) return t;
  }
  return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view ip, uint16_t port) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return a;
  }
  a.storage_ = {};
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    return a;
  }
  return std::nullopt;
}

SocketAddress SocketAddress::from_sockaddr(const sockaddr* sa, socklen_t len) {
  SocketAddress a;
  if (len > 0 && static_cast<size_t>(len) <= sizeof(a.storage_)) std::memcpy(&a.storage_, sa, len);
  return a;
}

uint16_t SocketAddress::port() const {
  if (is_v6()) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  if (valid()) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  return 0;
}

void SocketAddress::set_port(uint16_t port) {
  if (is_v6()) reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
  else if (valid()) reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
}

std::string SocketAddress::ip() const {
  char text[INET6_ADDRSTRLEN] = "";
  if (is_v6()) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text, sizeof text);
  else if (valid()) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof text);
  return text;
}

std::string SocketAddress::host_for_uri() const {
  if (!is_v6()) return ip();
  std::string out(1, '[');
  out.append(ip()).push_back(']');
  return out;
}

std::string SocketAddress::to_string() const {
  std::string out = host_for_uri();
  out.push_back(':');
  out.append(std::to_string(port()));
  return out;
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  if (a.storage_.ss_family != b.storage_.ss_family) return false;
  if (a.is_v6()) {
    auto* x = reinterpret_cast<const sockaddr_in6*>(&a.storage_);
    auto* y = reinterpret_cast<const sockaddr_in6*>(&b.storage_);
    return x->sin6_port == y->sin6_port && std::memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
  }
  if (!a.valid()) return true;
  auto* x = reinterpret_cast<const sockaddr_in*>(&a.storage_);
  auto* y = reinterpret_cast<const sockaddr_in*>(&b.storage_);
  return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
}

std::optional<SocketAddress> local_address_towards(const SocketAddress& remote) {
  int fd = ::socket(remote.is_v6() ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return std::nullopt;
  std::optional<SocketAddress> local;
  if (::connect(fd, remote.data(), remote.size()) == 0) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      local = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
    }
  }
  ::close(fd);
  return local;
}

}  // namespace sb::sip
