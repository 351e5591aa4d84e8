// media/engine/stream_rewriter.cc
#include "media/engine/stream_rewriter.h"

#include <algorithm>

namespace sb::media::engine {

StreamRewriter::StreamRewriter(uint32_t ssrc, uint16_t first_sequence,
                               uint32_t first_timestamp, uint32_t clock_rate)
    : ssrc_(ssrc),
      clock_rate_(clock_rate),
      last_sequence_(static_cast<uint16_t>(first_sequence - 1)),
      last_timestamp_(first_timestamp) {}

uint32_t StreamRewriter::elapsed_units(TimePoint now) const {
  if (packets_ == 0) return 0;
  auto us = std::max<int64_t>(0, (now - last_sent_).count());
  return static_cast<uint32_t>(us * clock_rate_ / 1'000'000);
}

void StreamRewriter::note_sent(uint16_t sequence, uint32_t timestamp, TimePoint now) {
  // Only move forward: a reordered relayed packet must not pull the reference back.
  if (packets_ == 0 || static_cast<int16_t>(sequence - last_sequence_) > 0) {
    last_sequence_ = sequence;
    last_timestamp_ = timestamp;
    last_sent_ = now;
  }
  ++packets_;
}

RewrittenHeader StreamRewriter::relay(uint32_t source_ssrc, uint16_t sequence,
                                      uint32_t timestamp, bool marker, TimePoint now) {
  RewrittenHeader out;
  if (source_ != source_ssrc || rebase_next_) {
    rebase_next_ = false;
    // Continue one past the last packet, at least one packet's worth of time later.
    uint32_t advance = std::max<uint32_t>(elapsed_units(now), pending_generate_units_);
    if (packets_ == 0) advance = 0;
    sequence_offset_ = static_cast<uint16_t>(last_sequence_ + 1 - sequence);
    timestamp_offset_ = last_timestamp_ + advance - timestamp;
    source_ = source_ssrc;
    marker = true;
  }
  out.sequence = static_cast<uint16_t>(sequence + sequence_offset_);
  out.timestamp = timestamp + timestamp_offset_;
  out.marker = marker;
  note_sent(out.sequence, out.timestamp, now);
  return out;
}

RewrittenHeader StreamRewriter::generate(uint32_t rtp_units, TimePoint now) {
  RewrittenHeader out;
  out.sequence = static_cast<uint16_t>(last_sequence_ + 1);
  if (source_.has_value() || packets_ == 0 || rebase_next_) {
    rebase_next_ = false;
    // Switching from relayed packets: leave room for the time that passed.
    out.timestamp = last_timestamp_ + (packets_ == 0 ? 0 : std::max(elapsed_units(now), rtp_units));
    out.marker = true;
    source_.reset();
  } else {
    out.timestamp = last_timestamp_ + pending_generate_units_;
  }
  pending_generate_units_ = rtp_units;
  note_sent(out.sequence, out.timestamp, now);
  return out;
}

}  // namespace sb::media::engine

namespace sb::media::engine {

uint32_t StreamRewriter::timestamp_at(TimePoint now) const {
  if (packets_ == 0) return last_timestamp_;
  return last_timestamp_ + std::max(elapsed_units(now), pending_generate_units_);
}

RewrittenHeader StreamRewriter::event(uint32_t event_timestamp, TimePoint now) {
  RewrittenHeader out;
  out.sequence = static_cast<uint16_t>(last_sequence_ + 1);
  out.timestamp = event_timestamp;
  // Keep the reference at the event's start: the next audio is placed by elapsed time.
  last_sequence_ = out.sequence;
  last_timestamp_ = event_timestamp;
  if (packets_ == 0 || !rebase_next_) last_sent_ = now;
  ++packets_;
  rebase_next_ = true;
  pending_generate_units_ = 0;
  return out;
}

}  // namespace sb::media::engine
