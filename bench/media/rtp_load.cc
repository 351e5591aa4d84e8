// RTP load generator for the media relay benchmark (bench/media_relay.py).
//
// For each call two UDP sockets, "caller" and "callee", each send a G.711 stream: 12-byte RTP
// header + 160 payload bytes, PT 0 (PCMU), own SSRC, seq +1 and timestamp +160 per packet,
// one packet every 20 ms. The 2N streams are phase-shifted so that sends are spread evenly over
// the 20 ms period. Each socket counts what it receives, i.e. what the relay forwarded from the
// other side of the call. One thread, non-blocking sockets, clock_nanosleep pacing; received
// packets are collected with recvmmsg() in periodic sweeps over all sockets (every --poll-ms),
// and the arrival time is the kernel's SO_TIMESTAMPNS stamp, so the sweep delay does not count
// in the transit time.
//
// The sockets are connect()ed to their targets (saves the route lookup per send; a symmetric
// relay answers from the address it is sent to; --no-connect if it does not). On the 2-vCPU
// KVM guest it was written on, one core generates about 150k packets/s each way (1,500 calls) with time to spare;
// it falls behind near 2,000 calls, and says so (late_sends, max_send_lag_ms, gen_cpu_fraction).
// Its own receive-queue drops (SO_RXQ_OVFL) are reported as gen_rx_drops.
//
// The payload carries the send time (CLOCK_REALTIME), the sender's stream index and whether the
// packet was sent inside the measured window (after --warmup, for --duration seconds). After the
// last send the generator keeps receiving for --drain-ms, then prints one JSON object; a packet
// of the measured window that is not back by then counts as lost.
//
// Targets:
//   --relay-ports B       caller of call i sends to B+4i, callee to B+4i+2 (c_relay layout)
//   --targets FILE        line i: "callerTargetPort calleeTargetPort" (e.g. from rtpengine)
//   --local-base L        caller of call i binds L+4i, callee L+4i+2 (0: ephemeral ports)
//
// Build: g++ -std=c++20 -O2 -o rtp_load bench/media/rtp_load.cc
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr int kRtpHeader = 12;
constexpr int kPayload = 160;
constexpr int kPacket = kRtpHeader + kPayload;
constexpr int64_t kPtimeNs = 20'000'000;
constexpr uint32_t kMagic = 0x53424d52;  // "SBMR"
constexpr int kBatch = 32;
constexpr int64_t kHistMaxUs = 2'000'000;  // transit histogram: 10 µs buckets up to 2 s
constexpr int64_t kHistStepUs = 10;

