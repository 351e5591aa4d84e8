// Real sockets on loopback: UDP, TCP, TLS and WebSocket, IPv4 and IPv6.
#include "sip/transport/transport_layer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "sip/transport/transport_test_support.h"

namespace sb::sip {
namespace {

using testing::LiveTransport;
using testing::RecordingHandler;
namespace asio = boost::asio;

ListenerConfig on(Transport t, std::string address, uint16_t port) {
  ListenerConfig c;
  c.transport = t;
  c.address = std::move(address);
  c.port = port;
  return c;
}

std::string options(std::string_view transport, std::string_view branch, std::string_view extra = "") {
  return "OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/" + std::string(transport) + " 127.0.0.2:5062;branch=z9hG4bK" + std::string(branch) + ";rport\r\n"
         "Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:sb@127.0.0.1>\r\n"
         "Call-ID: " + std::string(branch) + "@test\r\nCSeq: 1 OPTIONS\r\n" + std::string(extra) +
         "Content-Length: 0\r\n\r\n";
}

// Answers every request with 200 OK through the transport, as the layers above will.
void answer_everything(RecordingHandler& handler, TransportLayer& transport) {
  handler.on_each([&transport](const Message& m, const Peer& from) {
    if (!m.is_request()) return;
    auto response = make_response(m, 200, "OK", "t1");
    transport.send(from, serialize(std::get<Message>(response)));
  });
}

class UdpClient {
 public:
  explicit UdpClient(bool v6) : fd_(::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0)) {
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~UdpClient() { ::close(fd_); }
  void send_to(const SocketAddress& to, std::string_view data) {
    ASSERT_EQ(::sendto(fd_, data.data(), data.size(), 0, to.data(), to.size()), static_cast<ssize_t>(data.size()));
  }
  std::string receive() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

 private:
  int fd_;
};

TEST(UdpTransport, DeliversOverIpv4AndAnswersToTheSourcePort) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Udp, "127.0.0.1", 0));
  ASSERT_TRUE(local) << local.error().to_string();
  answer_everything(handler, live.transport());
  live.start();

  UdpClient client(false);
  client.send_to(local->local, options("UDP", "v4a"));
  ASSERT_TRUE(handler.wait_for(1));
  auto got = handler.messages()[0];
  EXPECT_EQ(got.message.method(), Method::Options);
  EXPECT_EQ(got.from.transport, Transport::Udp);
  EXPECT_EQ(got.from.remote.ip(), "127.0.0.1");
  // The Via says 127.0.0.2:5062 but rport asks for symmetric routing: the answer comes back here.
  std::string answer = client.receive();
  EXPECT_EQ(answer.substr(0, 15), "SIP/2.0 200 OK\r");
}

TEST(UdpTransport, DeliversOverIpv6) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Udp, "::1", 0));
  ASSERT_TRUE(local) << local.error().to_string();
  answer_everything(handler, live.transport());
  live.start();
  UdpClient client(true);
  client.send_to(local->local, options("UDP", "v6a"));
  ASSERT_TRUE(handler.wait_for(1));
  EXPECT_EQ(handler.messages()[0].from.remote.ip(), "::1");
  EXPECT_EQ(client.receive().substr(0, 14), "SIP/2.0 200 OK");
}

TEST(UdpTransport, MalformedRequestGets400NamingTheProblemAndKeepAlivesAreIgnored) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Udp, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  live.start();
  UdpClient client(false);
  client.send_to(local->local, "\r\n\r\n");  // keep-alive: no answer, not counted as refused
  client.send_to(local->local,
                 "OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKbad\r\n"
                 "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: bad\r\nCSeq: one OPTIONS\r\n\r\n");
  std::string answer = client.receive();
  EXPECT_EQ(answer.substr(0, 12), "SIP/2.0 400 ");
  EXPECT_NE(answer.find("CSeq"), std::string::npos) << answer;  // the reason names the header
  EXPECT_NE(answer.find("Call-ID: bad\r\n"), std::string::npos);
  ASSERT_TRUE(handler.wait_for_refused(1));
  EXPECT_EQ(handler.refused().size(), 1u);
  EXPECT_EQ(live.transport().stats().refused, 1u);
}

