// bench/sip_bench.cc: SIP message throughput: parse, parse + serialize, and make_response on a
// realistic INVITE with SDP and its 200 OK, and the UAS side of a whole call through the
// transaction and dialog layers. The anchors are copying the same bytes into a std::string,
// which every parse pays (the parser owns its buffer), and parsing the call's three requests,
// which its handling pays. Not a transport benchmark: no sockets.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "sip/dialog/dialog_set.h"
#include "sip/message_builder.h"
#include "sip/message_parser.h"
#include "sip/request_check.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transport/response_route.h"

namespace {

using namespace sb::sip;
using sb::TimerQueue;
using sb::VirtualClock;

constexpr std::string_view kSdpOffer =
    "v=0\r\n"
    "o=- 3912783371 3912783371 IN IP4 198.51.100.23\r\n"
    "s=-\r\n"
    "c=IN IP4 198.51.100.23\r\n"
    "t=0 0\r\n"
    "m=audio 16384 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n";

constexpr std::string_view kSdpAnswer =
    "v=0\r\n"
    "o=switchboard 82364 82364 IN IP4 203.0.113.40\r\n"
    "s=-\r\n"
    "c=IN IP4 203.0.113.40\r\n"
    "t=0 0\r\n"
    "m=audio 40002 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n";

std::string with_body(std::string_view head, std::string_view body) {
  return std::string(head) +
         "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

// An INVITE as it reaches the call center through a carrier SBC and an edge proxy.
const std::string kInvite = with_body(
    "INVITE sip:queue-billing@cc.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP edge.cc.example.com;branch=z9hG4bK74bf9.3a2c1f0e\r\n"
    "Via: SIP/2.0/UDP sbc1.carrier.example.net;branch=z9hG4bK1c8e2b.7d10\r\n"
    "Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bKa8f0d3e5c\r\n"
    "Record-Route: <sip:edge.cc.example.com;lr>\r\n"
    "Record-Route: <sip:sbc1.carrier.example.net;lr>\r\n"
    "Max-Forwards: 68\r\n"
    "From: \"Ann Caller\" <sip:+13125550100@carrier.example.net>;tag=as5b1c2d\r\n"
    "To: <sip:queue-billing@cc.example.com>\r\n"
    "Call-ID: 3c26700a-7c52b1f0@198.51.100.23\r\n"
    "CSeq: 102 INVITE\r\n"
    "Contact: <sip:+13125550100@198.51.100.23:5060>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\r\n"
    "Supported: replaces, timer, 100rel\r\n"
    "User-Agent: CarrierSBC/7.2.1\r\n",
    kSdpOffer);

const std::string kOk = with_body(
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP edge.cc.example.com;branch=z9hG4bK74bf9.3a2c1f0e\r\n"
    "Via: SIP/2.0/UDP sbc1.carrier.example.net;branch=z9hG4bK1c8e2b.7d10\r\n"
    "Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bKa8f0d3e5c\r\n"
    "Record-Route: <sip:edge.cc.example.com;lr>\r\n"
    "Record-Route: <sip:sbc1.carrier.example.net;lr>\r\n"
    "From: \"Ann Caller\" <sip:+13125550100@carrier.example.net>;tag=as5b1c2d\r\n"
    "To: <sip:queue-billing@cc.example.com>;tag=sb-7f3a91\r\n"
    "Call-ID: 3c26700a-7c52b1f0@198.51.100.23\r\n"
    "CSeq: 102 INVITE\r\n"
    "Contact: <sip:agent-0042@203.0.113.40:5060>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\r\n"
    "Supported: replaces, timer\r\n"
    "Server: Switchboard/0.1\r\n",
    kSdpAnswer);

void record(benchmark::State& state, size_t bytes_per_msg) {
  const auto n = static_cast<int64_t>(state.iterations());
  state.SetBytesProcessed(n * static_cast<int64_t>(bytes_per_msg));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}

bool parses(const std::string& text) {
  return std::holds_alternative<Message>(MessageParser().parse(text));
}

void BM_AnchorCopyInvite(benchmark::State& state) {
  for (auto _ : state) {
    std::string copy = kInvite;
    benchmark::DoNotOptimize(copy.data());
    benchmark::ClobberMemory();
  }
  record(state, kInvite.size());
}

void parse_bench(benchmark::State& state, const std::string& text) {
  if (!parses(text)) {
    state.SkipWithError("the benchmark message does not parse");
    return;
  }
  const MessageParser parser;
  for (auto _ : state) {
    ParseResult r = parser.parse(text);
    benchmark::DoNotOptimize(r);
  }
  record(state, text.size());
}

void round_trip_bench(benchmark::State& state, const std::string& text) {
  if (!parses(text)) {
    state.SkipWithError("the benchmark message does not parse");
    return;
  }
  const MessageParser parser;
  for (auto _ : state) {
    ParseResult r = parser.parse(text);
    std::string wire = serialize(std::get<Message>(r));
    benchmark::DoNotOptimize(wire.data());
  }
  record(state, text.size());
}

void BM_ParseInvite(benchmark::State& state) { parse_bench(state, kInvite); }
void BM_Parse200Ok(benchmark::State& state) { parse_bench(state, kOk); }
void BM_ParseSerializeInvite(benchmark::State& state) { round_trip_bench(state, kInvite); }
void BM_ParseSerialize200Ok(benchmark::State& state) { round_trip_bench(state, kOk); }

// 180 Ringing from a parsed INVITE: header copies, the To tag, Record-Route, and the parse
// of the built text (make_response returns a parsed Message).
void BM_MakeResponse180(benchmark::State& state) {
  ParseResult invite = MessageParser().parse(kInvite);
  if (!std::holds_alternative<Message>(invite)) {
    state.SkipWithError("the benchmark INVITE does not parse");
    return;
  }
  const Message& request = std::get<Message>(invite);
  size_t bytes = 0;
  for (auto _ : state) {
    ParseResult r = make_response(request, 180, "Ringing", "sb-7f3a91");
    bytes = std::get<Message>(r).bytes().size();
    benchmark::DoNotOptimize(r);
  }
  record(state, bytes);
}

// --- the UAS side of one call ---

// A caller behind NAT: its Via names its private address and asks for rport (RFC 3581), so
// every request is stamped with received and rport on arrival.
const std::string kCallInvite = with_body(
    "INVITE sip:queue-billing@cc.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK-inv-7f3a\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Ann Caller\" <sip:+13125550100@carrier.example.net>;tag=as5b1c2d\r\n"
    "To: <sip:queue-billing@cc.example.com>\r\n"
    "Call-ID: 3c26700a-7c52b1f0@192.168.1.20\r\n"
    "CSeq: 102 INVITE\r\n"
    "Contact: <sip:+13125550100@192.168.1.20:5060>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\r\n"
    "Supported: replaces, timer\r\n"
    "User-Agent: SoftPhone/4.2\r\n",
    kSdpOffer);

std::string in_dialog(std::string_view method, std::string_view branch, uint32_t cseq,
                      std::string_view to_tag) {
  return std::string(method) + " sip:sb@203.0.113.40:5060 SIP/2.0\r\n" +
         "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=" + std::string(branch) + "\r\n" +
         "Max-Forwards: 70\r\n"
         "From: \"Ann Caller\" <sip:+13125550100@carrier.example.net>;tag=as5b1c2d\r\n"
         "To: <sip:queue-billing@cc.example.com>;tag=" + std::string(to_tag) + "\r\n" +
         "Call-ID: 3c26700a-7c52b1f0@192.168.1.20\r\n"
         "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n" +
         "Content-Length: 0\r\n\r\n";
}

class NullSender final : public TransportSender {
 public:
  void send(const Peer&, std::string_view bytes) override { sent_bytes += bytes.size(); }
  size_t sent_bytes = 0;
};

// A UA core as small as it gets: checks each request (RFC 3261 §8.2), lets the dialog layer
// match it, answers a new INVITE 180 then 200 with SDP, a BYE 200, and takes the ACK.
class UasCore final : public TransactionUser {
 public:
  void on_request(ServerTransactionId tx, const Message& request, const Peer& source) override {
    if (check_request(request, caps_)) {
      ++failures;
      return;
    }
    Incoming in = dialogs_.receive(request);
    if (std::holds_alternative<OutOfDialog>(in) && request.method() == Method::Invite) {
      auto dialog = dialogs_.create_uas(request, source, "<sip:sb@203.0.113.40:5060>");
      if (!dialog) {
        ++failures;
        return;
      }
      answer(tx, (*dialog)->respond(request, 180, "Ringing"));
      ResponseParts parts;
      parts.content_type = "application/sdp";
      parts.body = std::string(kSdpAnswer);
      answer(tx, (*dialog)->respond(request, 200, "OK", std::move(parts)));
      to_tag = (*dialog)->id().local_tag;
    } else if (auto* ended = std::get_if<DialogEnded>(&in)) {
      answer(tx, std::move(ended->response));
      dialogs_.erase(ended->dialog->id().view());
    } else {
      ++failures;
    }
  }
  void on_ack(const Message& ack, const Peer&) override {
    if (!std::holds_alternative<AckReceived>(dialogs_.receive(ack))) ++failures;
  }
  void on_cancelled(ServerTransactionId, const Message&) override { ++failures; }
  void on_ack_timeout(ServerTransactionId, const Message&) override { ++failures; }
  void on_response(ClientTransactionId, const Message&) override { ++failures; }
  void on_client_timeout(ClientTransactionId, const Message&) override { ++failures; }
  void on_client_transport_error(ClientTransactionId, const Message&) override { ++failures; }

  // A new call: the dialog set starts from the same seed, so every call gets the same To tag.
  void start_call() {
    dialogs_ = DialogSet(42);
    failures = 0;
  }

  TransactionLayer* layer = nullptr;  // set before the first request
  int failures = 0;
  std::string to_tag;

 private:
  void answer(ServerTransactionId tx, sb::Result<Message> response) {
    if (!response || !layer->respond(tx, std::move(*response))) ++failures;
  }

  DialogSet dialogs_{42};
  UasCapabilities caps_;
};

// What SipStack::on_message does with a parsed request before the transaction layer.
void arrive(Message message, const Peer& from, TransactionLayer& layer) {
  stamp_received(message, from);
  layer.receive(std::move(message), from);
}

struct Call {
  std::string invite = kCallInvite;
  std::string ack;
  std::string bye;
  Peer from;
};

// One UAS kept across calls, as SipStack keeps its layers. A call leaves nothing behind: its
// dialog ends with the BYE, and its transactions when the virtual clock passes their timers
// (64*T1) after it.
class Uas {
 public:
  Uas() : layer_(clock_, timers_, sender_, core_, config()) { core_.layer = &layer_; }

  // The core's failures during the call; `to_tag` gets the To tag it chose.
  int call(const Call& call, std::string* to_tag = nullptr) {
    core_.start_call();
    for (const std::string* text : {&call.invite, &call.ack, &call.bye}) {
      if (text->empty()) continue;
      ParseResult parsed = parser_.parse(*text);
      if (auto* m = std::get_if<Message>(&parsed)) {
        arrive(std::move(*m), call.from, layer_);
      } else {
        ++core_.failures;
      }
    }
    clock_.advance(std::chrono::seconds(40));
    timers_.run_due(clock_.now());
    if (to_tag != nullptr) *to_tag = core_.to_tag;
    return core_.failures;
  }

 private:
  static TransactionConfig config() {
    TransactionConfig c;
    c.token_seed = 7;  // not std::random_device: the live server draws one seed, once
    return c;
  }

  VirtualClock clock_;
  TimerQueue timers_;
  NullSender sender_;
  UasCore core_;
  TransactionLayer layer_;
  const MessageParser parser_;
};

std::optional<Call> make_call() {
  Call call;
  call.from.transport = Transport::Udp;
  call.from.remote = *SocketAddress::parse("198.51.100.23", 40123);
  call.from.local = *SocketAddress::parse("203.0.113.40", 5060);
  std::string tag;
  Uas uas;
  if (uas.call(call, &tag) != 0 || tag.empty()) return std::nullopt;  // the INVITE alone
  call.ack = in_dialog("ACK", "z9hG4bK-ack-7f3a", 102, tag);
  call.bye = in_dialog("BYE", "z9hG4bK-bye-7f3a", 103, tag);
  if (uas.call(call) != 0 || uas.call(call) != 0) return std::nullopt;  // twice: nothing left over
  return call;
}

// The floor of BM_UasCall: parsing its three requests.
void BM_AnchorParseCall(benchmark::State& state) {
  const std::optional<Call> call = make_call();
  if (!call) {
    state.SkipWithError("the benchmark call fails");
    return;
  }
  const MessageParser parser;
  for (auto _ : state) {
    for (const std::string* text : {&call->invite, &call->ack, &call->bye}) {
      ParseResult r = parser.parse(*text);
      benchmark::DoNotOptimize(r);
    }
  }
  record(state, call->invite.size() + call->ack.size() + call->bye.size());
}

// INVITE, ACK and BYE of one call from a caller behind NAT, as the stack handles them: parse,
// received/rport stamp, transaction matching, request checks, dialog creation and matching,
// 180 and 200 with SDP built, BYE answered, the transactions' timers run out. msgs/s counts
// calls.
void BM_UasCall(benchmark::State& state) {
  const std::optional<Call> call = make_call();
  if (!call) {
    state.SkipWithError("the benchmark call fails");
    return;
  }
  Uas uas;
  int failures = 0;
  for (auto _ : state) {
    failures += uas.call(*call);
  }
  if (failures != 0) state.SkipWithError("calls failed");
  record(state, call->invite.size() + call->ack.size() + call->bye.size());
}

BENCHMARK(BM_AnchorCopyInvite);
BENCHMARK(BM_ParseInvite);
BENCHMARK(BM_Parse200Ok);
BENCHMARK(BM_ParseSerializeInvite);
BENCHMARK(BM_ParseSerialize200Ok);
BENCHMARK(BM_MakeResponse180);
BENCHMARK(BM_AnchorParseCall);
BENCHMARK(BM_UasCall);

}  // namespace

int main(int argc, char** argv) {
  std::printf("INVITE %zu bytes, 200 OK %zu bytes; BM_AnchorCopyInvite is the floor\n",
              kInvite.size(), kOk.size());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
