// TCP and TLS: listeners, accepted and outbound connections, framing by Content-Length with
// CRLF keep-alives (RFC 3261 §18.3, RFC 5626 §3.5.1), a bounded write queue per connection.
#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include <deque>
#include <type_traits>

#include "sip/transport/transport_impl.h"

namespace sb::sip {
namespace {

using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

template <class Stream>
class StreamConnection final : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  StreamConnection(TransportLayer::Impl& impl, Stream stream, Peer p) : impl_(impl), stream_(std::move(stream)) {
    peer = std::move(p);
    last_activity = impl_.loop.now();
  }

  void start_inbound() { handshake(asio::ssl::stream_base::server); }

  void start_outbound() {
    auto self = this->shared_from_this();
    lowest().async_connect(to_tcp_endpoint(peer.remote), [this, self](const boost::system::error_code& ec) {
      if (closed_) return;
      if (ec) {
        impl_.stats.send_errors += outq_.size();
        return fail();
      }
      boost::system::error_code ignored;
      peer.local = to_socket_address(lowest().local_endpoint(ignored));
      lowest().set_option(tcp::no_delay(true), ignored);
      handshake(asio::ssl::stream_base::client);
    });
  }

  void send(std::string bytes) override {
    if (closed_) {
      ++impl_.stats.send_errors;
      return;
    }
    queued_ += bytes.size();
    if (queued_ > impl_.limits.max_queued_bytes) {
      ++impl_.stats.send_errors;
      return close();  // the peer stopped reading
    }
    outq_.push_back(std::move(bytes));
    ++impl_.stats.sent;
    if (connected_ && !writing_) write_next();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    auto self = this->shared_from_this();  // the map may hold the last reference
    boost::system::error_code ignored;
    lowest().close(ignored);
    impl_.remove_connection(peer.connection);
  }

 private:
  tcp::socket::lowest_layer_type& lowest() { return stream_.lowest_layer(); }
  void linger() { close_after_write_ = true; }

  // TLS handshakes first; then (and straight away for TCP) reading starts and anything queued
  // while connecting goes out.
  void handshake(asio::ssl::stream_base::handshake_type role) {
    auto up = [this] {
      connected_ = true;
      read();
      write_next();
    };
    if constexpr (kTls) {
      stream_.async_handshake(role, [this, up, self = this->shared_from_this()](auto ec) {
        if (closed_) return;
        if (ec) return fail();
        up();
      });
    } else {
      up();
    }
  }
  // Closes, telling the layers above when messages were lost with it.
  void fail() {
    const bool lost = !outq_.empty();
    const Peer p = peer;
    close();
    if (lost) impl_.handler.on_transport_error(p);
  }

  void write_next() {
    if (outq_.empty() || writing_ || closed_) return;
    writing_ = true;
    asio::async_write(stream_, asio::buffer(outq_.front()),
                      [this, self = this->shared_from_this()](const boost::system::error_code& ec, size_t) {
                        if (closed_) return;
                        writing_ = false;
                        if (ec) return fail();
                        queued_ -= outq_.front().size();
                        outq_.pop_front();
                        if (outq_.empty() && close_after_write_) return close();
                        write_next();
                      });
  }

  void read() {
    stream_.async_read_some(asio::buffer(chunk_), [this, self = this->shared_from_this()](
                                                      const boost::system::error_code& ec, size_t n) {
      if (closed_) return;
      if (ec) return close();
      last_activity = impl_.loop.now();
      inbuf_.append(chunk_.data(), n);
      if (!frame()) {
        // Unframeable: stop reading; go once the error response is out.
        if (close_after_write_ && (writing_ || !outq_.empty())) return;
        return close();
      }
      impl_.loop.rearm();
      read();
    });
  }

  // Cuts every whole message off the front of the buffer. False: the stream cannot be framed
  // any more (no Content-Length, a message over the limit) and the connection must go.
  bool frame() {
    for (;;) {
      auto framed = frame_length(inbuf_, impl_.limits.parse);
      if (auto* error = std::get_if<ParseError>(&framed)) {
        ++impl_.stats.refused;
        if (error->is_request) {
          if (auto response = raw_error_response(inbuf_, error->status, error->reason)) {
            send(std::move(*response));
            linger();
          }
        }
        impl_.handler.on_refused(*error, peer);
        return false;
      }
      const Frame& f = std::get<Frame>(framed);
      if (f.keepalive_bytes > 0) {
        // RFC 5626 §3.5.1: a double-CRLF ping gets a single-CRLF pong.
        if (inbuf_.compare(0, 4, "\r\n\r\n") == 0) send("\r\n");
        inbuf_.erase(0, f.keepalive_bytes);
        continue;
      }
      if (f.length == 0) return true;
      impl_.deliver(std::string_view(inbuf_).substr(0, f.length), peer, false);
      if (closed_) return true;
      inbuf_.erase(0, f.length);
    }
  }

  TransportLayer::Impl& impl_;
  Stream stream_;
  std::array<char, 16384> chunk_{};
  std::string inbuf_;
  std::deque<std::string> outq_;
  size_t queued_ = 0;
  bool connected_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool closed_ = false;
};

Result<std::shared_ptr<asio::ssl::context>> make_server_tls(const ListenerConfig& config, const std::string& where) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                   asio::ssl::context::single_dh_use);
  if (config.certificate.empty() || config.private_key.empty()) {
    return Error{"a TLS listener needs `certificate` and `private_key`", where};
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(config.certificate, ec);
  if (ec) return Error{"certificate " + config.certificate + ": " + ec.message(), where};
  ctx->use_private_key_file(config.private_key, asio::ssl::context::pem, ec);
  if (ec) return Error{"private key " + config.private_key + ": " + ec.message(), where};
  return ctx;
}

}  // namespace