TEST(UdpTransport, UnadmittedSourcesAreDroppedUnanswered) {
  RecordingHandler handler;
  handler.admit_with([](const Peer&) { return false; });
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Udp, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  answer_everything(handler, live.transport());
  live.start();
  UdpClient client(false);
  client.send_to(local->local, options("UDP", "drop"));
  client.send_to(local->local, "garbage that would get a 400\r\n\r\n");
  live.run_on_loop([] {});
  for (int i = 0; i < 100 && live.transport().stats().dropped < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(live.transport().stats().dropped, 2u);
  EXPECT_TRUE(handler.messages().empty());
}

TEST(TransportLayer, ListenErrorsNameTheAddress) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto bad = live.listen(on(Transport::Udp, "not-an-ip", 5060));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "udp not-an-ip:5060");
  auto first = live.listen(on(Transport::Tcp, "127.0.0.1", 0));
  ASSERT_TRUE(first);
  auto clash = live.listen(on(Transport::Tcp, "127.0.0.1", first->local.port()));
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().message.find("in use"), std::string::npos) << clash.error().to_string();
  auto no_cert = live.listen(on(Transport::Tls, "127.0.0.1", 0));
  ASSERT_FALSE(no_cert);
  EXPECT_NE(no_cert.error().message.find("certificate"), std::string::npos);
  ListenerConfig tls = on(Transport::Tls, "127.0.0.1", 0);
  tls.certificate = "/nonexistent.crt";
  tls.private_key = "/nonexistent.key";
  auto missing = live.listen(tls);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent.crt"), std::string::npos);
}

class TcpClient {
 public:
  explicit TcpClient(const SocketAddress& to) : socket_(io_) {
    asio::ip::tcp::endpoint e(asio::ip::make_address(to.ip()), to.port());
    socket_.connect(e);
  }
  void write(std::string_view data) { asio::write(socket_, asio::buffer(data)); }
  // Reads one SIP message (headers; these tests send no bodies back).
  std::string read_message() {
    asio::read_until(socket_, buffer_, "\r\n\r\n");
    std::string all(asio::buffers_begin(buffer_.data()), asio::buffers_end(buffer_.data()));
    size_t end = all.find("\r\n\r\n") + 4;
    buffer_.consume(end);
    return all.substr(0, end);
  }
  std::string read_exact(size_t n) {
    std::string out;
    while (out.size() < n) {
      if (buffer_.size() == 0) asio::read(socket_, buffer_, asio::transfer_at_least(1));
      size_t take = std::min(n - out.size(), buffer_.size());
      std::string avail(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + static_cast<long>(take));
      buffer_.consume(take);
      out += avail;
    }
    return out;
  }
  bool closed_by_peer() {
    boost::system::error_code ec;
    char c;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  asio::streambuf buffer_;
};

TEST(TcpTransport, FramesByContentLengthAcrossSegmentsAndAnswersOnTheSameConnection) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Tcp, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  answer_everything(handler, live.transport());
  live.start();

  TcpClient client(local->local);
  std::string body = "v=0\r\n";
  std::string with_body = "MESSAGE sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKm1\r\n"
                          "Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:sb@x>\r\nCall-ID: m1\r\n"
                          "CSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n" + body;
  // Two messages in one write, then a third cut in the middle of its headers and of its body.
  client.write(options("TCP", "t1") + with_body);
  std::string third = with_body;
  third.replace(third.find("Call-ID: m1"), 11, "Call-ID: m3");
  third.replace(third.find("z9hG4bKm1"), 9, "z9hG4bKm3");
  client.write(third.substr(0, 40));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  client.write(third.substr(40, third.size() - 42));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  client.write(third.substr(third.size() - 2));
  ASSERT_TRUE(handler.wait_for(3));
  auto got = handler.messages();
  EXPECT_EQ(got[0].message.call_id(), "t1@test");
  EXPECT_EQ(got[1].message.body(), body);
  EXPECT_EQ(got[2].message.call_id(), "m3");
  EXPECT_EQ(got[2].message.body(), body);
  EXPECT_EQ(got[0].from.connection, got[2].from.connection);
  EXPECT_NE(got[0].from.connection, 0u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.read_message().substr(0, 14), "SIP/2.0 200 OK");
}

