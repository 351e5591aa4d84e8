// media/codec/test_signal.h: test-only signal helpers (sine, best-lag correlation, SNR) shared by
// the codec and resampler tests. Not linked into sb_media_codec.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace sb::media::codec::testing {

inline std::vector<int16_t> sine(double freq_hz, int rate_hz, std::size_t samples,
                                 double amplitude = 10000.0) {
  std::vector<int16_t> out(samples);
  for (std::size_t n = 0; n < samples; ++n) {
    out[n] = static_cast<int16_t>(std::lround(
        amplitude * std::sin(2.0 * std::numbers::pi * freq_hz * static_cast<double>(n) / rate_hz)));
  }
  return out;
}

struct Alignment {
  std::size_t lag = 0;       // output[n + lag] lines up with input[n]
  double correlation = 0.0;  // normalised cross-correlation at that lag, -1..1
  double snr_db = 0.0;       // input power over (input - output) power at that lag
};

// Compares `input[skip, skip + length)` with `output` shifted by every lag in [0, max_lag] and
// returns the lag with the highest normalised cross-correlation. `skip` leaves out the codec's
// start-up transient. Needs output.size() >= skip + length + max_lag.
inline Alignment best_alignment(std::span<const int16_t> input, std::span<const int16_t> output,
                                std::size_t skip, std::size_t length, std::size_t max_lag) {
  Alignment best;
  best.correlation = -2.0;
  for (std::size_t lag = 0; lag <= max_lag; ++lag) {
    double xy = 0.0;
    double xx = 0.0;
    double yy = 0.0;
    double err = 0.0;
    for (std::size_t n = skip; n < skip + length; ++n) {
      const double x = input[n];
      const double y = output[n + lag];
      xy += x * y;
      xx += x * x;
      yy += y * y;
      err += (x - y) * (x - y);
    }
    const double c = (xx > 0.0 && yy > 0.0) ? xy / std::sqrt(xx * yy) : 0.0;
    if (c > best.correlation) {
      best.lag = lag;
      best.correlation = c;
      best.snr_db = err > 0.0 ? 10.0 * std::log10(xx / err) : 200.0;
    }
  }
  return best;
}

inline double energy(std::span<const int16_t> s) {
  double e = 0.0;
  for (int16_t v : s) {
    e += static_cast<double>(v) * v;
  }
  return e;
}

}  // namespace sb::media::codec::testing
