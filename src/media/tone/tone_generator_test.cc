// media/tone/tone_generator_test.cc: generated frames have the asked frequencies (Goertzel) and
// levels (within 0.5 dB), cadences are exact in samples, streams are phase-continuous.
#include "media/tone/tone_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

#include "media/tone/test_goertzel.h"

namespace sb::media::tone {
namespace {

using testing::goertzel_amplitude;

// Runs the generator frame by frame for `frames` frames.
std::vector<int16_t> frames_of(ToneGenerator& g, std::size_t frames) {
  std::vector<int16_t> out;
  Frame f{};
  for (std::size_t i = 0; i < frames; ++i) {
    g.next_frame(f);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

ToneGenerator make(ToneSpec spec) {
  auto g = ToneGenerator::create(std::move(spec));
  EXPECT_TRUE(g) << g.error().to_string();
  return std::move(g).value();
}

double level_at(std::span<const int16_t> x, double f) {
  return amplitude_to_dbm0(goertzel_amplitude(x, f));
}

TEST(ToneGenerator, SingleToneHasItsFrequencyAndLevel) {
  auto g = make({1000, 0, -13, {}, false});
  const auto x = frames_of(g, 50);  // 1 s
  EXPECT_NEAR(level_at(x, 1000), -13.0, 0.5);
  EXPECT_LT(goertzel_amplitude(x, 1100), 0.001 * goertzel_amplitude(x, 1000));
  EXPECT_LT(goertzel_amplitude(x, 500), 0.001 * goertzel_amplitude(x, 1000));
  EXPECT_FALSE(g.finished());
}

TEST(ToneGenerator, DualToneHasBothFrequenciesAtTheLevel) {
  auto g = make({697, 1209, -10, {}, false});
  const auto x = frames_of(g, 25);
  EXPECT_NEAR(level_at(x, 697), -10.0, 0.5);
  EXPECT_NEAR(level_at(x, 1209), -10.0, 0.5);
  EXPECT_LT(level_at(x, 941), -50.0);
  EXPECT_LT(level_at(x, 1336), -50.0);
  // Two uncorrelated sines: total power is the sum, 3 dB above one.
  EXPECT_NEAR(amplitude_to_dbm0(testing::rms(x) * std::numbers::sqrt2), -10.0 + 3.01, 0.5);
}

TEST(ToneGenerator, FramesJoinWithoutDiscontinuity) {
  auto framed = make({1234.5, 345, -6, {}, false});
  auto whole = make({1234.5, 345, -6, {}, false});
  const auto x = frames_of(framed, 10);
  std::vector<int16_t> y(x.size());
  ASSERT_EQ(whole.fill(y), y.size());
  EXPECT_EQ(x, y);
  // No step larger than the steepest slope of the sum of sines.
  const double max_step = dbm0_to_amplitude(-6) * 2 * std::numbers::pi * (1234.5 + 345) / 16000;
  for (std::size_t n = 1; n < x.size(); ++n) {
    ASSERT_LE(std::abs(x[n] - x[n - 1]), max_step + 2) << "at " << n;
  }
}

// Checks that [0, x.size()) follows the cadence exactly: silence (all zero) in off times and
// tone in on times, where a burst starts at phase 0 (its first sample is 0) and its last
// sample is not 0.
void expect_cadence(const std::vector<int16_t>& x, const std::vector<CadenceStep>& cadence,
                    bool repeat) {
  std::size_t n = 0;
  for (std::size_t pass = 0; n < x.size() && (pass == 0 || repeat); ++pass) {
    for (const CadenceStep& c : cadence) {
      const std::size_t on = static_cast<std::size_t>(c.on_ms) * 16;
      const std::size_t off = static_cast<std::size_t>(c.off_ms) * 16;
      if (n + on + off > x.size()) {
        return;
      }
      EXPECT_EQ(x[n], 0) << "burst at " << n << " starts at phase 0";
      EXPECT_NE(x[n + 1], 0) << "burst at " << n;
      EXPECT_NE(x[n + on - 1], 0) << "burst at " << n << " lasts to its last sample";
      // A burst has no silent stretch inside it.
      for (std::size_t i = n + 1; i + 2 < n + on; ++i) {
        ASSERT_FALSE(x[i] == 0 && x[i + 1] == 0 && x[i + 2] == 0) << "gap inside burst at " << i;
      }
      for (std::size_t i = n + on; i < n + on + off; ++i) {
        ASSERT_EQ(x[i], 0) << "off time at " << i;
      }
      n += on + off;
    }
  }
  EXPECT_EQ(n, x.size()) << "cadence does not fill the generated span";
}

TEST(ToneGenerator, RepeatingCadenceIsExactInSamples) {
  const std::vector<CadenceStep> uk = {{400, 200}, {400, 2000}};  // 3 s per cycle
  auto g = make({400, 450, -19, uk, true});
  const auto x = frames_of(g, 3 * 150);  // 9 s = 3 cycles
  expect_cadence(x, uk, true);
  EXPECT_FALSE(g.finished());
  EXPECT_EQ(g.position_samples(), x.size());
}

TEST(ToneGenerator, CadenceNotAMultipleOfAFrame) {
  const std::vector<CadenceStep> odd = {{33, 17}, {7, 3}};  // 60 ms per cycle, steps not 20 ms
  auto g = make({1000, 0, -13, odd, true});
  const auto x = frames_of(g, 3 * 60);  // 3.6 s = 60 cycles
  expect_cadence(x, odd, true);
}

TEST(ToneGenerator, NonRepeatingSpecFinishesAndPadsTheLastFrame) {
  auto g = make({425, 0, -13, {{200, 200}, {150, 0}}, false});  // 550 ms = 27.5 frames
  EXPECT_EQ(g.length_samples(), 8800u);
  std::vector<int16_t> x;
  Frame f{};
  int frames = 0;
  while (g.next_frame(f)) {
    x.insert(x.end(), f.begin(), f.end());
    ++frames;
    ASSERT_LT(frames, 100);
  }
  EXPECT_EQ(frames, 28);
  EXPECT_TRUE(g.finished());
  EXPECT_EQ(g.position_samples(), 8800u);
  for (std::size_t i = 8800; i < x.size(); ++i) {
    ASSERT_EQ(x[i], 0) << "padding at " << i;
  }
  x.resize(8800);
  expect_cadence(x, {{200, 200}, {150, 0}}, false);
  // After the end: a silent frame and false.
  f.fill(7);
  EXPECT_FALSE(g.next_frame(f));
  EXPECT_EQ(f, Frame{});
  std::vector<int16_t> more(10, 7);
  EXPECT_EQ(g.fill(more), 0u);
  EXPECT_EQ(more[0], 7) << "fill leaves what it did not write";

  g.restart();
  EXPECT_FALSE(g.finished());
  EXPECT_EQ(g.position_samples(), 0u);
  EXPECT_TRUE(g.next_frame(f));
}

TEST(ToneGenerator, RejectsBadSpecs) {
  auto where = [](ToneSpec s) {
    auto g = ToneGenerator::create(std::move(s));
    return g ? std::string("accepted") : g.error().where;
  };
  EXPECT_EQ(where({0, 0, -13, {}, false}), "freq1");
  EXPECT_EQ(where({8000, 0, -13, {}, false}), "freq1");
  EXPECT_EQ(where({1000, -5, -13, {}, false}), "freq2");
  EXPECT_EQ(where({1000, 9000, -13, {}, false}), "freq2");
  EXPECT_EQ(where({1000, 0, 3.5, {}, false}), "level");
  EXPECT_EQ(where({1000, 1200, 0, {}, false}), "level") << "two tones at 0 dBm0 clip";
  EXPECT_EQ(where({1000, 0, -13, {{-1, 10}}, false}), "cadence");
  EXPECT_EQ(where({1000, 0, -13, {{0, 0}}, true}), "cadence");
  EXPECT_EQ(where({1000, 0, 3.0, {}, false}), "accepted");
  // A zero-length one-shot is valid and finished from the start.
  auto g = make({1000, 0, -13, {{0, 0}}, false});
  EXPECT_TRUE(g.finished());
}

TEST(ToneGenerator, LevelConversionsRoundTrip) {
  EXPECT_NEAR(dbm0_to_amplitude(kFullScaleSineDbm0), 32767.0, 1e-6);
  EXPECT_NEAR(amplitude_to_dbm0(dbm0_to_amplitude(-21.5)), -21.5, 1e-9);
}

}  // namespace
}  // namespace sb::media::tone
