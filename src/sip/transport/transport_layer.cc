#include "sip/transport/transport_layer.h"

#include "sip/transport/transport_impl.h"

namespace sb::sip {

SocketAddress to_socket_address(const asio::ip::tcp::endpoint& e) {
  return SocketAddress::from_sockaddr(e.data(), static_cast<socklen_t>(e.size()));
}
SocketAddress to_socket_address(const asio::ip::udp::endpoint& e) {
  return SocketAddress::from_sockaddr(e.data(), static_cast<socklen_t>(e.size()));
}
asio::ip::tcp::endpoint to_tcp_endpoint(const SocketAddress& a) {
  asio::ip::tcp::endpoint e;
  std::memcpy(e.data(), a.data(), a.size());
  e.resize(a.size());
  return e;
}

namespace {

// RFC 5626 §4.4.1 keep-alives over UDP: a bare CRLF, or a STUN binding request (first two
// bits zero; SIP text never starts with a byte below 0x20).
bool is_keepalive(std::string_view data) {
  if (!data.empty() && static_cast<unsigned char>(data[0]) < 0x04) return true;
  return data.find_first_not_of("\r\n") == std::string_view::npos;
}

}  // namespace

void TransportLayer::Impl::deliver(std::string_view raw, const Peer& from, bool datagram) {
  if (datagram && is_keepalive(raw)) return;
  if (!handler.admit(from)) {
    ++stats.dropped;
    return;
  }
  ++stats.received;
  ParseResult parsed = parser.parse(std::string(raw), datagram);
  if (auto* message = std::get_if<Message>(&parsed)) {
    handler.on_message(std::move(*message), from);
    return;
  }
  // A request that does not parse is answered here: no layer above ever sees it. The answer
  // goes back where the bytes came from (for UDP, the source port: the Via may be the problem).
  const ParseError& error = std::get<ParseError>(parsed);
  ++stats.refused;
  if (error.is_request) {
    if (auto response = raw_error_response(raw, error.status, error.reason)) {
      if (from.transport == Transport::Udp) {
        send_udp(from, *response);
      } else {
        send_stream(from, std::move(*response));
      }
    }
  }
  handler.on_refused(error, from);
}

ConnectionId TransportLayer::Impl::add_connection(std::shared_ptr<Connection> c) {
  ConnectionId id = next_connection++;
  c->peer.connection = id;
  by_remote[remote_key(c->peer.transport, c->peer.remote)] = id;
  connections.emplace(id, std::move(c));
  stats.connections_open = connections.size();
  if (sweep_timer == 0) schedule_sweep();
  return id;
}

void TransportLayer::Impl::remove_connection(ConnectionId id) {
  auto it = connections.find(id);
  if (it == connections.end()) return;
  auto key = remote_key(it->second->peer.transport, it->second->peer.remote);
  if (auto r = by_remote.find(key); r != by_remote.end() && r->second == id) by_remote.erase(r);
  connections.erase(it);
  stats.connections_open = connections.size();
}

std::string TransportLayer::Impl::remote_key(Transport t, const SocketAddress& remote) {
  return std::string(transport_name(t)) + " " + remote.to_string();
}

// Connections with no traffic for the idle timeout are closed, checked every 30 s.
void TransportLayer::Impl::schedule_sweep() {
  sweep_timer = loop.schedule_after(std::chrono::seconds(30), [this] {
    sweep_timer = 0;
    if (closed) return;
    const TimePoint cutoff = loop.now() - limits.idle_timeout;
    std::vector<std::shared_ptr<Connection>> idle;
    for (auto& [id, c] : connections) {
      if (c->last_activity < cutoff) idle.push_back(c);
    }
    for (auto& c : idle) c->close();
    if (!connections.empty()) schedule_sweep();
  });
}

void TransportLayer::Impl::send_stream(const Peer& to, std::string bytes) {
  std::shared_ptr<Connection> c;
  if (to.connection != 0) {
    if (auto it = connections.find(to.connection); it != connections.end()) c = it->second;
  }
  if (!c) {
    if (auto r = by_remote.find(remote_key(to.transport, to.remote)); r != by_remote.end()) {
      c = connections.at(r->second);
    }
  }
  if (!c) c = connect_stream(*this, to);
  if (!c) {
    ++stats.send_errors;
    return;
  }
  c->send(std::move(bytes));
}

TransportLayer::TransportLayer(net::EventLoop& loop, TransportHandler& handler, TransportLimits limits)
    : impl_(std::make_unique<Impl>(loop, handler, limits)) {}

TransportLayer::~TransportLayer() { close(); }

Result<Peer> TransportLayer::listen(const ListenerConfig& config) {
  Result<Peer> opened = config.transport == Transport::Udp ? open_udp_listener(*impl_, config)
                                                           : open_stream_listener(*impl_, config);
  if (opened) impl_->endpoints.push_back(*opened);
  return opened;
}

const std::vector<Peer>& TransportLayer::local_endpoints() const { return impl_->endpoints; }

void TransportLayer::send(const Peer& to, std::string bytes) {
  if (impl_->closed) return;
  if (to.transport == Transport::Udp) {
    impl_->send_udp(to, bytes);
  } else {
    impl_->send_stream(to, std::move(bytes));
  }
}

void TransportLayer::close() {
  if (impl_->closed) return;
  impl_->closed = true;
  close_udp_listeners(*impl_);
  close_stream_listeners(*impl_);
  std::vector<std::shared_ptr<Connection>> all;
  for (auto& [id, c] : impl_->connections) all.push_back(c);
  for (auto& c : all) c->close();
  if (impl_->sweep_timer != 0) impl_->loop.timers().cancel(impl_->sweep_timer);
}

const TransportStats& TransportLayer::stats() const { return impl_->stats; }

}  // namespace sb::sip
