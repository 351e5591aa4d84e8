// media/tone/tone_generator.cc: phase-accumulator synthesis and cadence stepping.
#include "media/tone/tone_generator.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace sb::media::tone {
namespace {

constexpr double kTwoPow32 = 4294967296.0;

std::uint32_t phase_increment(double freq_hz) {
  return static_cast<std::uint32_t>(std::llround(freq_hz / kMixRateHz * kTwoPow32));
}

double sample_of(std::uint32_t phase) {
  return std::sin(2.0 * std::numbers::pi * (static_cast<double>(phase) / kTwoPow32));
}

std::uint64_t ms_to_samples(int ms) { return static_cast<std::uint64_t>(ms) * (kMixRateHz / 1000); }

}  // namespace

double dbm0_to_amplitude(double level_dbm0) {
  return 32767.0 * std::pow(10.0, (level_dbm0 - kFullScaleSineDbm0) / 20.0);
}

double amplitude_to_dbm0(double amplitude) {
  return 20.0 * std::log10(amplitude / 32767.0) + kFullScaleSineDbm0;
}

Result<ToneSpec> validate(ToneSpec spec) {
  constexpr double kNyquist = kMixRateHz / 2.0;
  if (!(spec.freq1_hz > 0.0 && spec.freq1_hz < kNyquist)) {
    return Error{"must be in (0, 8000) Hz, got " + std::to_string(spec.freq1_hz), "freq1"};
  }
  if (!(spec.freq2_hz >= 0.0 && spec.freq2_hz < kNyquist)) {
    return Error{"must be 0 or in (0, 8000) Hz, got " + std::to_string(spec.freq2_hz), "freq2"};
  }
  const double peak = dbm0_to_amplitude(spec.level_dbm0) * (spec.freq2_hz > 0.0 ? 2.0 : 1.0);
  if (!std::isfinite(peak) || peak > 32767.0) {
    return Error{"level " + std::to_string(spec.level_dbm0) + " dBm0 would clip", "level"};
  }
  long long total = 0;
  for (const CadenceStep& c : spec.cadence) {
    if (c.on_ms < 0 || c.off_ms < 0) {
      return Error{"cadence times must be >= 0 ms", "cadence"};
    }
    total += c.on_ms + c.off_ms;
  }
  // A repeating cadence of zero length would never produce a sample and never finish.
  if (spec.repeat && !spec.cadence.empty() && total == 0) {
    return Error{"a repeating cadence needs a non-zero length", "cadence"};
  }
  return spec;
}

Result<ToneGenerator> ToneGenerator::create(ToneSpec spec) {
  auto ok = validate(std::move(spec));
  if (!ok) {
    return ok.error();
  }
  return ToneGenerator(std::move(ok).value());
}

ToneGenerator::ToneGenerator(ToneSpec spec) : spec_(std::move(spec)) {
  inc1_ = phase_increment(spec_.freq1_hz);
  inc2_ = phase_increment(spec_.freq2_hz);
  amp1_ = dbm0_to_amplitude(spec_.level_dbm0);
  amp2_ = spec_.freq2_hz > 0.0 ? amp1_ : 0.0;
  for (const CadenceStep& c : spec_.cadence) {
    steps_.push_back({ms_to_samples(c.on_ms), ms_to_samples(c.off_ms)});
    if (!spec_.repeat) {
      length_ += steps_.back().on + steps_.back().off;
    }
  }
  restart();
}

void ToneGenerator::restart() {
  step_ = 0;
  in_step_ = 0;
  phase1_ = 0;
  phase2_ = 0;
  position_ = 0;
  finished_ = !spec_.repeat && !steps_.empty() && length_ == 0;
}

std::size_t ToneGenerator::fill(std::span<int16_t> out) {
  std::size_t n = 0;
  while (n < out.size() && !finished_) {
    // How many samples of the current state (on or off) fit; steady tones are one long "on".
    bool on = true;
    std::uint64_t run = out.size() - n;
    if (!steps_.empty()) {
      const Step& s = steps_[step_];
      on = in_step_ < s.on;
      run = std::min<std::uint64_t>(run, on ? s.on - in_step_ : s.on + s.off - in_step_);
    }
    for (std::uint64_t i = 0; i < run; ++i) {
      int16_t v = 0;
      if (on) {
        const double x = amp1_ * sample_of(phase1_) + amp2_ * sample_of(phase2_);
        v = static_cast<int16_t>(std::clamp(std::lround(x), -32768L, 32767L));
        phase1_ += inc1_;  // unsigned wrap-around is the phase wrapping at one cycle
        phase2_ += inc2_;
      }
      out[n++] = v;
    }
    position_ += run;
    if (steps_.empty()) {
      continue;
    }
    in_step_ += run;
    const Step& s = steps_[step_];
    if (in_step_ == s.on) {
      phase1_ = 0;  // the next burst starts at phase 0
      phase2_ = 0;
    }
    if (in_step_ >= s.on + s.off) {
      in_step_ = 0;
      if (++step_ == steps_.size()) {
        step_ = 0;
        finished_ = !spec_.repeat;
      }
    }
  }
  return n;
}

bool ToneGenerator::next_frame(Frame& out) {
  const std::size_t n = fill(out);
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), int16_t{0});
  return n > 0;
}

}  // namespace sb::media::tone