TEST(TcpTransport, DoubleCrlfPingGetsAPongAndUnframeableStreamsAreAnsweredThenClosed) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Tcp, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  live.start();
  TcpClient client(local->local);
  client.write("\r\n\r\n");
  EXPECT_EQ(client.read_exact(2), "\r\n");
  // No Content-Length on a stream: nothing can say where the next message starts (RFC 3261 §18.3).
  client.write("OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKn\r\n"
               "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: nolen\r\nCSeq: 1 OPTIONS\r\n\r\n");
  std::string answer = client.read_message();
  EXPECT_EQ(answer.substr(0, 12), "SIP/2.0 400 ");
  EXPECT_NE(answer.find("Content-Length"), std::string::npos);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(TcpTransport, OutboundRequestsOpenOneConnectionAndReuseIt) {
  // Two transports: the "server" listens, the "client" sends to it without a listener of its own.
  RecordingHandler server_handler;
  LiveTransport server(server_handler);
  auto local = server.listen(on(Transport::Tcp, "::1", 0));
  ASSERT_TRUE(local) << local.error().to_string();
  server.start();
  RecordingHandler client_handler;
  LiveTransport client(client_handler);
  client.start();
  Peer to;
  to.transport = Transport::Tcp;
  to.remote = local->local;
  client.run_on_loop([&] {
    client.transport().send(to, options("TCP", "o1"));
    client.transport().send(to, options("TCP", "o2"));  // queued behind the connect
  });
  ASSERT_TRUE(server_handler.wait_for(2));
  auto got = server_handler.messages();
  EXPECT_EQ(got[0].from.connection, got[1].from.connection);
  EXPECT_EQ(server.transport().stats().connections_accepted, 1u);
}

TEST(TlsTransport, HandshakesWithTheConfiguredCertificateAndCarriesSip) {
  RecordingHandler handler;
  LiveTransport live(handler);
  const std::string dir = SB_SOURCE_DIR "/tests/data/tls/";
  ListenerConfig config = on(Transport::Tls, "127.0.0.1", 0);
  config.certificate = dir + "server.crt";
  config.private_key = dir + "server.key";
  auto local = live.listen(config);
  ASSERT_TRUE(local) << local.error().to_string();
  answer_everything(handler, live.transport());
  live.start();

  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(dir + "server.crt");
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> tls(io, ctx);
  tls.lowest_layer().connect({asio::ip::make_address("127.0.0.1"), local->local.port()});
  tls.handshake(asio::ssl::stream_base::client);
  asio::write(tls, asio::buffer(options("TLS", "tls1")));
  asio::streambuf buf;
  asio::read_until(tls, buf, "\r\n\r\n");
  std::string answer(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
  EXPECT_EQ(answer.substr(0, 14), "SIP/2.0 200 OK");
  ASSERT_TRUE(handler.wait_for(1));
  EXPECT_EQ(handler.messages()[0].from.transport, Transport::Tls);
}

TEST(WebSocketTransport, UpgradesWithTheSipSubprotocolAndCarriesOneMessagePerFrame) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Ws, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  answer_everything(handler, live.transport());
  live.start();

  namespace websocket = boost::beast::websocket;
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws(io);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), local->local.port()});
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(boost::beast::http::field::sec_websocket_protocol, "sip"); }));
  websocket::response_type upgrade;
  ws.handshake(upgrade, "127.0.0.1", "/");
  EXPECT_EQ(upgrade[boost::beast::http::field::sec_websocket_protocol], "sip");
  // RFC 7118 §5: the client's Via names a made-up host; the answer still comes back on the socket.
  std::string request = options("WS", "ws1");
  request.replace(request.find("127.0.0.2:5062"), 14, "df7jal23ls0d.invalid");
  ws.text(true);
  ws.write(asio::buffer(request));
  boost::beast::flat_buffer buf;
  ws.read(buf);
  EXPECT_EQ(boost::beast::buffers_to_string(buf.data()).substr(0, 14), "SIP/2.0 200 OK");
  ASSERT_TRUE(handler.wait_for(1));
  EXPECT_EQ(handler.messages()[0].from.transport, Transport::Ws);
}

