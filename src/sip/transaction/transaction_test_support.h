// sip/transaction/transaction_test_support.h: what every transaction test needs: a virtual
// clock driving the TimerQueue deadline by deadline, a sender that records what went out and
// when, a TU that records what came up, and SIP messages made to measure.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "sip/message.h"
#include "sip/message_builder.h"
#include "sip/message_parser.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/peer.h"

namespace sb::sip::testing {

using namespace std::chrono_literals;

// Any instant will do; not the epoch, so a time of 0 cannot pass for "unset".
inline const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 365 * 30);

inline Message parse_message(std::string text) {
  ParseResult r = MessageParser().parse(std::move(text));
  if (!std::holds_alternative<Message>(r)) {
    ADD_FAILURE() << "does not parse: " << std::get<ParseError>(r).reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

inline Peer peer(Transport transport, std::string_view ip, uint16_t port) {
  Peer p;
  p.transport = transport;
  p.remote = *SocketAddress::parse(ip, port);
  p.local = *SocketAddress::parse("192.0.2.1", 5060);
  return p;
}
inline Peer udp_client() { return peer(Transport::Udp, "192.0.2.10", 5060); }
inline Peer tcp_client() { return peer(Transport::Tcp, "192.0.2.10", 40000); }
inline Peer udp_server() { return peer(Transport::Udp, "198.51.100.7", 5060); }
inline Peer tcp_server() { return peer(Transport::Tcp, "198.51.100.7", 5060); }

// A request as a UAC would send it; every field can be varied.
struct RequestSpec {
  std::string method = "INVITE";
  std::string branch = "z9hG4bK-test-1";  // "" for an RFC 2543 Via without branch
  std::string sent_by = "client.example.com:5060";
  std::string transport = "UDP";
  std::string via_params;  // e.g. ";rport"
  std::string request_uri = "sip:queue@switchboard.example.com";
  std::string call_id = "call-1@client.example.com";
  uint32_t cseq = 1;
  std::string cseq_method;  // "" : same as method
  std::string from_tag = "caller-tag";
  std::string to_tag;         // "" : none
  std::string extra_headers;  // whole lines with CRLF
};

inline std::string request_text(const RequestSpec& s) {
  std::string via = "SIP/2.0/" + s.transport + " " + s.sent_by;
  if (!s.branch.empty()) {
    via += ";branch=" + s.branch;
  }
  via += s.via_params;
  std::string to = "<sip:queue@switchboard.example.com>";
  if (!s.to_tag.empty()) {
    to += ";tag=" + s.to_tag;
  }
  return s.method + " " + s.request_uri + " SIP/2.0\r\n" + "Via: " + via + "\r\n" +
         "Max-Forwards: 70\r\n" +
         "From: \"Caller\" <sip:caller@client.example.com>;tag=" + s.from_tag + "\r\n" +
         "To: " + to + "\r\n" + "Call-ID: " + s.call_id + "\r\n" +
         "CSeq: " + std::to_string(s.cseq) + " " +
         (s.cseq_method.empty() ? s.method : s.cseq_method) + "\r\n" + s.extra_headers +
         "Content-Length: 0\r\n\r\n";
}

inline Message request(const RequestSpec& s) { return parse_message(request_text(s)); }

// The same request with another method (ACK, CANCEL) and, optionally, a To tag: what a UAC
// sends to acknowledge or cancel `s`.
inline Message derived_request(RequestSpec s, std::string method, std::string to_tag = "") {
  s.method = std::move(method);
  s.cseq_method.clear();
  s.to_tag = std::move(to_tag);
  return request(s);
}

inline Message response(const Message& to_request, int status, std::string_view to_tag = "",
                        std::string_view reason = "Reason") {
  ParseResult r = make_response(to_request, status, reason, to_tag);
  if (!std::holds_alternative<Message>(r)) {
    ADD_FAILURE() << "make_response failed: " << std::get<ParseError>(r).reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

// "INVITE", "ACK", "100 INVITE", "487 INVITE", "200 CANCEL": enough to read a trace.
inline std::string summary(const Message& m) {
  if (m.is_request()) {
    return std::string(m.method_text());
  }
  return std::to_string(m.status()) + " " + std::string(m.cseq_method_text());
}

struct Sent {
  Duration at;  // since kT0
  Peer to;
  Message message;
};

class FakeSender final : public TransportSender {
 public:
  explicit FakeSender(const Clock& clock) : clock_(clock) {}
  void send(const Peer& to, std::string_view bytes) override {
    sent.push_back({clock_.now() - kT0, to, parse_message(std::string(bytes))});
    if (on_send) {
      on_send(to);
    }
  }

  std::vector<std::string> summaries() const {
    std::vector<std::string> out;
    for (const Sent& s : sent) {
      out.push_back(summary(s.message));
    }
    return out;
  }
  // When each message with that summary went out.
  std::vector<Duration> times_of(std::string_view what) const {
    std::vector<Duration> out;
    for (const Sent& s : sent) {
      if (summary(s.message) == what) {
        out.push_back(s.at);
      }
    }
    return out;
  }
  const Sent& last() const { return sent.back(); }

  std::vector<Sent> sent;
  std::function<void(const Peer&)> on_send;

 private:
  const Clock& clock_;
};

// One TU callback, whichever it was, with when it came.
struct TuEvent {
  std::string kind;  // "request", "ack", "cancelled", "ack_timeout", "server_transport_error",
                     // "response", "client_timeout", "client_transport_error", "stray"
  Duration at;
  uint64_t tx = 0;
  std::optional<Message> message;
};

class RecordingTu final : public TransactionUser {
 public:
  explicit RecordingTu(const Clock& clock) : clock_(clock) {}

  void on_request(ServerTransactionId tx, const Message& m, const Peer& source) override {
    record("request", tx.value, m);
    last_source = source;
    if (on_request_hook) {
      on_request_hook(tx, m);
    }
  }
  void on_ack(const Message& ack, const Peer&) override { record("ack", 0, ack); }
  void on_cancelled(ServerTransactionId tx, const Message& cancel) override {
    record("cancelled", tx.value, cancel);
  }
  void on_ack_timeout(ServerTransactionId tx, const Message& final_response) override {
    record("ack_timeout", tx.value, final_response);
  }
  void on_server_transport_error(ServerTransactionId tx) override {
    events.push_back({"server_transport_error", clock_.now() - kT0, tx.value, std::nullopt});
  }
  void on_response(ClientTransactionId tx, const Message& m) override {
    record("response", tx.value, m);
    if (on_response_hook) {
      on_response_hook(tx, m);
    }
  }
  void on_client_timeout(ClientTransactionId tx, const Message& m) override {
    record("client_timeout", tx.value, m);
  }
  void on_client_transport_error(ClientTransactionId tx, const Message& m) override {
    record("client_transport_error", tx.value, m);
  }
  void on_stray_response(const Message& m, const Peer&) override { record("stray", 0, m); }

  std::vector<const TuEvent*> of(std::string_view kind) const {
    std::vector<const TuEvent*> out;
    for (const TuEvent& e : events) {
      if (e.kind == kind) {
        out.push_back(&e);
      }
    }
    return out;
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const TuEvent& e : events) {
      out.push_back(e.kind);
    }
    return out;
  }
  ServerTransactionId last_request_tx() const {
    const auto requests = of("request");
    return requests.empty() ? ServerTransactionId{} : ServerTransactionId{requests.back()->tx};
  }

  std::vector<TuEvent> events;
  Peer last_source;
  std::function<void(ServerTransactionId, const Message&)> on_request_hook;
  std::function<void(ClientTransactionId, const Message&)> on_response_hook;

 private:
  void record(std::string kind, uint64_t tx, const Message& m) {
    events.push_back({std::move(kind), clock_.now() - kT0, tx, m});
  }
  const Clock& clock_;
};

// The fixture: set `config` before the first layer() call to change timers.
class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() { config.token_seed = 42; }

  TransactionLayer& layer() {
    if (!layer_) {
      layer_ = std::make_unique<TransactionLayer>(clock, timers, sender, tu, config);
    }
    return *layer_;
  }

  Duration now() const { return clock.now() - kT0; }

  // Moves time to kT0 + t, firing each timer at its own deadline so sends carry exact times.
  void advance_to(Duration t) {
    const TimePoint target = kT0 + t;
    if (target < clock.now()) {
      ADD_FAILURE() << "time runs forwards only";
      return;
    }
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

  void receive_at(Duration t, Message m, const Peer& from) {
    advance_to(t);
    layer().receive(std::move(m), from);
  }

  VirtualClock clock{kT0};
  TimerQueue timers;
  FakeSender sender{clock};
  RecordingTu tu{clock};
  TransactionConfig config;

 private:
  std::unique_ptr<TransactionLayer> layer_;
};

}  // namespace sb::sip::testing
