// bench/sip_bench.cc: SIP message throughput: parse, parse + serialize, and make_response on a
// realistic INVITE with SDP and its 200 OK. The anchor is copying the same bytes into a
// std::string, which every parse pays (the parser owns its buffer). Not a transport benchmark.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <variant>

#include "sip/message_builder.h"
#include "sip/message_parser.h"

namespace {

using namespace sb::sip;

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

BENCHMARK(BM_AnchorCopyInvite);
BENCHMARK(BM_ParseInvite);
BENCHMARK(BM_Parse200Ok);
BENCHMARK(BM_ParseSerializeInvite);
BENCHMARK(BM_ParseSerialize200Ok);
BENCHMARK(BM_MakeResponse180);

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
