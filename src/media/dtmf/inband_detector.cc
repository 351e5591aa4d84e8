// media/dtmf/inband_detector.cc: 16 -> 8 kHz, spandsp dtmf_rx calls and start-time bookkeeping.
#include "media/dtmf/inband_detector.h"

#include <spandsp.h>

#include <algorithm>
#include <span>

namespace sb::media::dtmf {
namespace {

// dtmf_rx is fed 1 ms at a time so a confirm is timed to the millisecond; it keeps its own
// partial-block state, so chunking does not change what it detects.
constexpr std::size_t kChunk8k = 8;

// spandsp analyses 102-sample blocks (8 kHz) and confirms a digit on the second block in a
// row with the same result; the press therefore began about two blocks before the confirm.
constexpr std::uint64_t kDetectDelay16k = 2 * 102 * 2;

}  // namespace

struct InbandDetector::Detector {
  dtmf_rx_state_t* rx = nullptr;
  std::uint64_t fed8k = 0;     // 8 kHz samples given to dtmf_rx, up to the current chunk's end
  std::uint64_t delay16k = 0;  // resampler + detector delay, subtracted from confirm points
  bool in_digit = false;
  std::vector<InbandDigit> found;

  // spandsp realtime callback: code is the ASCII digit when a tone is confirmed, 0 when it ends.
  static void on_tone(void* user, int code, int /*level*/, int /*delay*/) {
    auto* self = static_cast<Detector*>(user);
    if (code == 0) {
      self->in_digit = false;
      return;
    }
    self->in_digit = true;
    const std::uint64_t at = self->fed8k * 2;
    self->found.push_back({static_cast<char>(code), at > self->delay16k ? at - self->delay16k : 0});
  }
};

void InbandDetector::Deleter::operator()(Detector* d) const {
  if (d->rx != nullptr) {
    dtmf_rx_free(d->rx);
  }
  delete d;
}

Result<InbandDetector> InbandDetector::create(InbandDetectorConfig config) {
  auto down = codec::Resampler::create(kMixRateHz, 8000);
  if (!down) {
    return down.error();
  }
  std::unique_ptr<Detector, Deleter> d(new Detector);
  // No digits callback: digits come from the realtime callback with their timing, and the
  // internal digit buffer (dtmf_rx_get) is never read.
  d->rx = dtmf_rx_init(nullptr, nullptr, nullptr);
  if (d->rx == nullptr) {
    return Error{"dtmf_rx_init failed", "spandsp"};
  }
  dtmf_rx_set_realtime_callback(d->rx, &Detector::on_tone, d.get());
  dtmf_rx_parms(d->rx, config.filter_dialtone ? 1 : 0, config.twist_db, config.reverse_twist_db,
                config.threshold_dbm0);
  d->delay16k = static_cast<std::uint64_t>(down->input_latency()) + kDetectDelay16k;
  return InbandDetector(std::move(d), std::move(down).value());
}

InbandDetector::InbandDetector(std::unique_ptr<Detector, Deleter> d, codec::Resampler down)
    : detector_(std::move(d)), down_(std::move(down)) {
  narrow_.reserve(kFrameSamples / 2 + 16);
}

std::vector<InbandDigit> InbandDetector::feed(const Frame& frame) {
  position_ += frame.size();
  narrow_.clear();
  // Only a speexdsp internal error fails here; losing a frame's detection is the right answer
  // then (it cannot happen with a valid state), not stopping the call's media.
  if (!down_.process(frame, narrow_)) {
    return {};
  }
  Detector& d = *detector_;
  for (std::size_t i = 0; i < narrow_.size(); i += kChunk8k) {
    const std::size_t n = std::min(kChunk8k, narrow_.size() - i);
    d.fed8k += n;
    dtmf_rx(d.rx, narrow_.data() + i, static_cast<int>(n));
  }
  std::vector<InbandDigit> out;
  out.swap(d.found);
  return out;
}

bool InbandDetector::in_digit() const { return detector_->in_digit; }

}  // namespace sb::media::dtmf
