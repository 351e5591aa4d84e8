// media/mixer/test_tone.h: test-only tone helpers (sine frames, Goertzel level) for the mixer
// tests. Not linked into sb_media_mixer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>

#include "media/frame.h"
#include "media/tone/test_goertzel.h"

namespace sb::media::mixer::testing {

inline constexpr double kToneAmplitude = 8000.0;

// Frame `tick` of a continuous sine, so consecutive ticks join without a phase jump.
inline Frame sine_frame(double freq_hz, int tick = 0, double amplitude = kToneAmplitude) {
  Frame f{};
  for (std::size_t n = 0; n < f.size(); ++n) {
    const double t = static_cast<double>(tick * kFrameSamples + n) / kMixRateHz;
    f[n] = static_cast<int16_t>(
        std::lround(amplitude * std::sin(2.0 * std::numbers::pi * freq_hz * t)));
  }
  return f;
}

// Amplitude of the `freq_hz` component of `x` (Goertzel), in dB relative to `ref_amplitude`.
// 0 dB means a tone of ref_amplitude is there; below -40 dB means it is absent.
inline double tone_db(std::span<const int16_t> x, double freq_hz, int rate_hz = kMixRateHz,
                      double ref_amplitude = kToneAmplitude) {
  const double amplitude = tone::testing::goertzel_amplitude(x, freq_hz, rate_hz);
  return 20.0 * std::log10(std::max(amplitude, 1e-9) / ref_amplitude);
}

}  // namespace sb::media::mixer::testing
