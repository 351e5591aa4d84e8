// media/rtp/sequence.h: RTP sequence-number arithmetic modulo 2^16 and the source validation and
// extended sequence of RFC 3550 Appendix A.1. Pure: no clock, no I/O.
#pragma once

#include <cstdint>

namespace sb::media::rtp {

// RFC 1982-style serial comparison: true when `a` comes before `b` modulo 2^16 (the forward
// distance from a to b is in 1..32767).
constexpr bool seq_less(uint16_t a, uint16_t b) {
  return a != b && static_cast<uint16_t>(b - a) < 0x8000;
}
// The signed distance from `a` to `b` in -32768..32767: seq_diff(65535, 1) == 2.
constexpr int seq_diff(uint16_t a, uint16_t b) {
  return static_cast<int16_t>(static_cast<uint16_t>(b - a));
}

// RFC 3550 Appendix A.1: validates a source by MIN_SEQUENTIAL packets in order (probation),
// tracks wraparounds into a 32-bit extended sequence number, and resynchronises after a jump of
// more than MAX_DROPOUT when two sequential packets confirm the new numbering.
class SequenceTracker {
 public:
  static constexpr int kMaxDropout = 3000;
  static constexpr int kMaxMisorder = 100;
  static constexpr int kMinSequential = 2;

  // Feeds one packet's sequence number. Returns true when the packet counts as received
  // (the source is valid and the number is in range, duplicates and late packets included);
  // false while on probation or for a jump that starts a possible resynchronisation.
  bool update(uint16_t seq);

  bool started() const { return started_; }
  bool on_probation() const { return probation_ > 0; }
  // cycles * 2^16 + highest sequence number seen; 0 before the first counted packet.
  uint32_t extended_max() const { return cycles_ + max_seq_; }
  uint32_t extended_base() const { return base_seq_; }
  uint32_t received() const { return received_; }
  // RFC 3550 A.3: extended_max - base_seq + 1.
  uint32_t expected() const { return received_ == 0 ? 0 : extended_max() - base_seq_ + 1; }
  // The extended number of `seq`, taken to be the one nearest extended_max() (for a packet that
  // update() has just accepted). Before the first packet, `seq` itself.
  uint32_t extend(uint16_t seq) const;

 private:
  void init(uint16_t seq);

  bool started_ = false;
  uint16_t max_seq_ = 0;
  uint32_t cycles_ = 0;  // count of wraparounds, shifted left by 16
  uint32_t base_seq_ = 0;
  uint32_t bad_seq_ = 0;  // RTP_SEQ_MOD + 1 when unset, so it matches no 16-bit number
  int probation_ = 0;
  uint32_t received_ = 0;
};

}  // namespace sb::media::rtp
