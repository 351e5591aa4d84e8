// media/mixer/test_tone.h: test-only tone helpers (sine frames, Goertzel level) for the mixer
// tests. Not linked into sb_media_mixer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>

#include "media/frame.h"

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
  const double w = 2.0 * std::numbers::pi * freq_hz / rate_hz;
  const double coeff = 2.0 * std::cos(w);
  double s1 = 0.0;
  double s2 = 0.0;
  for (int16_t v : x) {
    const double s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const double amplitude = 2.0 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(x.size());
  return 20.0 * std::log10(std::max(amplitude, 1e-9) / ref_amplitude);
}

}  // namespace sb::media::mixer::testing
