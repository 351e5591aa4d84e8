// media/rtp/receiver_stats.cc: RFC 3550 A.3 and A.8 over a SequenceTracker.
#include "media/rtp/receiver_stats.h"

#include <algorithm>
#include <cassert>

namespace sb::media::rtp {

ReceiverStats::ReceiverStats(uint32_t clock_rate) : clock_rate_(clock_rate) {
  assert(clock_rate > 0);
}

uint32_t ReceiverStats::to_rtp_units(std::chrono::nanoseconds t) const {
  // Split seconds and the remainder so ticks * rate cannot overflow 64 bits; the result only
  // matters modulo 2^32 (A.8 works on differences).
  const int64_t ns = t.count();
  const int64_t secs = ns / 1'000'000'000;
  const int64_t rem = ns % 1'000'000'000;
  const int64_t units = secs * int64_t{clock_rate_} + rem * int64_t{clock_rate_} / 1'000'000'000;
  return static_cast<uint32_t>(static_cast<uint64_t>(units));
}

bool ReceiverStats::on_packet(uint16_t sequence_number, uint32_t rtp_timestamp,
                              std::chrono::nanoseconds arrival) {
  if (!seq_.update(sequence_number)) {
    return false;
  }
  // A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si); J += (|D| - J) / 16, in the integer form that keeps
  // J scaled by 16. Transit times wrap modulo 2^32 like RTP timestamps; their difference is small.
  const uint32_t transit = to_rtp_units(arrival) - rtp_timestamp;
  if (have_transit_) {
    const int32_t d = static_cast<int32_t>(transit - transit_);
    const uint32_t abs_d =
        d < 0 ? static_cast<uint32_t>(-static_cast<int64_t>(d)) : static_cast<uint32_t>(d);
    jitter_q4_ += abs_d - ((jitter_q4_ + 8) >> 4);
  }
  transit_ = transit;
  have_transit_ = true;
  return true;
}

void ReceiverStats::on_sender_report(uint64_t ntp_timestamp, std::chrono::nanoseconds arrival) {
  lsr_ = ntp_middle32(ntp_timestamp);
  lsr_arrival_ = arrival;
}

ReportBlock ReceiverStats::make_report_block(uint32_t ssrc, std::chrono::nanoseconds now) {
  ReportBlock r;
  r.ssrc = ssrc;
  const uint32_t expected = seq_.expected();
  const uint32_t received = seq_.received();
  // A.3: the interval counts; a resynchronisation (A.1 init) can move expected backwards, so the
  // interval is taken modulo 2^32 and treated as "nothing lost" when it looks negative.
  const uint32_t expected_interval = expected - expected_prior_;
  const uint32_t received_interval = received - received_prior_;
  expected_prior_ = expected;
  received_prior_ = received;
  r.fraction_lost = fraction_lost(expected_interval, received_interval);
  r.cumulative_lost = clamp_cumulative_lost(cumulative_lost());
  r.highest_sequence = seq_.received() == 0 ? 0 : seq_.extended_max();
  r.jitter = jitter();
  if (lsr_) {
    r.lsr = *lsr_;
    r.dlsr = to_ntp_short(now - lsr_arrival_);
  }
  return r;
}

uint8_t fraction_lost(uint32_t expected_interval, uint32_t received_interval) {
  const int64_t lost = int64_t{static_cast<int32_t>(expected_interval)} -
                       int64_t{static_cast<int32_t>(received_interval)};
  if (static_cast<int32_t>(expected_interval) <= 0 || lost <= 0) {
    return 0;
  }
  return static_cast<uint8_t>(std::min<int64_t>((lost << 8) / expected_interval, 255));
}

int32_t clamp_cumulative_lost(int64_t lost) {
  return static_cast<int32_t>(std::clamp<int64_t>(lost, -0x800000, 0x7FFFFF));
}

uint32_t to_ntp_short(std::chrono::nanoseconds d) {
  if (d.count() <= 0) {
    return 0;
  }
  const int64_t ns = d.count();
  const int64_t secs = ns / 1'000'000'000;
  const int64_t rem = ns % 1'000'000'000;
  return static_cast<uint32_t>(static_cast<uint64_t>(secs * 65536 + rem * 65536 / 1'000'000'000));
}

std::optional<std::chrono::microseconds> round_trip_time(const ReportBlock& block,
                                                         uint32_t arrival_ntp_middle32) {
  if (block.lsr == 0) {
    return std::nullopt;
  }
  // Modulo 2^32 like the NTP fields; a "negative" result means skewed or bogus values.
  const int32_t rtt = static_cast<int32_t>(arrival_ntp_middle32 - block.lsr - block.dlsr);
  if (rtt < 0) {
    return std::nullopt;
  }
  return std::chrono::microseconds{int64_t{rtt} * 1'000'000 / 65536};
}

}  // namespace sb::media::rtp
