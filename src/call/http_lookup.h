// call/http_lookup.h: the IVR's HTTP lookups (a CRM asked who is calling) made without ever
// blocking the control thread: name resolution, connect, request and response all run
// asynchronously on the loop's io_context, and a timer gives up after the flow's timeout.
// Beast and Asio stay in the .cc. https:// URLs are checked as a browser would: the server's
// certificate must chain to the system's CAs (or SSL_CERT_FILE / SSL_CERT_DIR, as OpenSSL
// reads them) and name the URL's host; otherwise the lookup fails and the flow takes its
// fallback branch.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "call/lookups.h"
#include "ivr/flow_run.h"

namespace sb::net {
class EventLoop;
}

namespace sb::call {

class HttpLookups final : public Lookups {
 public:
  explicit HttpLookups(net::EventLoop& loop);
  ~HttpLookups() override;
  HttpLookups(const HttpLookups&) = delete;
  HttpLookups& operator=(const HttpLookups&) = delete;

  // Runs `done` exactly once on the loop thread: with the status and body, or ok=false after
  // `timeout`, a refused connection or a bad URL. Responses are capped at 1 MiB.
  void start(const std::string& method, const std::string& url, const std::string& body, Duration timeout,
             Done done) override;

  void cancel_all() override;

 private:
  struct Request;
  struct Tls;
  net::EventLoop& loop_;
  std::shared_ptr<Tls> tls_;  // made at the first https:// lookup
  std::shared_ptr<bool> alive_;
};

}  // namespace sb::call
