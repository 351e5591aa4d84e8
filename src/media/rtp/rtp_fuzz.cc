// media/rtp/rtp_fuzz.cc: libFuzzer target for the RTP and RTCP parsers. The first input byte
// picks the reader, the rest is a datagram: even bytes parse RTP (and its RFC 8285 extension
// elements, then rebuild it and parse again), odd bytes parse an RTCP compound (and rebuild
// every packet and parse again). Both also feed ReceiverStats. A first byte of 0xF0 or more
// reads the rest as length-prefixed RTP packets carrying RFC 4733 telephone-events into a
// DtmfReceiver, which must report every Started once and end it once. Built by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>
#include <vector>

#include "media/dtmf/dtmf_receiver.h"
#include "media/dtmf/telephone_event.h"
#include "media/rtp/receiver_stats.h"
#include "media/rtp/rtcp_packet.h"
#include "media/rtp/rtp_packet.h"

namespace {

using namespace sb::media::rtp;

// A crash, not an assert: the fuzz build may define NDEBUG.
void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

bool inside(std::span<const uint8_t> part, std::span<const uint8_t> whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void fuzz_rtp(std::span<const uint8_t> data) {
  const auto p = parse_rtp(data);
  if (!p) {
    return;
  }
  check(inside(p->payload, data) && inside(p->csrcs, data) && inside(p->extension_data, data));
  uint64_t sum = 0;
  for (const uint8_t b : p->payload) {
    sum += b;
  }
  for (std::size_t i = 0; i < p->csrc_count(); ++i) {
    sum += p->csrc(i);
  }
  std::vector<RtpExtensionElement> elements;
  if (const auto e = parse_extension_elements(*p)) {
    elements = *e;
    for (const auto& el : elements) {
      check(inside(el.data, p->extension_data));
    }
  }
  // Rebuild from the parsed fields: the result must parse to the same fields.
  RtpHeaderFields h;
  h.marker = p->marker;
  h.payload_type = p->payload_type;
  h.sequence_number = p->sequence_number;
  h.timestamp = p->timestamp;
  h.ssrc = p->ssrc;
  for (std::size_t i = 0; i < p->csrc_count(); ++i) {
    h.csrcs.push_back(p->csrc(i));
  }
  h.has_extension = p->has_extension;
  h.extension_profile = p->extension_profile;
  h.extension_data.assign(p->extension_data.begin(), p->extension_data.end());
  h.padding_size = p->padding_size;
  const auto built = build_rtp(h, p->payload);
  check(built.has_value());
  const auto again = parse_rtp(*built);
  check(again.has_value());
  check(again->sequence_number == p->sequence_number && again->ssrc == p->ssrc &&
        again->payload.size() == p->payload.size() && again->padding_size == p->padding_size &&
        again->extension_data.size() == p->extension_data.size() &&
        again->csrc_count() == p->csrc_count());
  if (!elements.empty()) {
    RtpHeaderFields h2;
    if (set_extension_elements(h2, elements)) {
      const auto b2 = build_rtp(h2, {});
      check(b2.has_value());
      const auto p2 = parse_rtp(*b2);
      check(p2.has_value());
      const auto e2 = parse_extension_elements(*p2);
      check(e2.has_value() && e2->size() == elements.size());
    }
  }
  ReceiverStats stats{8000};
  stats.on_packet(*p, std::chrono::nanoseconds{static_cast<int64_t>(sum)});
  stats.on_packet(static_cast<uint16_t>(p->sequence_number + 1), p->timestamp + 160,
                  std::chrono::milliseconds{20});
  (void)stats.make_report_block(p->ssrc, std::chrono::seconds{1});
}

void fuzz_rtcp(std::span<const uint8_t> data) {
  const auto r = parse_rtcp(data);
  if (!r) {
    return;
  }
  ReceiverStats stats{48000};
  std::vector<uint8_t> out;
  bool rebuildable = true;
  for (const auto& packet : *r) {
    if (const auto* sr = std::get_if<SenderReport>(&packet)) {
      stats.on_sender_report(sr->ntp_timestamp, std::chrono::seconds{sr->rtp_timestamp});
      for (const auto& b : sr->reports) {
        (void)round_trip_time(b, ntp_middle32(sr->ntp_timestamp));
      }
    }
    if (const auto* sdes = std::get_if<SourceDescription>(&packet)) {
      for (const auto& c : sdes->chunks) {
        for (const auto& item : c.items) {
          const std::span<const uint8_t> text{reinterpret_cast<const uint8_t*>(item.text.data()),
                                              item.text.size()};
          check(inside(text, data));
        }
      }
    }
    // SDES items of type 0 cannot come out of the parser, so every parsed packet rebuilds,
    // except an unknown packet whose padding left a body that is not whole words.
    const auto* unknown = std::get_if<RtcpUnknown>(&packet);
    const bool aligned = unknown == nullptr || unknown->body.size() % 4 == 0;
    const auto n = append_rtcp(out, packet);
    check(n.has_value() == aligned);
    rebuildable = rebuildable && aligned;
  }
  if (!rebuildable) {
    return;
  }
  // The rebuilt compound parses to the same packets (padding and profile extensions dropped).
  const auto again = parse_rtcp(out);
  check(again.has_value() && again->size() == r->size());
  for (std::size_t i = 0; i < r->size(); ++i) {
    check((*again)[i] == (*r)[i]);
  }
  (void)stats.make_report_block(1, std::chrono::hours{1});
}

}  // namespace

void fuzz_dtmf(std::span<const uint8_t> data) {
  sb::media::dtmf::DtmfReceiver receiver;
  sb::TimePoint now{};
  int open = 0;
  auto count = [&](const std::vector<sb::media::dtmf::DtmfNotice>& notices) {
    for (const auto& n : notices) {
      open += n.kind == sb::media::dtmf::DtmfNotice::Kind::Started ? 1 : -1;
      check(open == 0 || open == 1);  // never two events at once, never an end without a start
    }
  };
  size_t at = 0;
  while (at < data.size()) {
    const size_t length = data[at++];
    if (length > data.size() - at) break;
    const auto packet = parse_rtp(data.subspan(at, length));
    at += length;
    now += std::chrono::milliseconds(7);
    if (!packet) continue;
    (void)sb::media::dtmf::decode_telephone_events(packet->payload);
    count(receiver.on_packet({packet->timestamp, packet->sequence_number, packet->marker, packet->payload, now}));
    if (packet->sequence_number % 5 == 0) count(receiver.on_tick(now + std::chrono::milliseconds(100)));
  }
  count(receiver.on_tick(now + std::chrono::seconds(10)));
  check(open == 0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::span<const uint8_t> rest{data + 1, size - 1};
  (void)is_rtcp(rest);
  if (data[0] >= 0xF0) {
    fuzz_dtmf(rest);
  } else if (data[0] % 2 == 0) {
    fuzz_rtp(rest);
  } else {
    fuzz_rtcp(rest);
  }
  return 0;
}
