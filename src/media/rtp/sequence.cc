// media/rtp/sequence.cc: RFC 3550 Appendix A.1, init_seq() and update_seq().
#include "media/rtp/sequence.h"

namespace sb::media::rtp {

namespace {
constexpr uint32_t kSeqMod = 1u << 16;
}

void SequenceTracker::init(uint16_t seq) {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;
  cycles_ = 0;
  received_ = 0;
}

bool SequenceTracker::update(uint16_t seq) {
  if (!started_) {
    // A.1: "the source is declared valid only after MIN_SEQUENTIAL packets have been received
    // in sequence"; the first packet starts probation.
    started_ = true;
    init(seq);
    max_seq_ = static_cast<uint16_t>(seq - 1);
    probation_ = kMinSequential;
  }
  const uint16_t udelta = static_cast<uint16_t>(seq - max_seq_);
  if (probation_ > 0) {
    // The RFC's "seq == s->max_seq + 1" is compared in int and misses 65535 -> 0; modulo 2^16.
    if (seq == static_cast<uint16_t>(max_seq_ + 1)) {
      --probation_;
      max_seq_ = seq;
      if (probation_ == 0) {
        init(seq);
        ++received_;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      max_seq_ = seq;
    }
    return false;
  }
  if (udelta < kMaxDropout) {
    // In order, with a permissible gap.
    if (seq < max_seq_) {
      cycles_ += kSeqMod;
    }
    max_seq_ = seq;
  } else if (udelta <= kSeqMod - kMaxMisorder) {
    // A very large jump: a restarted sender, or garbage. Believe it after a second packet.
    if (seq == bad_seq_) {
      init(seq);
    } else {
      bad_seq_ = (seq + 1u) & (kSeqMod - 1);
      return false;
    }
  }
  // Else a duplicate or reordered packet: counted, max unchanged.
  ++received_;
  return true;
}

uint32_t SequenceTracker::extend(uint16_t seq) const {
  if (!started_) {
    return seq;
  }
  return extended_max() + static_cast<uint32_t>(seq_diff(max_seq_, seq));
}

}  // namespace sb::media::rtp
