// sip/transport/transport_layer.h: SIP over UDP, TCP, TLS and WebSocket (RFC 3261 §18,
// RFC 7118), IPv4 and IPv6, on the control-plane event loop. Bytes in, parsed Messages up to
// one handler; serialized messages out to a Peer. Requests that do not parse get their error
// response here (400 naming the problem, 505, 413), since no layer above ever sees them.
// Asio and OpenSSL stay inside the .cc files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sip/message.h"
#include "sip/message_parser.h"
#include "sip/transport/peer.h"
#include "sip/transport/raw_error_response.h"

namespace sb::net {
class EventLoop;
}

namespace sb::sip {

struct ListenerConfig {
  Transport transport = Transport::Udp;
  std::string address = "0.0.0.0";  // numeric; "::" for IPv6
  uint16_t port = 5060;
  std::string certificate;  // TLS/WSS: PEM chain file
  std::string private_key;  // TLS/WSS: PEM key file
};

struct TransportLimits {
  ParseLimits parse;
  size_t max_connections = 10000;
  size_t max_queued_bytes = 4 << 20;         // per connection; a peer that never reads is cut off
  Duration idle_timeout = std::chrono::minutes(10);  // stream connections without any traffic
};

// What the transport hands up. Called on the loop thread.
class TransportHandler {
 public:
  virtual ~TransportHandler() = default;
  // Before parsing: false drops the bytes unanswered (a flooding source).
  virtual bool admit(const Peer& /*from*/) { return true; }
  virtual void on_message(Message&& message, const Peer& from) = 0;
  // A request or response that did not parse (requests were answered already), for logs.
  virtual void on_refused(const ParseError& /*error*/, const Peer& /*from*/) {}
  // Messages to `peer` could not be delivered: a connection that failed to open, or broke
  // with messages still queued (RFC 3261 §17.1.4, §18.4: the transaction layer is told).
  virtual void on_transport_error(const Peer& /*peer*/) {}
};

struct TransportStats {
  uint64_t received = 0;
  uint64_t sent = 0;
  uint64_t refused = 0;      // did not parse
  uint64_t dropped = 0;      // not admitted
  uint64_t send_errors = 0;  // no route, connection gone, socket error
  uint64_t connections_open = 0;
  uint64_t connections_accepted = 0;
  uint64_t accept_errors = 0;  // failed accepts (out of descriptors), each retried after a back-off
};

class TransportLayer {
 public:
  TransportLayer(net::EventLoop& loop, TransportHandler& handler, TransportLimits limits = {});
  ~TransportLayer();
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;

  // Opens a listener; the error names the address and why (in use, bad certificate, ...).
  // Port 0 picks a free port; local_endpoints() tells which.
  Result<Peer> listen(const ListenerConfig& config);
  const std::vector<Peer>& local_endpoints() const;

  // Sends on the connection named by `to.connection` if it is still open; otherwise, for
  // TCP and TLS, reuses a connection to `to.remote` or opens one. UDP goes from the listener
  // bound to `to.local` (or the first of the right family). Never blocks; errors are counted
  // and logged, as SIP's retransmissions and timeouts handle loss.
  void send(const Peer& to, std::string bytes);

  // Closes listeners and connections (shutdown).
  void close();

  const TransportStats& stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::sip
