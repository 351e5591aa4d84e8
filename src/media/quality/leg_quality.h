// media/quality/leg_quality.h: a call leg's quality snapshot (loss, jitter, delay, R, MOS) from
// the counters the RTP session keeps. Pure: the caller passes the numbers in (from
// rtp::ReceiverStats and its RTCP round-trip time). Not here: collecting them, reporting.
#pragma once

#include <cstdint>
#include <optional>

#include "media/quality/e_model.h"

namespace sb::media::quality {

struct LegQualityInput {
  uint64_t packets_expected = 0;  // ReceiverStats::expected()
  int64_t packets_lost = 0;       // ReceiverStats::cumulative_lost(); negative with duplicates
  // Packets that arrived but too late for playout (jitter buffer PushResult::Late): lost to
  // the listener, so they count as loss for R, but not in packets_lost.
  uint64_t packets_late = 0;
  uint64_t packets_sent = 0;      // by us on this leg
  double jitter_ms = 0;           // RFC 3550 interarrival jitter, see jitter_ms() below
  std::optional<double> rtt_ms;   // from RTCP (rtp::round_trip_time), when known
  CodecKind codec = CodecKind::G711;
  double jitter_buffer_ms = 40;   // the playout delay the jitter buffer currently holds
  double packetisation_ms = 20;   // audio per packet (ptime): a frame is sent once complete
};

struct LegQuality {
  uint64_t packets_received = 0;
  uint64_t packets_sent = 0;
  uint64_t packets_lost = 0;  // clamped to 0..expected
  double loss_percent = 0;    // (lost + late) / expected
  double jitter_ms = 0;
  std::optional<double> rtt_ms;
  // Mouth-to-ear estimate: rtt/2 (network, 0 while no RTT is known, so it underestimates)
  // + jitter buffer + packetisation + codec look-ahead. Far-end buffering is unknown to us.
  double one_way_delay_ms = 0;
  double r = 0;
  double mos = 0;
};

LegQuality leg_quality(const LegQualityInput& input);

// ReceiverStats::jitter() is in RTP timestamp units: milliseconds at `clock_rate` (> 0).
double jitter_ms(uint32_t rtp_units, uint32_t clock_rate);

}  // namespace sb::media::quality
