// media/tone/test_goertzel.h: test-only Goertzel filter and white noise, shared by the tone,
// in-band DTMF and player tests. Not linked into any library.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include "media/frame.h"

namespace sb::media::tone::testing {

// Peak amplitude of the `freq_hz` component of `x` (the DFT at any frequency, not only a bin,
// scaled by 2/N). Exact for a sine at freq_hz spanning the whole window, up to leakage from
// its negative-frequency image, which is small for windows of hundreds of samples.
inline double goertzel_amplitude(std::span<const int16_t> x, double freq_hz,
                                 int rate_hz = kMixRateHz) {
  const double w = 2.0 * std::numbers::pi * freq_hz / rate_hz;
  const double coeff = 2.0 * std::cos(w);
  double s1 = 0.0;
  double s2 = 0.0;
  for (int16_t v : x) {
    const double s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double re = s1 - s2 * std::cos(w);
  const double im = s2 * std::sin(w);
  return 2.0 * std::sqrt(re * re + im * im) / static_cast<double>(x.size());
}

inline double rms(std::span<const int16_t> x) {
  double e = 0.0;
  for (int16_t v : x) {
    e += static_cast<double>(v) * v;
  }
  return x.empty() ? 0.0 : std::sqrt(e / static_cast<double>(x.size()));
}

// Gaussian white noise with the given RMS, added with saturation; fixed seed for repeatability.
inline void add_noise(std::vector<int16_t>& x, double noise_rms, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0.0, noise_rms);
  for (int16_t& v : x) {
    const double y = v + dist(rng);
    v = static_cast<int16_t>(std::lround(std::fmax(-32768.0, std::fmin(32767.0, y))));
  }
}

}  // namespace sb::media::tone::testing
