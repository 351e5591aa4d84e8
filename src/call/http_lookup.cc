// call/http_lookup.cc: one Request per lookup, kept alive by its own handlers (shared_from_this)
// until it finishes; the first of "response read", "error" and "timer fired" reports.
#include "call/http_lookup.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/event_loop.h"

namespace sb::call {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Url {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::optional<Url> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  Url out;
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

struct HttpLookups::Request : std::enable_shared_from_this<HttpLookups::Request> {
  Request(asio::io_context& io, Done on_done)
      : resolver(io), stream(io), timer(io), done(std::move(on_done)) {}

  asio::ip::tcp::resolver resolver;
  beast::tcp_stream stream;
  asio::steady_timer timer;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response_parser<http::string_body> parser;
  Done done;
  bool finished = false;

  void finish(const ivr::LookupResult& result) {
    if (finished) return;
    finished = true;
    timer.cancel();
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream.close();
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
      self->stream.async_connect(found, [self](const beast::error_code& ec2, const asio::ip::tcp::endpoint&) {
        if (ec2 || self->finished) return self->finish({});
        http::async_write(self->stream, self->request, [self](const beast::error_code& ec3, size_t) {
          if (ec3 || self->finished) return self->finish({});
          http::async_read(self->stream, self->buffer, self->parser, [self](const beast::error_code& ec4, size_t) {
            if (ec4 || self->finished) return self->finish({});
            ivr::LookupResult result;
            result.ok = true;
            result.status = static_cast<int>(self->parser.get().result_int());
            result.body = self->parser.get().body();
            self->finish(result);
          });
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