TEST(WebSocketTransport, RefusesClientsThatDoNotOfferSip) {
  RecordingHandler handler;
  LiveTransport live(handler);
  auto local = live.listen(on(Transport::Ws, "127.0.0.1", 0));
  ASSERT_TRUE(local);
  live.start();
  namespace websocket = boost::beast::websocket;
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws(io);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), local->local.port()});
  boost::system::error_code ec;
  ws.handshake("127.0.0.1", "/", ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace sb::sip

namespace sb::sip {
namespace {

TEST(TcpTransport, AConnectionThatCannotOpenIsReportedWithItsPeer) {
  // A port nobody listens on: take one, close it.
  uint16_t dead_port;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    dead_port = a.local_endpoint().port();
  }
  struct Handler : testing::RecordingHandler {
    void on_transport_error(const Peer& p) override {
      std::lock_guard lock(m);
      failed.push_back(p);
    }
    std::mutex m;
    std::vector<Peer> failed;
  } handler;
  LiveTransport live(handler);
  live.start();
  Peer to;
  to.transport = Transport::Tcp;
  to.remote = *SocketAddress::parse("127.0.0.1", dead_port);
  live.run_on_loop([&] { live.transport().send(to, "OPTIONS sip:x SIP/2.0\r\n\r\n"); });
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(handler.m);
      if (!handler.failed.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard lock(handler.m);
  ASSERT_EQ(handler.failed.size(), 1u);
  EXPECT_EQ(handler.failed[0].remote.to_string(), "127.0.0.1:" + std::to_string(dead_port));
  EXPECT_EQ(handler.failed[0].transport, Transport::Tcp);
}

}  // namespace
}  // namespace sb::sip

namespace sb::sip {
namespace {

TEST(WebSocketTransport, SecureWebSocketCarriesSipOverTls) {
  RecordingHandler handler;
  LiveTransport live(handler);
  const std::string dir = SB_SOURCE_DIR "/tests/data/tls/";
  ListenerConfig config;
  config.transport = Transport::Wss;
  config.address = "127.0.0.1";
  config.port = 0;
  config.certificate = dir + "server.crt";
  config.private_key = dir + "server.key";
  auto local = live.listen(config);
  ASSERT_TRUE(local) << local.error().to_string();
  answer_everything(handler, live.transport());
  live.start();

  namespace websocket = boost::beast::websocket;
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(dir + "server.crt");
  ctx.set_verify_mode(asio::ssl::verify_peer);
  websocket::stream<asio::ssl::stream<asio::ip::tcp::socket>> wss(io, ctx);
  wss.next_layer().next_layer().connect({asio::ip::make_address("127.0.0.1"), local->local.port()});
  wss.next_layer().handshake(asio::ssl::stream_base::client);
  wss.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(boost::beast::http::field::sec_websocket_protocol, "sip"); }));
  wss.handshake("127.0.0.1", "/");
  std::string request = options("WSS", "wss1");
  wss.text(true);
  wss.write(asio::buffer(request));
  boost::beast::flat_buffer buf;
  wss.read(buf);
  EXPECT_EQ(boost::beast::buffers_to_string(buf.data()).substr(0, 14), "SIP/2.0 200 OK");
  ASSERT_TRUE(handler.wait_for(1));
  EXPECT_EQ(handler.messages()[0].from.transport, Transport::Wss);
}

}  // namespace
}  // namespace sb::sip
