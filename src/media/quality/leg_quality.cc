// media/quality/leg_quality.cc: counters to a snapshot; the E-model does the rating.
#include "media/quality/leg_quality.h"

#include <algorithm>

namespace sb::media::quality {

LegQuality leg_quality(const LegQualityInput& in) {
  LegQuality out;
  const uint64_t expected = in.packets_expected;
  out.packets_lost = static_cast<uint64_t>(std::clamp<int64_t>(
      in.packets_lost, 0, static_cast<int64_t>(std::min<uint64_t>(expected, INT64_MAX))));
  // Received is what arrived, duplicates included: expected - lost (RFC 3550 A.3 turned around).
  const int64_t received = static_cast<int64_t>(expected) - in.packets_lost;
  out.packets_received = static_cast<uint64_t>(std::max<int64_t>(received, 0));
  out.packets_sent = in.packets_sent;
  if (expected > 0) {
    const uint64_t unplayed = std::min(expected, out.packets_lost + in.packets_late);
    out.loss_percent = 100.0 * static_cast<double>(unplayed) / static_cast<double>(expected);
  }
  out.jitter_ms = in.jitter_ms;
  out.rtt_ms = in.rtt_ms;

  const CodecImpairment codec = codec_impairment(in.codec);
  out.one_way_delay_ms = in.rtt_ms.value_or(0) / 2 + in.jitter_buffer_ms + in.packetisation_ms +
                         codec.lookahead_ms;
  // Burst ratio 1: ReceiverStats gives no loss-run statistics, so loss is rated as random.
  const EModelResult e = e_model(EModelInput{codec.ie, codec.bpl, out.loss_percent, 1,
                                             out.one_way_delay_ms});
  out.r = e.r;
  out.mos = e.mos;
  return out;
}

double jitter_ms(uint32_t rtp_units, uint32_t clock_rate) {
  return 1000.0 * rtp_units / clock_rate;
}

}  // namespace sb::media::quality