int64_t now_ns(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void sleep_until(int64_t t) {
  timespec ts{time_t(t / 1'000'000'000), long(t % 1'000'000'000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "rtp_load: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: rtp_load --calls N (--relay-ports B | --targets FILE) [--local-base L]\n"
               "                [--duration S] [--warmup S] [--drain-ms MS] [--poll-ms MS] [--host IP]\n"
               "                [--quantum-us US] [--no-connect]\n");
  std::exit(2);
}

struct Stream {
  int fd = -1;
  sockaddr_in target{};
  uint16_t seq = 0;
  uint32_t ts = 0;
  uint32_t ssrc = 0;
  uint32_t drops = 0;  // SO_RXQ_OVFL: packets this socket's full receive queue dropped
};

struct Stats {
  uint64_t sent = 0, sent_total = 0, send_errors = 0;
  uint64_t received = 0, received_total = 0, misrouted = 0, foreign = 0;
  uint64_t late_sends = 0;  // sent more than 2 ms after their due time
  int64_t max_lag_ns = 0;
  std::vector<uint64_t> hist = std::vector<uint64_t>(kHistMaxUs / kHistStepUs + 1, 0);
};

sockaddr_in loopback(const char* host, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
    std::fprintf(stderr, "rtp_load: bad address %s\n", host);
    std::exit(2);
  }
  return a;
}

struct Receiver {
  mmsghdr msgs[kBatch];
  iovec iovs[kBatch];
  alignas(8) char bufs[kBatch][2048];
  alignas(8) char cmsg[kBatch][128];

  // Drain one socket (stream index k) until EAGAIN.
  void drain(int k, int fd, uint32_t& drops, Stats& st) {
    for (;;) {
      for (int m = 0; m < kBatch; m++) {
        iovs[m] = {bufs[m], sizeof bufs[m]};
        msgs[m].msg_hdr = {};
        msgs[m].msg_hdr.msg_iov = &iovs[m];
        msgs[m].msg_hdr.msg_iovlen = 1;
        msgs[m].msg_hdr.msg_control = cmsg[m];
        msgs[m].msg_hdr.msg_controllen = sizeof cmsg[m];
      }
      int n = recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
      if (n <= 0) return;
      for (int m = 0; m < n; m++) account(k, msgs[m], bufs[m], drops, st);
      if (n < kBatch) return;
    }
  }

  static void account(int k, const mmsghdr& mm, const char* buf, uint32_t& drops, Stats& st) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&mm.msg_hdr); c; c = CMSG_NXTHDR(const_cast<msghdr*>(&mm.msg_hdr), c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
        uint32_t d;
        std::memcpy(&d, CMSG_DATA(c), sizeof d);
        drops = std::max(drops, d);
      }
    }
    if (mm.msg_len != unsigned(kPacket)) {
      st.foreign++;
      return;
    }
    uint32_t magic, from, measured;
    int64_t sent_ns;
    std::memcpy(&magic, buf + kRtpHeader, 4);
    std::memcpy(&from, buf + kRtpHeader + 4, 4);
    std::memcpy(&measured, buf + kRtpHeader + 8, 4);
    std::memcpy(&sent_ns, buf + kRtpHeader + 12, 8);
    if (magic != kMagic) {
      st.foreign++;
      return;
    }
    st.received_total++;
    if (int(from) != (k ^ 1)) {
      st.misrouted++;
      return;
    }
    if (!measured) return;
    st.received++;
    int64_t rx_ns = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&mm.msg_hdr); c; c = CMSG_NXTHDR(const_cast<msghdr*>(&mm.msg_hdr), c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        rx_ns = int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      }
    }
    if (rx_ns >= 0) {
      int64_t us = std::clamp<int64_t>((rx_ns - sent_ns) / 1000, 0, kHistMaxUs);
      st.hist[size_t(us / kHistStepUs)]++;
    }
  }
};

double percentile_us(const std::vector<uint64_t>& hist, double q) {
  uint64_t total = 0;
  for (auto c : hist) total += c;
  if (!total) return -1;
  uint64_t want = uint64_t(q * double(total) + 0.5), acc = 0;
  for (size_t i = 0; i < hist.size(); i++) {
    acc += hist[i];
    if (acc >= std::max<uint64_t>(want, 1)) return double(i * kHistStepUs);
  }
  return double(kHistMaxUs);
}

}  // namespace

