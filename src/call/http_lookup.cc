// call/http_lookup.cc: one Request per lookup, kept alive by its own handlers (shared_from_this)
// until it finishes; the first of "response read", "error" and "timer fired" reports.
#include "call/http_lookup.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "net/event_loop.h"

namespace sb::call {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Url {
  bool tls = false;
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::optional<Url> parse_http_url(const std::string& url) {
  Url out;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    out.tls = true;
    out.port = "443";
  } else {
    return std::nullopt;
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.target = rest.substr(slash);
  if (!authority.empty() && authority[0] == '[') {  // [::1]:8080
    const size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') out.port = authority.substr(close + 2);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
  }
  if (out.host.empty() || out.port.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  return out;
}

}  // namespace

// The client side of TLS: the system's trust store, peers verified, TLS 1.2 at least.
struct HttpLookups::Tls {
  asio::ssl::context context{asio::ssl::context::tls_client};
  Tls() {
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    beast::error_code ignored;  // no default paths: every https lookup fails verification, as it should
    context.set_default_verify_paths(ignored);
    context.set_verify_mode(asio::ssl::verify_peer);
  }
};

struct HttpLookups::Request : std::enable_shared_from_this<HttpLookups::Request> {
  Request(asio::io_context& io, Done on_done) : resolver(io), plain(io), timer(io), done(std::move(on_done)) {}

  asio::ip::tcp::resolver resolver;
  beast::tcp_stream plain;                                   // http://
  std::shared_ptr<Tls> tls_context;                          // outlives `tls`, which uses it
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;  // https://
  asio::steady_timer timer;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response_parser<http::string_body> parser;
  Done done;
  bool finished = false;

  beast::tcp_stream& tcp() { return tls ? tls->next_layer() : plain; }
  // Runs `f` with the stream the HTTP exchange uses (TLS over TCP, or TCP).
  template <class F>
  void with_stream(F&& f) {
    if (tls) {
      f(*tls);
    } else {
      f(plain);
    }
  }

  void finish(const ivr::LookupResult& result) {
    if (finished) return;
    finished = true;
    timer.cancel();
    beast::error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().close();
    resolver.cancel();
    done(result);
  }

  void run(const Url& url, Duration timeout) {
    auto self = shared_from_this();
    timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
    timer.async_wait([self](const beast::error_code& ec) {
      if (!ec) self->finish({});
    });
    parser.body_limit(1 << 20);
    resolver.async_resolve(url.host, url.port, [self](const beast::error_code& ec, asio::ip::tcp::resolver::results_type found) {
      if (ec || self->finished) return self->finish({});
      self->tcp().async_connect(found, [self](const beast::error_code& ec2, const asio::ip::tcp::endpoint&) {
        if (ec2 || self->finished) return self->finish({});
        if (!self->tls) return self->exchange();
        self->tls->async_handshake(asio::ssl::stream_base::client, [self](const beast::error_code& ec3) {
          if (ec3 || self->finished) return self->finish({});  // untrusted, expired, wrong name
          self->exchange();
        });
      });
    });
  }

  void exchange() {
    auto self = shared_from_this();
    with_stream([self](auto& stream) {
      http::async_write(stream, self->request, [self, &stream](const beast::error_code& ec, size_t) {
        if (ec || self->finished) return self->finish({});
        http::async_read(stream, self->buffer, self->parser, [self](const beast::error_code& ec2, size_t) {
          if (ec2 || self->finished) return self->finish({});
          ivr::LookupResult result;
          result.ok = true;
          result.status = static_cast<int>(self->parser.get().result_int());
          result.body = self->parser.get().body();
          self->finish(result);
        });
      });
    });
  }
};

HttpLookups::HttpLookups(net::EventLoop& loop) : loop_(loop), alive_(std::make_shared<bool>(true)) {}

HttpLookups::~HttpLookups() { *alive_ = false; }

void HttpLookups::cancel_all() {
  *alive_ = false;
  alive_ = std::make_shared<bool>(true);
}

void HttpLookups::start(const std::string& method, const std::string& url, const std::string& body, Duration timeout,
                        Done done) {
  // `done` is dropped once this object is gone or cancel_all() ran: the call may be over.
  std::weak_ptr<bool> alive = alive_;
  auto guarded = [alive, done = std::move(done)](const ivr::LookupResult& r) {
    if (auto a = alive.lock(); a && *a) done(r);
  };
  auto parsed = parse_http_url(url);
  const auto verb = http::string_to_verb(method);
  if (!parsed || verb == http::verb::unknown) {
    loop_.post([guarded] { guarded({}); });
    return;
  }
  auto request = std::make_shared<Request>(loop_.io(), std::move(guarded));
  if (parsed->tls) {
    if (!tls_) tls_ = std::make_shared<Tls>();
    request->tls_context = tls_;
    request->tls.emplace(loop_.io(), tls_->context);
    // SNI, and the name the certificate must carry (RFC 6125), checked during the handshake.
    ::SSL_set_tlsext_host_name(request->tls->native_handle(), parsed->host.c_str());
    request->tls->set_verify_callback(asio::ssl::host_name_verification(parsed->host));
  }
  request->request.method(verb);
  request->request.target(parsed->target);
  request->request.version(11);
  request->request.set(http::field::host, parsed->host);
  request->request.set(http::field::user_agent, "Switchboard");
  request->request.set(http::field::accept, "application/json");
  if (!body.empty()) {
    request->request.set(http::field::content_type, "application/json");
    request->request.body() = body;
  }
  request->request.prepare_payload();
  request->run(*parsed, timeout);
}

}  // namespace sb::call
