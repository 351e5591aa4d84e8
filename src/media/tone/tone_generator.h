// media/tone/tone_generator.h: cadenced single or dual-frequency tones (ringback, busy, DTMF
// digits sent in-band) as 16 kHz Frames. Pure sample generation: no timing, no mixing, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "media/frame.h"

namespace sb::media::tone {

// A full-scale int16 sine is +3.14 dBm0 (G.711 μ-law reference, as spandsp's
// DBM0_MAX_SINE_POWER), so our levels agree with spandsp's detectors.
inline constexpr double kFullScaleSineDbm0 = 3.14;

// Peak amplitude of a sine at `level_dbm0`, and back.
double dbm0_to_amplitude(double level_dbm0);
double amplitude_to_dbm0(double amplitude);

struct CadenceStep {
  int on_ms = 0;
  int off_ms = 0;
};

struct ToneSpec {
  double freq1_hz = 0.0;
  double freq2_hz = 0.0;             // 0: single frequency
  double level_dbm0 = -13.0;         // per frequency
  std::vector<CadenceStep> cadence;  // empty: steady tone that never ends
  bool repeat = false;               // false: finished after the last step's off time
};

// Checks a spec that may come from configuration: frequencies in (0, 8000) Hz, the summed
// peak within int16, cadence times >= 0 and, when repeating, not all zero.
Result<ToneSpec> validate(ToneSpec spec);

// Produces a spec's samples frame after frame. Phase-continuous within a burst across frame
// boundaries; each burst starts at phase 0 so it begins without a click. Not thread-safe.
class ToneGenerator {
 public:
  // Fails when validate() fails.
  static Result<ToneGenerator> create(ToneSpec spec);

  // Writes the next min(out.size(), remaining) samples; returns how many. Fewer than
  // out.size() only once a non-repeating spec has finished; the rest of `out` is untouched.
  std::size_t fill(std::span<int16_t> out);

  // Fills 20 ms, zero-padding after the end. False (and a silent frame) once finished.
  bool next_frame(Frame& out);

  bool finished() const { return finished_; }
  std::uint64_t position_samples() const { return position_; }
  // Length in samples of a non-repeating cadenced spec; 0 for steady or repeating ones.
  std::uint64_t length_samples() const { return length_; }
  const ToneSpec& spec() const { return spec_; }

  // Back to the start of the cadence.
  void restart();

 private:
  explicit ToneGenerator(ToneSpec spec);

  struct Step {
    std::uint64_t on = 0;  // samples
    std::uint64_t off = 0;
  };

  ToneSpec spec_;
  std::vector<Step> steps_;  // empty: steady
  std::uint32_t inc1_ = 0;   // phase increments, 2^32 = one cycle
  std::uint32_t inc2_ = 0;
  double amp1_ = 0.0;
  double amp2_ = 0.0;
  std::uint64_t length_ = 0;

  std::size_t step_ = 0;
  std::uint64_t in_step_ = 0;  // samples into the current step (on then off)
  std::uint32_t phase1_ = 0;
  std::uint32_t phase2_ = 0;
  std::uint64_t position_ = 0;
  bool finished_ = false;
};

}  // namespace sb::media::tone