class StreamListener : public std::enable_shared_from_this<StreamListener> {
 public:
  StreamListener(TransportLayer::Impl& impl, tcp::acceptor acceptor, Peer local, std::shared_ptr<asio::ssl::context> tls)
      : impl_(impl), acceptor_(std::move(acceptor)), local_(std::move(local)), tls_(std::move(tls)) {}

  void accept() {
    acceptor_.async_accept([this, self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
      if (closed_) return;
      if (!ec) {
        backoff_ = std::chrono::milliseconds(0);
        on_accepted(std::move(socket));
        return accept();
      }
      // Out of descriptors (EMFILE, ENFILE, ENOBUFS) the pending connection stays queued and
      // accept fails again at once: retrying now spins a core. Wait, doubling up to a second,
      // while calls that hold descriptors end; UDP and media go on meanwhile.
      backoff_ = std::min<Duration>(std::chrono::seconds(1), std::max<Duration>(std::chrono::milliseconds(50), backoff_ * 2));
      ++impl_.stats.accept_errors;
      spdlog::warn("sip: {} accept on {} failed ({}): retrying in {} ms", transport_name(local_.transport),
                   local_.local.to_string(), ec.message(), std::chrono::duration_cast<std::chrono::milliseconds>(backoff_).count());
      impl_.loop.schedule_after(backoff_, [this, self] {
        if (!closed_) accept();
      });
    });
  }

  void close() {
    closed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  void on_accepted(tcp::socket socket) {
    if (impl_.connections.size() >= impl_.limits.max_connections) return;  // socket closes here
    boost::system::error_code ec;
    Peer peer = local_;
    peer.remote = to_socket_address(socket.remote_endpoint(ec));
    if (ec) return;
    socket.set_option(tcp::no_delay(true), ec);
    ++impl_.stats.connections_accepted;
    switch (local_.transport) {
      case Transport::Tcp: {
        auto c = std::make_shared<StreamConnection<tcp::socket>>(impl_, std::move(socket), peer);
        impl_.add_connection(c);
        c->start_inbound();
        break;
      }
      case Transport::Tls: {
        auto c = std::make_shared<StreamConnection<TlsStream>>(impl_, TlsStream(std::move(socket), *tls_), peer);
        impl_.add_connection(c);
        c->start_inbound();
        break;
      }
      case Transport::Ws:
      case Transport::Wss:
        start_websocket(impl_, std::move(socket), peer, tls_.get());
        break;
      case Transport::Udp:
        break;
    }
  }

  TransportLayer::Impl& impl_;
  Duration backoff_{};
  tcp::acceptor acceptor_;
  Peer local_;
  std::shared_ptr<asio::ssl::context> tls_;
  bool closed_ = false;
};

Result<Peer> open_stream_listener(TransportLayer::Impl& impl, const ListenerConfig& config) {
  std::string where = std::string(transport_name(config.transport)) + " " + config.address + ":" +
                      std::to_string(config.port);
  for (char& c : where) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto address = SocketAddress::parse(config.address, config.port);
  if (!address) return Error{"not a numeric IPv4 or IPv6 address", where};
  std::shared_ptr<asio::ssl::context> tls;
  if (is_secure(config.transport)) {
    auto made = make_server_tls(config, where);
    if (!made) return made.error();
    tls = *made;
  }
  boost::system::error_code ec;
  tcp::endpoint endpoint = to_tcp_endpoint(*address);
  tcp::acceptor acceptor(impl.loop.io());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec && endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{ec.message(), where};
  Peer local;
  local.transport = config.transport;
  local.local = to_socket_address(acceptor.local_endpoint());
  auto listener = std::make_shared<StreamListener>(impl, std::move(acceptor), local, std::move(tls));
  listener->accept();
  impl.stream_listeners.push_back(std::move(listener));
  return local;
}

std::shared_ptr<Connection> connect_stream(TransportLayer::Impl& impl, const Peer& to) {
  Peer peer = to;
  if (to.transport == Transport::Tcp) {
    auto c = std::make_shared<StreamConnection<tcp::socket>>(impl, tcp::socket(impl.loop.io()), peer);
    impl.add_connection(c);
    c->start_outbound();
    return c;
  }
  if (to.transport == Transport::Tls) {
    if (!impl.client_tls) {
      // Outbound TLS (to a trunk) checks the server certificate against the system CAs.
      impl.client_tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
      impl.client_tls->set_default_verify_paths();
      impl.client_tls->set_verify_mode(asio::ssl::verify_peer);
    }
    auto c = std::make_shared<StreamConnection<TlsStream>>(impl, TlsStream(tcp::socket(impl.loop.io()), *impl.client_tls), peer);
    impl.add_connection(c);
    c->start_outbound();
    return c;
  }
  return nullptr;  // WebSocket clients connect to us; we never dial them
}

void close_stream_listeners(TransportLayer::Impl& impl) {
  for (auto& l : impl.stream_listeners) l->close();
}

}  // namespace sb::sip
