// sip/client/client_test_support.h: a real TransactionLayer on a VirtualClock with a sender
// that captures what goes out, a TU that forwards client callbacks to the Uac as the owning
// TU would, and a test that plays the server: it reads the captured requests, checks their
// credentials with the server-side DigestAuthenticator and feeds responses to layer.receive().
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/client/uac.h"
#include "sip/message.h"
#include "sip/message_builder.h"
#include "sip/message_parser.h"
#include "sip/parse/via.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/peer.h"

namespace sb::sip::client::testing {

using namespace std::chrono_literals;

inline const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 365 * 30);
constexpr std::string_view kRealm = "carrier.example";
constexpr std::string_view kUser = "acme";
constexpr std::string_view kPassword = "s3cret";

inline Message parse_or_fail(std::string text) {
  ParseResult r = MessageParser().parse(std::move(text));
  if (const ParseError* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "does not parse: " << e->reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

inline Peer udp_peer(std::string_view ip, uint16_t port) {
  Peer p;
  p.transport = Transport::Udp;
  p.remote = *SocketAddress::parse(ip, port);
  p.local = *SocketAddress::parse("192.0.2.1", 5060);
  return p;
}
inline Peer trunk() { return udp_peer("198.51.100.7", 5060); }

inline std::string header(const Message& m, HeaderName name) {
  return std::string(m.first(name).value_or(""));
}

inline std::string branch_of(const Message& m) {
  const Result<Via>& via = m.top_via();
  return via ? std::string(via->branch) : "";
}

struct Sent {
  Duration at;  // since kT0
  Peer to;
  Message message;
};

class CapturingSender final : public TransportSender {
 public:
  explicit CapturingSender(const Clock& clock) : clock_(clock) {}
  void send(const Peer& to, std::string_view bytes) override {
    sent.push_back({clock_.now() - kT0, to, parse_or_fail(std::string(bytes))});
    if (on_send) {
      on_send(to);
    }
  }
  std::vector<Sent> sent;
  std::function<void(const Peer&)> on_send;

 private:
  const Clock& clock_;
};

// The owning TransactionUser: client callbacks go to the Uac first; what it does not claim
// is counted, as a TU would hand it to its next user.
class ForwardingTu final : public TransactionUser {
 public:
  void on_request(ServerTransactionId, const Message&, const Peer&) override {}
  void on_ack(const Message&, const Peer&) override {}
  void on_cancelled(ServerTransactionId, const Message&) override {}
  void on_ack_timeout(ServerTransactionId, const Message&) override {}
  void on_response(ClientTransactionId tx, const Message& m) override {
    if (uac == nullptr || !uac->on_response(tx, m)) {
      ++unclaimed;
    }
  }
  void on_client_timeout(ClientTransactionId tx, const Message& m) override {
    if (uac == nullptr || !uac->on_client_timeout(tx, m)) {
      ++unclaimed;
    }
  }
  void on_client_transport_error(ClientTransactionId tx, const Message& m) override {
    if (uac == nullptr || !uac->on_client_transport_error(tx, m)) {
      ++unclaimed;
    }
  }
  void on_stray_response(const Message&, const Peer&) override { ++stray; }

  Uac* uac = nullptr;
  int unclaimed = 0;
  int stray = 0;
};

constexpr std::string_view kProxyRealm = "proxy.carrier.example";

inline auth::DigestServerConfig server_config(std::string_view realm) {
  auth::DigestServerConfig c;
  c.realm = std::string(realm);
  c.algorithms = {auth::DigestAlgorithm::Sha256, auth::DigestAlgorithm::Md5};
  c.nonce_lifetime = 300s;
  c.secret = "test secret";
  return c;
}

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() {
    TransactionConfig tc;
    tc.token_seed = 42;
    layer = std::make_unique<TransactionLayer>(clock, timers, sender, tu, tc);
    UacConfig uc;
    uc.sent_by[Transport::Udp] = "192.0.2.1:5060";
    uc.id_seed = 7;
    uc.call_id_host = "192.0.2.1";
    uc.cnonce = [this] { return "cn" + std::to_string(++cnonces); };
    uac = std::make_unique<Uac>(*layer, clock, timers, uc);
    tu.uac = uac.get();
  }
  ~ClientTest() override { tu.uac = nullptr; }

  Duration now() const { return clock.now() - kT0; }

  // Moves time to kT0 + t, firing each timer at its own deadline.
  void advance_to(Duration t) {
    const TimePoint target = kT0 + t;
    ASSERT_GE(target, clock.now()) << "time runs forwards only";
    for (;;) {
      const std::optional<TimePoint> next = timers.next_deadline();
      if (!next || *next > target) {
        break;
      }
      clock.set(std::max(*next, clock.now()));
      timers.run_due(clock.now());
    }
    clock.set(target);
  }
  void advance(Duration d) { advance_to(now() + d); }

  // What went out, requests only, retransmissions (same branch and CSeq) left out.
  std::vector<const Sent*> requests() const {
    std::vector<const Sent*> out;
    for (const Sent& s : sender.sent) {
      if (!s.message.is_request()) {
        continue;
      }
      bool seen = false;
      for (const Sent* o : out) {
        seen = seen || (branch_of(o->message) == branch_of(s.message) &&
                        o->message.method_text() == s.message.method_text());
      }
      if (!seen) {
        out.push_back(&s);
      }
    }
    return out;
  }
  const Message& last_request() const { return requests().back()->message; }

  // A response to `request` as a server writes it (RFC 3261 §8.2.6), with `extra` headers.
  Message answer(const Message& request, int status, std::string_view reason,
                 std::vector<std::pair<HeaderName, std::string>> extra = {},
                 std::string_view to_tag = "srv1") {
    MessageBuilder b = MessageBuilder::response(status, reason);
    for (const HeaderField& h : request.headers()) {
      switch (h.name) {
        case HeaderName::Via:
        case HeaderName::From:
        case HeaderName::CallId:
        case HeaderName::CSeq:
          b.add(h.name, request.value_of(h));
          break;
        case HeaderName::To:
          b.add(h.name, status > 100
                            ? std::string(request.value_of(h)) + ";tag=" + std::string(to_tag)
                            : std::string(request.value_of(h)));
          break;
        default:
          break;
      }
    }
    for (const auto& [name, value] : extra) {
      b.add(name, value);
    }
    ParseResult r = b.build();
    if (const ParseError* e = std::get_if<ParseError>(&r)) {
      ADD_FAILURE() << "response does not build: " << e->reason;
      return Message{};
    }
    return std::get<Message>(std::move(r));
  }

  void reply(const Message& request, int status, std::string_view reason,
             std::vector<std::pair<HeaderName, std::string>> extra = {}) {
    layer->receive(answer(request, status, reason, std::move(extra)), trunk());
  }

  // The server's challenge: 401 with WWW-Authenticate or 407 with Proxy-Authenticate, one per
  // algorithm, fresh nonce.
  void challenge(const Message& request, int status = 401, bool stale = false) {
    std::vector<std::pair<HeaderName, std::string>> extra;
    for (std::string& c : (status == 401 ? server : proxy).challenges(stale)) {
      extra.emplace_back(
          status == 401 ? HeaderName::WwwAuthenticate : HeaderName::ProxyAuthenticate,
          std::move(c));
    }
    reply(request, status, status == 401 ? "Unauthorized" : "Proxy Authentication Required",
          std::move(extra));
  }

  VirtualClock clock{kT0};
  TimerQueue timers;
  CapturingSender sender{clock};
  ForwardingTu tu;
  std::unique_ptr<TransactionLayer> layer;
  std::unique_ptr<Uac> uac;
  int cnonces = 0;
  // The registrar's and an outbound proxy's digest checks, as the servers would run them.
  auth::DigestAuthenticator server{
      clock,
      server_config(kRealm),
      {auth::DigestAccount{std::string(kUser), std::string(kPassword), {}}}};
  auth::DigestAuthenticator proxy{
      clock,
      server_config(kProxyRealm),
      {auth::DigestAccount{std::string(kUser), std::string(kPassword), {}}}};
};

}  // namespace sb::sip::client::testing