int main(int argc, char** argv) {
  long calls = -1, relay_base = -1, local_base = 0;
  double duration = 5, warmup = 1, drain_ms = 500, poll_ms = 100, quantum_us = 200;
  std::string targets_file, host = "127.0.0.1";
  bool connect_sockets = true;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--calls") calls = std::strtol(next(), nullptr, 10);
    else if (a == "--relay-ports") relay_base = std::strtol(next(), nullptr, 10);
    else if (a == "--targets") targets_file = next();
    else if (a == "--local-base") local_base = std::strtol(next(), nullptr, 10);
    else if (a == "--duration") duration = std::strtod(next(), nullptr);
    else if (a == "--warmup") warmup = std::strtod(next(), nullptr);
    else if (a == "--drain-ms") drain_ms = std::strtod(next(), nullptr);
    else if (a == "--poll-ms") poll_ms = std::strtod(next(), nullptr);
    else if (a == "--host") host = next();
    else if (a == "--no-connect") connect_sockets = false;
    else if (a == "--quantum-us") quantum_us = std::strtod(next(), nullptr);
    else usage();
  }
  if (calls <= 0 || (relay_base < 0) == targets_file.empty() || duration <= 0 || warmup < 0 || poll_ms <= 0)
    usage();
  const int n = int(2 * calls);

  std::vector<Stream> streams(static_cast<size_t>(n));
  if (!targets_file.empty()) {
    std::ifstream in(targets_file);
    for (long i = 0; i < calls; i++) {
      int a, b;
      if (!(in >> a >> b)) {
        std::fprintf(stderr, "rtp_load: %s: expected %ld lines of \"callerPort calleePort\"\n",
                     targets_file.c_str(), calls);
        return 2;
      }
      streams[size_t(2 * i)].target = loopback(host.c_str(), a);
      streams[size_t(2 * i + 1)].target = loopback(host.c_str(), b);
    }
  } else {
    for (int k = 0; k < n; k++)
      streams[size_t(k)].target = loopback(host.c_str(), int(relay_base + 4 * (k / 2) + 2 * (k % 2)));
  }
  const int on = 1, buf_bytes = 4 << 20;
  for (int k = 0; k < n; k++) {
    Stream& s = streams[size_t(k)];
    s.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd < 0) die("socket (raise ulimit -n?)");
    setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &buf_bytes, sizeof buf_bytes);
    setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &buf_bytes, sizeof buf_bytes);
    setsockopt(s.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    setsockopt(s.fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);  // the generator's own drops
    sockaddr_in me = loopback(host.c_str(), local_base ? int(local_base + 4 * (k / 2) + 2 * (k % 2)) : 0);
    if (bind(s.fd, reinterpret_cast<sockaddr*>(&me), sizeof me) < 0)
      die("bind port " + std::to_string(ntohs(me.sin_port)));
    // Connected: the kernel keeps the route, and sendto() skips the lookup. A symmetric relay
    // answers from the address it is sent to, so nothing it forwards is filtered out.
    if (connect_sockets && connect(s.fd, reinterpret_cast<const sockaddr*>(&s.target), sizeof s.target) < 0)
      die("connect");
    s.ssrc = 0x10000000u + uint32_t(k) * 2654435761u;
    s.seq = uint16_t(k * 7919);
    s.ts = uint32_t(k) * 1000u;
  }

  Stats st;
  Receiver rx;
  const int64_t period = kPtimeNs;
  const int64_t rounds_warm = int64_t(warmup * 1e9) / period;
  const int64_t rounds = rounds_warm + int64_t(duration * 1e9) / period;
  const int64_t poll_ns = int64_t(poll_ms * 1e6);
  const int64_t quantum_ns = int64_t(quantum_us * 1e3);
  const int64_t t0 = now_ns(CLOCK_MONOTONIC) + 50'000'000;
  rusage ru0;
  getrusage(RUSAGE_SELF, &ru0);

  // Send g: stream g % n, round g / n, due t0 + round*period + stream*period/n.
  // Sweep h: stream h % n, due t0 + (h / n)*poll + (h % n)*poll/n.
  const int64_t sends_total = rounds * n;
  int64_t g = 0, h = 0;
  auto send_due = [&](int64_t gi) { return t0 + (gi / n) * period + (gi % n) * period / n; };
  auto sweep_due = [&](int64_t hi) { return t0 + (hi / n) * poll_ns + (hi % n) * poll_ns / n; };
  alignas(8) unsigned char pkt[kPacket];
  std::memset(pkt, 0xff, sizeof pkt);  // PCMU silence
  pkt[0] = 0x80;
  pkt[1] = 0;  // PT 0
  std::memcpy(pkt + kRtpHeader, &kMagic, 4);

  while (g < sends_total) {
    int64_t now = now_ns(CLOCK_MONOTONIC);
    int budget = 4096;  // sends before looking at the receive sweep again
    while (g < sends_total && send_due(g) <= now && budget-- > 0) {
      int k = int(g % n);
      int64_t round = g / n;
      Stream& s = streams[size_t(k)];
      int64_t lag = now - send_due(g);
      st.max_lag_ns = std::max(st.max_lag_ns, lag);
      if (lag > 2'000'000) st.late_sends++;
      uint32_t measured = round >= rounds_warm ? 1u : 0u;
      uint16_t seq_be = htons(s.seq);
      uint32_t ts_be = htonl(s.ts), ssrc_be = htonl(s.ssrc), from = uint32_t(k);
      int64_t sent_ns = now_ns(CLOCK_REALTIME);
      std::memcpy(pkt + 2, &seq_be, 2);
      std::memcpy(pkt + 4, &ts_be, 4);
      std::memcpy(pkt + 8, &ssrc_be, 4);
      std::memcpy(pkt + kRtpHeader + 4, &from, 4);
      std::memcpy(pkt + kRtpHeader + 8, &measured, 4);
      std::memcpy(pkt + kRtpHeader + 12, &sent_ns, 8);
      ssize_t r = connect_sockets ? send(s.fd, pkt, kPacket, 0)
                                  : sendto(s.fd, pkt, kPacket, 0, reinterpret_cast<const sockaddr*>(&s.target),
                                           sizeof s.target);
      if (r != kPacket) st.send_errors++;
      st.sent_total++;
      if (measured) st.sent++;
      s.seq++;
      s.ts += kPayload;
      g++;
      if ((budget & 63) == 0) now = now_ns(CLOCK_MONOTONIC);
    }
    now = now_ns(CLOCK_MONOTONIC);
    int sweep_budget = n;
    while (sweep_due(h) <= now && sweep_budget-- > 0) {
      int k = int(h % n);
      rx.drain(k, streams[size_t(k)].fd, streams[size_t(k)].drops, st);
      h++;
    }
    // Sleep (never spin) until the next event, at least --quantum-us: at high rates the sends
    // then go out in small bursts, still spread evenly at that granularity.
    if (g < sends_total) {
      int64_t next = std::min(send_due(g), sweep_due(h));
      now = now_ns(CLOCK_MONOTONIC);
      if (next > now) sleep_until(std::max(next, now + quantum_ns));
    }
  }
  // Drain: full sweeps every 20 ms for drain_ms, then one last sweep.
  const int64_t t_last = now_ns(CLOCK_MONOTONIC);
  const int64_t drain_end = t_last + int64_t(drain_ms * 1e6);
  for (int pass = 0; pass < 1000; pass++) {
    for (int k = 0; k < n; k++) rx.drain(k, streams[size_t(k)].fd, streams[size_t(k)].drops, st);
    int64_t now = now_ns(CLOCK_MONOTONIC);
    if (now >= drain_end) break;
    sleep_until(std::min(drain_end, now + 20'000'000));
  }
  for (int k = 0; k < n; k++) rx.drain(k, streams[size_t(k)].fd, streams[size_t(k)].drops, st);
  rusage ru1;
  getrusage(RUSAGE_SELF, &ru1);
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  double cpu = secs(ru1.ru_utime) - secs(ru0.ru_utime) + secs(ru1.ru_stime) - secs(ru0.ru_stime);
  double send_span = double(t_last - t0) / 1e9;
  uint64_t gen_drops = 0;
  for (auto& s : streams) {
    gen_drops += s.drops;
    close(s.fd);
  }

  double loss = st.sent ? 1.0 - double(st.received) / double(st.sent) : 1.0;
  std::printf(
      "{\"calls\": %ld, \"streams\": %d, \"duration\": %.3f, \"warmup\": %.3f, \"sent\": %" PRIu64
      ", \"received\": %" PRIu64 ", \"loss_fraction\": %.6f, \"sent_total\": %" PRIu64
      ", \"received_total\": %" PRIu64 ", \"misrouted\": %" PRIu64 ", \"foreign\": %" PRIu64
      ", \"send_errors\": %" PRIu64 ", \"gen_rx_drops\": %" PRIu64 ", \"late_sends\": %" PRIu64
      ", \"max_send_lag_ms\": %.3f, \"transit_p50_us\": %.0f, \"transit_p99_us\": %.0f"
      ", \"transit_max_us\": %.0f, \"gen_cpu_s\": %.3f, \"gen_cpu_fraction\": %.3f, \"pps_each_way\": %.0f}\n",
      calls, n, duration, warmup, st.sent, st.received, loss, st.sent_total, st.received_total, st.misrouted,
      st.foreign, st.send_errors, gen_drops, st.late_sends, double(st.max_lag_ns) / 1e6, percentile_us(st.hist, 0.5),
      percentile_us(st.hist, 0.99), percentile_us(st.hist, 1.0), cpu, send_span > 0 ? cpu / (send_span + drain_ms / 1e3) : 0,
      double(n) * 1e9 / double(period));
  return 0;
}
