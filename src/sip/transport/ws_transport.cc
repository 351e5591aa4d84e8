// SIP over WebSocket (RFC 7118) for browser phones: an HTTP upgrade that must offer the "sip"
// subprotocol, then exactly one SIP message per WebSocket message (text or binary).
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>

#include "sip/transport/transport_impl.h"

namespace sb::sip {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// RFC 7118 §4.1: the client lists "sip" in Sec-WebSocket-Protocol; anything else is not a
// SIP client and gets no upgrade.
bool offers_sip(std::string_view protocols) {
  size_t pos = 0;
  while (pos <= protocols.size()) {
    size_t comma = protocols.find(',', pos);
    std::string_view item = protocols.substr(pos, comma == std::string_view::npos ? protocols.npos : comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "sip") return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

template <class Next>
class WsConnection final : public Connection, public std::enable_shared_from_this<WsConnection<Next>> {
  static constexpr bool kTls = !std::is_same_v<Next, tcp::socket>;

 public:
  WsConnection(TransportLayer::Impl& impl, Next next, Peer p) : impl_(impl), ws_(std::move(next)) {
    peer = std::move(p);
    last_activity = impl_.loop.now();
  }

  void start() {
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(asio::ssl::stream_base::server, [this, self = this->shared_from_this()](auto ec) {
        if (closed_) return;
        if (ec) return close();
        read_upgrade();
      });
    } else {
      read_upgrade();
    }
  }

  void send(std::string bytes) override {
    if (closed_ || !open_) {
      ++impl_.stats.send_errors;
      return;
    }
    queued_ += bytes.size();
    if (queued_ > impl_.limits.max_queued_bytes) {
      ++impl_.stats.send_errors;
      return close();
    }
    outq_.push_back(std::move(bytes));
    ++impl_.stats.sent;
    write_next();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    auto self = this->shared_from_this();
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
    impl_.remove_connection(peer.connection);
  }

 private:
  void read_upgrade() {
    http::async_read(ws_.next_layer(), buffer_, request_,
                     [this, self = this->shared_from_this()](const boost::system::error_code& ec, size_t) {
                       if (closed_) return;
                       if (ec || !websocket::is_upgrade(request_) ||
                           !offers_sip(std::string_view(request_[http::field::sec_websocket_protocol]))) {
                         return close();
                       }
                       ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
                         res.set(http::field::sec_websocket_protocol, "sip");
                         res.set(http::field::server, "Switchboard");
                       }));
                       ws_.read_message_max(impl_.limits.parse.max_message_size);
                       ws_.async_accept(request_, [this, self](const boost::system::error_code& aec) {
                         if (closed_) return;
                         if (aec) return close();
                         open_ = true;
                         read();
                       });
                     });
  }

  void read() {
    ws_.async_read(buffer_, [this, self = this->shared_from_this()](const boost::system::error_code& ec, size_t) {
      if (closed_) return;
      if (ec) return close();
      last_activity = impl_.loop.now();
      std::string message = beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      ws_.text(true);
      impl_.deliver(std::move(message), peer, true);  // one message per frame: like a datagram
      impl_.loop.rearm();
      read();
    });
  }

  void write_next() {
    if (outq_.empty() || writing_ || closed_) return;
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(outq_.front()),
                    [this, self = this->shared_from_this()](const boost::system::error_code& ec, size_t) {
                      if (closed_) return;
                      writing_ = false;
                      if (ec) return close();
                      queued_ -= outq_.front().size();
                      outq_.pop_front();
                      write_next();
                    });
  }

  TransportLayer::Impl& impl_;
  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::deque<std::string> outq_;
  size_t queued_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

void start_websocket(TransportLayer::Impl& impl, tcp::socket socket, const Peer& peer, asio::ssl::context* tls) {
  if (tls != nullptr) {
    auto c = std::make_shared<WsConnection<asio::ssl::stream<tcp::socket>>>(
        impl, asio::ssl::stream<tcp::socket>(std::move(socket), *tls), peer);
    impl.add_connection(c);
    c->start();
  } else {
    auto c = std::make_shared<WsConnection<tcp::socket>>(impl, std::move(socket), peer);
    impl.add_connection(c);
    c->start();
  }
}

}  // namespace sb::sip
