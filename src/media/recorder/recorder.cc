// media/recorder/recorder.cc: the producer side of a recording: sequence numbers, pause
// bookkeeping and the close hand-off to the writer thread.
#include "media/recorder/recorder.h"

#include <string>

namespace sb::media::recorder {

Result<Recorder> Recorder::open(RecordingWriter& writer, RecordingSpec spec) {
  if (spec.path.empty()) {
    return Error{"empty recording path", "path"};
  }
  // 8 kHz WAV would need a decimating low-pass (codec/resampler.h); not wired up yet.
  if (spec.sample_rate_hz != kMixRateHz) {
    return Error{"unsupported sample rate " + std::to_string(spec.sample_rate_hz) + " (only " +
                     std::to_string(kMixRateHz) + ")",
                 "sample_rate_hz"};
  }
  auto track = writer.add(std::move(spec));
  auto done = track->done.get_future();
  return Recorder(std::move(track), std::move(done));
}

Recorder& Recorder::operator=(Recorder&& other) noexcept {
  if (this != &other) {
    if (track_) {
      (void)close();
    }
    track_ = std::move(other.track_);
    done_ = std::move(other.done_);
    seq_ = other.seq_;
    paused_ = other.paused_;
    pauses_ = std::move(other.pauses_);
  }
  return *this;
}

Recorder::~Recorder() {
  if (track_) {
    (void)close();
  }
}

bool Recorder::push(const Frame& left, const Frame& right) {
  if (!track_) {
    return false;
  }
  StereoBlock block;
  block.seq = seq_++;
  if (!paused_) {
    block.left = left;
    block.right = right;
  }
  if (!track_->ring.try_push(block)) {
    track_->dropped_blocks.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void Recorder::pause() {
  if (track_ && !paused_) {
    paused_ = true;
    pauses_.push_back({position_samples(), position_samples()});
  }
}

void Recorder::resume() {
  if (track_ && paused_) {
    paused_ = false;
    pauses_.back().end_sample = position_samples();
    if (pauses_.back().start_sample == pauses_.back().end_sample) {
      pauses_.pop_back();  // no tick passed: nothing was silenced
    }
  }
}

std::future<RecordingResult> Recorder::close() {
  if (!track_) {
    return {};
  }
  resume();
  track_->end_seq = seq_;
  track_->pauses = std::move(pauses_);
  // Publishes end_seq, pauses and every pushed block to the writer.
  track_->closing.store(true, std::memory_order_release);
  track_->wakeup->notify();
  track_.reset();
  return std::move(done_);
}

uint64_t Recorder::dropped_blocks() const {
  return track_ ? track_->dropped_blocks.load(std::memory_order_relaxed) : 0;
}

}  // namespace sb::media::recorder
