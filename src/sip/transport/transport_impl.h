// sip/transport/transport_impl.h: internals shared by the transport .cc files (UDP, TCP/TLS
// streams, WebSocket). Includes Asio: never include this from a header.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/event_loop.h"
#include "sip/transport/transport_layer.h"

namespace sb::sip {

namespace asio = boost::asio;

SocketAddress to_socket_address(const asio::ip::tcp::endpoint& e);
SocketAddress to_socket_address(const asio::ip::udp::endpoint& e);
asio::ip::tcp::endpoint to_tcp_endpoint(const SocketAddress& a);

// A stream connection of any kind (TCP, TLS, WS, WSS).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void send(std::string bytes) = 0;
  virtual void close() = 0;
  Peer peer;
  TimePoint last_activity{};
};

class UdpListener;
class StreamListener;

struct TransportLayer::Impl {
  Impl(net::EventLoop& l, TransportHandler& h, TransportLimits lim)
      : loop(l), handler(h), limits(lim), parser(lim.parse) {}

  net::EventLoop& loop;
  TransportHandler& handler;
  TransportLimits limits;
  MessageParser parser;
  std::vector<Peer> endpoints;
  std::vector<std::shared_ptr<UdpListener>> udp;
  std::vector<std::shared_ptr<StreamListener>> stream_listeners;
  std::unordered_map<ConnectionId, std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, ConnectionId> by_remote;  // "TCP [::1]:5060" → newest connection
  std::shared_ptr<asio::ssl::context> client_tls;  // outbound TLS, made on first use
  TransportStats stats;
  ConnectionId next_connection = 1;
  TimerId sweep_timer = 0;
  bool closed = false;

  // One received message (a datagram, a stream frame, a WebSocket message): admit, parse,
  // hand up or answer the refusal.
  void deliver(std::string_view raw, const Peer& from, bool datagram);
  void send_udp(const Peer& to, std::string_view bytes);
  void send_stream(const Peer& to, std::string bytes);

  ConnectionId add_connection(std::shared_ptr<Connection> c);
  void remove_connection(ConnectionId id);
  static std::string remote_key(Transport t, const SocketAddress& remote);
  void schedule_sweep();
};

// Listener factories, one per .cc.
Result<Peer> open_udp_listener(TransportLayer::Impl& impl, const ListenerConfig& config);
Result<Peer> open_stream_listener(TransportLayer::Impl& impl, const ListenerConfig& config);
// Outbound TCP/TLS connection; sends queue until it is up.
std::shared_ptr<Connection> connect_stream(TransportLayer::Impl& impl, const Peer& to);
// Accepted WS/WSS socket: HTTP upgrade (subprotocol "sip", RFC 7118 §4), then one SIP message
// per WebSocket message. `tls` is set for WSS.
void start_websocket(TransportLayer::Impl& impl, asio::ip::tcp::socket socket, const Peer& peer,
                     asio::ssl::context* tls);
void close_udp_listeners(TransportLayer::Impl& impl);
void close_stream_listeners(TransportLayer::Impl& impl);

}  // namespace sb::sip
