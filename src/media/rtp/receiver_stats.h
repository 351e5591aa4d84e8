// media/rtp/receiver_stats.h: what an RTP receiver reports about one source: RFC 3550 A.1
// (validation, extended sequence), A.3 (expected, lost, fraction lost) and A.8 (interarrival
// jitter), and the LSR/DLSR of the last SR. Pure: packets and arrival times come in as values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "media/rtp/rtcp_packet.h"
#include "media/rtp/rtp_packet.h"
#include "media/rtp/sequence.h"

namespace sb::media::rtp {

// Statistics for one SSRC. Arrival times are on any monotonic time line (the caller's clock);
// only differences matter. Not thread-safe: one owner, the media thread of the stream.
class ReceiverStats {
 public:
  // `clock_rate`: the RTP timestamp rate of the payload format (8000 for G.711), > 0.
  explicit ReceiverStats(uint32_t clock_rate);

  // One received RTP packet. Returns whether it counted (see SequenceTracker::update); jitter
  // is updated for every counted packet after the first.
  bool on_packet(uint16_t sequence_number, uint32_t rtp_timestamp,
                 std::chrono::nanoseconds arrival);
  bool on_packet(const RtpPacket& packet, std::chrono::nanoseconds arrival) {
    return on_packet(packet.sequence_number, packet.timestamp, arrival);
  }
  // An SR from this source arrived: remembered for LSR and DLSR.
  void on_sender_report(uint64_t ntp_timestamp, std::chrono::nanoseconds arrival);

  const SequenceTracker& sequence() const { return seq_; }
  uint32_t received() const { return seq_.received(); }
  uint32_t expected() const { return seq_.expected(); }
  // A.3: expected - received, which duplicates can make negative; not clamped.
  int64_t cumulative_lost() const { return int64_t{seq_.expected()} - int64_t{seq_.received()}; }
  // A.8: the jitter estimate in RTP timestamp units (the value a report block carries).
  uint32_t jitter() const { return jitter_q4_ >> 4; }

  // The report block for this source at time `now`. Starts a new reporting interval: the
  // fraction lost is over the packets since the previous call (A.3).
  ReportBlock make_report_block(uint32_t ssrc, std::chrono::nanoseconds now);

 private:
  uint32_t to_rtp_units(std::chrono::nanoseconds t) const;

  uint32_t clock_rate_;
  SequenceTracker seq_;
  uint32_t expected_prior_ = 0;
  uint32_t received_prior_ = 0;
  bool have_transit_ = false;
  uint32_t transit_ = 0;    // relative transit time of the previous packet, modulo 2^32
  uint32_t jitter_q4_ = 0;  // jitter * 16 (A.8's integer form)
  std::optional<uint32_t> lsr_;
  std::chrono::nanoseconds lsr_arrival_{0};
};

// A.3: the fraction lost in an interval as 8-bit fixed point, 0 when nothing was lost (or
// duplicates outnumber the losses).
uint8_t fraction_lost(uint32_t expected_interval, uint32_t received_interval);

// A.3: cumulative lost clamped to the 24-bit signed field.
int32_t clamp_cumulative_lost(int64_t lost);

// RFC 3550 §6.4.1: round-trip time from a report block about our own stream, given the arrival
// time of that report as the middle 32 bits of an NTP timestamp: A - LSR - DLSR. nullopt when the
// block has no LSR (the peer has had no SR from us) or the result is negative (clock trouble).
std::optional<std::chrono::microseconds> round_trip_time(const ReportBlock& block,
                                                         uint32_t arrival_ntp_middle32);

// Converts a duration to the 1/65536 s units of DLSR and RTT (truncating).
uint32_t to_ntp_short(std::chrono::nanoseconds d);

}  // namespace sb::media::rtp
