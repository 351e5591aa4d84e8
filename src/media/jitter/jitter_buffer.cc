// media/jitter/jitter_buffer.cc: playout schedule, loss/late/duplicate handling and delay
// adaptation. The schedule maps RTP time to wall time: play(ts) = ts + min transit + delay.
#include "media/jitter/jitter_buffer.h"

#include <algorithm>
#include <cstdlib>

namespace sb::media::jitter {

namespace {
constexpr std::int64_t kTimestampBase = std::int64_t{1} << 32;  // keeps extended values > 0
constexpr std::int64_t kSeenHistory = 512;

std::int64_t to_us(TimePoint t) { return t.time_since_epoch().count(); }
}  // namespace

JitterBuffer::JitterBuffer(JitterBufferConfig config) : config_(config) {
  // A configuration mistake must not divide by zero on the media thread.
  config_.clock_rate = std::max<std::uint32_t>(1, config_.clock_rate);
  config_.frame_samples = std::max<std::uint32_t>(1, config_.frame_samples);
  config_.max_delay = std::max(config_.max_delay, config_.min_delay);
  target_delay_ = config_.min_delay;
  current_delay_ = config_.min_delay;
  stats_.target_delay = target_delay_;
  stats_.current_delay = current_delay_;
}

Duration JitterBuffer::frame_duration() const {
  return Duration{static_cast<Duration::rep>(std::int64_t{config_.frame_samples} * 1'000'000 /
                                             config_.clock_rate)};
}

std::int64_t JitterBuffer::timestamp_us(std::int64_t ext_timestamp) const {
  return ext_timestamp * 1'000'000 / config_.clock_rate;
}

std::optional<TimePoint> JitterBuffer::next_playout() const {
  if (!playing_) {
    return std::nullopt;
  }
  return next_play_time_;
}

void JitterBuffer::restart_stream(const JitterPacket& packet) {
  ssrc_ = packet.ssrc;
  highest_sequence_ = kTimestampBase + packet.sequence;
  highest_timestamp_ = kTimestampBase + packet.timestamp;
  buffer_.clear();
  seen_.clear();
  playing_ = false;
  played_in_spurt_ = false;
  played_until_.reset();
  last_audio_sequence_.reset();
  // Transit times of another stream say nothing about this one; the target stays.
  transits_us_.clear();
  last_transit_us_.reset();
  probation_sequence_.reset();
}

bool JitterBuffer::is_big_jump(std::int64_t ext_sequence, std::int64_t ext_timestamp) const {
  const std::int64_t max_ts_jump =
      config_.max_timestamp_jump.count() * config_.clock_rate / 1'000'000;
  return std::llabs(ext_sequence - highest_sequence_) > config_.max_sequence_jump ||
         std::llabs(ext_timestamp - highest_timestamp_) > max_ts_jump;
}

void JitterBuffer::observe_transit(std::int64_t ext_timestamp, TimePoint arrival) {
  const std::int64_t transit = to_us(arrival) - timestamp_us(ext_timestamp);
  // RFC 3550 §6.4.1: J += (|D| - J) / 16, for the statistics.
  if (last_transit_us_) {
    const double d = static_cast<double>(std::llabs(transit - *last_transit_us_));
    jitter_us_ += (d - jitter_us_) / 16.0;
    stats_.jitter = Duration{static_cast<Duration::rep>(jitter_us_)};
  }
  last_transit_us_ = transit;
  transits_us_.push_back(transit);
  while (transits_us_.size() > std::max<std::size_t>(1, config_.window_packets)) {
    transits_us_.pop_front();
  }
  // Target: the spread of transit times in the window, rounded up to whole frames.
  const auto [lo, hi] = std::minmax_element(transits_us_.begin(), transits_us_.end());
  const std::int64_t frame = frame_duration().count();
  const std::int64_t spread = *hi - *lo;
  const Duration wanted{(spread + frame - 1) / frame * frame};
  target_delay_ = std::clamp(wanted, config_.min_delay, config_.max_delay);
  stats_.target_delay = target_delay_;
}

void JitterBuffer::anchor(std::int64_t ext_timestamp, TimePoint arrival) {
  const std::int64_t min_transit =
      *std::min_element(transits_us_.begin(), transits_us_.end());
  current_delay_ = target_delay_;
  next_ts_ = ext_timestamp;
  const TimePoint mapped{Duration{timestamp_us(ext_timestamp) + min_transit} + current_delay_};
  // Only when the target is capped at max_delay can the mapping fall before the arrival.
  next_play_time_ = std::max(mapped, arrival);
  if (last_output_time_) {
    // Re-anchoring never schedules a frame before one already handed out.
    next_play_time_ = std::max(next_play_time_, *last_output_time_ + frame_duration());
  }
  playing_ = true;
  played_in_spurt_ = false;
  stats_.current_delay = current_delay_;
}

PushResult JitterBuffer::push(JitterPacket packet) {
  ++stats_.received;
  PushResult result = PushResult::Accepted;
  if (!ssrc_) {
    restart_stream(packet);
  } else if (*ssrc_ != packet.ssrc) {
    restart_stream(packet);
    ++stats_.resyncs;
    result = PushResult::Resynced;
  }
  // RFC 3550 Appendix A.1 style unwrapping around the highest value seen.
  std::int64_t ext_sequence =
      highest_sequence_ +
      static_cast<std::int16_t>(static_cast<std::uint16_t>(packet.sequence - highest_sequence_));
  std::int64_t ext_timestamp =
      highest_timestamp_ + static_cast<std::int32_t>(static_cast<std::uint32_t>(
                               packet.timestamp - static_cast<std::uint32_t>(highest_timestamp_)));
  if (is_big_jump(ext_sequence, ext_timestamp)) {
    // RFC 3550 Appendix A.1: one stray packet is dropped; a second one that follows it in
    // sequence means the source restarted, so start over from it.
    if (!probation_sequence_ || *probation_sequence_ != packet.sequence) {
      probation_sequence_ = static_cast<std::uint16_t>(packet.sequence + 1);
      ++stats_.stray;
      return PushResult::Stray;
    }
    restart_stream(packet);
    ++stats_.resyncs;
    result = PushResult::Resynced;
    ext_sequence = highest_sequence_;
    ext_timestamp = highest_timestamp_;
  }

  probation_sequence_.reset();

  if (seen_.contains(ext_sequence)) {
    ++stats_.duplicate;
    return PushResult::Duplicate;
  }
  seen_.insert(ext_sequence);
  while (!seen_.empty() && *seen_.begin() < ext_sequence - kSeenHistory) {
    seen_.erase(seen_.begin());
  }
  highest_sequence_ = std::max(highest_sequence_, ext_sequence);
  highest_timestamp_ = std::max(highest_timestamp_, ext_timestamp);

  // Late packets count too: they are the jitter the target must cover.
  observe_transit(ext_timestamp, packet.arrival);

  if (played_until_ && ext_timestamp < *played_until_) {
    ++stats_.late;
    return PushResult::Late;
  }
  if (buffer_.contains(ext_timestamp)) {
    ++stats_.duplicate;  // same media time under another sequence number
    return PushResult::Duplicate;
  }
  if (buffer_.size() >= std::max<std::size_t>(1, config_.capacity)) {
    buffer_.erase(buffer_.begin());
    ++stats_.overflow;
  }
  buffer_.emplace(ext_timestamp, Stored{ext_sequence, packet.sequence, packet.timestamp,
                                        packet.marker, std::move(packet.payload)});

  if (!playing_) {
    std::int64_t start = ext_timestamp;
    // After an underrun (not a talkspurt start) the frames missed before this packet are
    // concealed first, so the decoder hears the loss where it was.
    const std::int64_t max_gap =
        config_.max_delay.count() * config_.clock_rate / 1'000'000;
    if (!packet.marker && played_until_ && ext_timestamp - *played_until_ <= max_gap) {
      start = *played_until_;
    }
    anchor(start, packet.arrival);
  } else if (!played_in_spurt_ && ext_timestamp < next_ts_) {
    // Reordered before playout began: start from the earlier packet.
    anchor(ext_timestamp, packet.arrival);
  }
  return result;
}

void JitterBuffer::play_slot(std::vector<PlayoutFrame>& out) {
  const Duration frame = frame_duration();
  const std::int64_t samples = config_.frame_samples;
  PlayoutFrame f;
  f.play_time = next_play_time_;

  if (buffer_.empty()) {
    // Underrun or the end of a talkspurt: go idle; the next packet re-anchors.
    playing_ = false;
    played_until_ = next_ts_;
    return;
  }
  if (target_delay_ - current_delay_ >= frame) {
    // Grow fast: one inserted frame per slot until the delay reaches the target.
    current_delay_ += frame;
    ++stats_.stretched;
    f.kind = FrameKind::Stretch;
    f.timestamp = static_cast<std::uint32_t>(next_ts_);
    out.push_back(std::move(f));
    last_output_time_ = next_play_time_;
    next_play_time_ += frame;
    stats_.current_delay = current_delay_;
    return;
  }
  played_in_spurt_ = true;
  auto it = buffer_.begin();
  if (it != buffer_.end() && it->first < next_ts_ + samples) {
    auto next = std::next(it);
    if (config_.shrink_drop_interval > Duration{0} && current_delay_ - target_delay_ >= frame &&
        next != buffer_.end() && next->first == it->first + samples &&
        (!last_shrink_drop_ || next_play_time_ - *last_shrink_drop_ >= config_.shrink_drop_interval)) {
      // Shrink slowly while talking: drop one frame, at most once per interval.
      buffer_.erase(it);
      it = next;
      last_shrink_drop_ = next_play_time_;
      current_delay_ -= frame;
      ++stats_.shrink_drops;
      stats_.current_delay = current_delay_;
    }
    f.kind = FrameKind::Audio;
    f.timestamp = it->second.timestamp;
    f.sequence = it->second.sequence;
    f.payload = std::move(it->second.payload);
    last_audio_sequence_ = it->second.ext_sequence;
    next_ts_ = it->first + samples;
    buffer_.erase(it);
  } else if (it != buffer_.end() &&
             (it->second.marker ||
              (last_audio_sequence_ && it->second.ext_sequence == *last_audio_sequence_ + 1))) {
    // The timestamps jumped to a talkspurt start (RFC 3551 §4.1 marker bit), or no sequence
    // number is missing: silence, not loss. Shrink here if the delay is above target.
    const std::int64_t gap_frames = (it->first - next_ts_) / samples;
    const std::int64_t excess_frames = (current_delay_ - target_delay_) / frame;
    const std::int64_t skip = std::clamp<std::int64_t>(excess_frames, 0, gap_frames);
    next_ts_ += skip * samples;
    current_delay_ -= skip * frame;
    stats_.current_delay = current_delay_;
    if (it->first < next_ts_ + samples) {
      f.kind = FrameKind::Audio;
      f.timestamp = it->second.timestamp;
      f.sequence = it->second.sequence;
      f.payload = std::move(it->second.payload);
      last_audio_sequence_ = it->second.ext_sequence;
      next_ts_ = it->first + samples;
      buffer_.erase(it);
    } else {
      f.kind = FrameKind::Silence;
      f.timestamp = static_cast<std::uint32_t>(next_ts_);
      next_ts_ += samples;
    }
  } else {
    // RFC 3550 loss: a later packet is here (or the stream resumed) but this one is not.
    f.kind = FrameKind::Conceal;
    f.timestamp = static_cast<std::uint32_t>(next_ts_);
    next_ts_ += samples;
    ++stats_.lost;
  }
  played_until_ = next_ts_;
  last_output_time_ = next_play_time_;
  next_play_time_ += frame;
  out.push_back(std::move(f));
}

std::vector<PlayoutFrame> JitterBuffer::pull(TimePoint now) {
  std::vector<PlayoutFrame> out;
  while (playing_ && next_play_time_ <= now) {
    play_slot(out);
  }
  return out;
}

}  // namespace sb::media::jitter
