// media/dtmf/inband_detector.h: DTMF key presses heard in the audio itself (callers behind
// trunks or gateways that do not send RFC 4733 events), via spandsp's dtmf_rx at 8 kHz.
// Pure signal processing on our 16 kHz Frames: no RTP, no timers, no collection of digit strings.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "media/codec/resampler.h"
#include "media/frame.h"

// spandsp's opaque state, declared as spandsp/dtmf.h declares it.
struct dtmf_rx_state_s;

namespace sb::media::dtmf {

// Values < 0 (or <= -99 for the threshold) keep spandsp's defaults, which suit trunks that
// follow ITU-T Q.24: twist 8 dB, reverse twist 4 dB, and a threshold that accepts tones down to
// about -40 dBm0 each (measured in inband_detector_test.cc).
struct InbandDetectorConfig {
  int twist_db = -1;             // accepted low-group-above-high-group level difference
  int reverse_twist_db = -1;     // accepted high-group-above-low-group level difference
  int threshold_dbm0 = -99;      // weakest tone pair accepted (spandsp: the pair's power)
  bool filter_dialtone = false;  // notch 350/440 Hz first (when the caller hears dial tone)
};

// One key press, reported once when the detector has confirmed it.
struct InbandDigit {
  char digit = '\0';  // 0-9 * # A-D
  // 16 kHz sample offset in the fed stream where the tone began, estimated from the confirm
  // point minus the known resampler and detector delays: within about 15 ms of the truth.
  std::uint64_t start_sample = 0;
};

// Single-threaded; one instance per received audio stream. Movable.
class InbandDetector {
 public:
  // Fails when spandsp or the resampler cannot be set up (out of memory).
  static Result<InbandDetector> create(InbandDetectorConfig config = {});

  // Feeds the next 20 ms. Returns the key presses whose start was confirmed in this frame
  // (usually none; at most one per ~40 ms). The end of a press is not reported separately.
  std::vector<InbandDigit> feed(const Frame& frame);

  // Samples (16 kHz) fed so far.
  std::uint64_t position_samples() const { return position_; }
  // True while a confirmed tone is still present.
  bool in_digit() const;

 private:
  struct Detector;  // spandsp state plus what its callback writes; heap-held so it can move
  struct Deleter {
    void operator()(Detector* d) const;
  };
  InbandDetector(std::unique_ptr<Detector, Deleter> d, codec::Resampler down);

  std::unique_ptr<Detector, Deleter> detector_;
  codec::Resampler down_;
  std::vector<int16_t> narrow_;  // 8 kHz scratch, reused per frame
  std::uint64_t position_ = 0;
};

}  // namespace sb::media::dtmf
