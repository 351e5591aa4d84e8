// media/tone/tone_presets_test.cc: every DTMF key sends its Q.23 pair and nothing of the other
// six frequencies; call-progress presets match their published frequencies and cadences.
#include "media/tone/tone_presets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/tone/test_goertzel.h"

namespace sb::media::tone {
namespace {

using testing::goertzel_amplitude;

std::vector<int16_t> render(const ToneSpec& spec, std::size_t samples) {
  auto g = ToneGenerator::create(spec);
  EXPECT_TRUE(g) << g.error().to_string();
  std::vector<int16_t> x(samples, 0);
  g->fill(x);
  return x;
}

TEST(TonePresets, EveryDtmfKeyHasItsPairOnly) {
  const std::string keys = "123A456B789C*0#D";
  const double rows[] = {697, 770, 852, 941};
  const double cols[] = {1209, 1336, 1477, 1633};
  for (std::size_t k = 0; k < keys.size(); ++k) {
    auto spec = presets::dtmf(keys[k], 100, 0);
    ASSERT_TRUE(spec) << keys[k];
    const auto x = render(*spec, 1600);  // exactly the 100 ms burst
    for (int r = 0; r < 4; ++r) {
      const double level = amplitude_to_dbm0(goertzel_amplitude(x, rows[r]));
      if (r == static_cast<int>(k / 4)) {
        EXPECT_NEAR(level, -10.0, 0.5) << keys[k] << " row " << rows[r];
      } else {
        EXPECT_LT(level, -35.0) << keys[k] << " row " << rows[r];
      }
    }
    for (int c = 0; c < 4; ++c) {
      const double level = amplitude_to_dbm0(goertzel_amplitude(x, cols[c]));
      if (c == static_cast<int>(k % 4)) {
        EXPECT_NEAR(level, -10.0, 0.5) << keys[k] << " column " << cols[c];
      } else {
        EXPECT_LT(level, -35.0) << keys[k] << " column " << cols[c];
      }
    }
  }
  EXPECT_TRUE(presets::dtmf('a')) << "lower-case A-D accepted";
  auto bad = presets::dtmf('x');
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "digit");
  EXPECT_FALSE(presets::dtmf('5', -40));
}

TEST(TonePresets, CallProgressTonesMatchTheirPlans) {
  struct Case {
    const char* name;
    ToneSpec spec;
    double f1, f2, level;
    std::vector<std::pair<int, int>> cadence;
    bool repeat;
  };
  const std::vector<Case> cases = {
      {"ringback_us", presets::ringback_us(), 440, 480, -19, {{2000, 4000}}, true},
      {"ringback_uk", presets::ringback_uk(), 400, 450, -19, {{400, 200}, {400, 2000}}, true},
      {"ringback_eu", presets::ringback_eu(), 425, 0, -13, {{1000, 4000}}, true},
      {"busy_us", presets::busy_us(), 480, 620, -24, {{500, 500}}, true},
      {"busy_eu", presets::busy_eu(), 425, 0, -13, {{500, 500}}, true},
      {"congestion_us", presets::congestion_us(), 480, 620, -24, {{250, 250}}, true},
      {"congestion_eu", presets::congestion_eu(), 425, 0, -13, {{250, 250}}, true},
      {"call_waiting_us", presets::call_waiting_us(), 440, 0, -13, {{300, 0}}, false},
      {"call_waiting_eu", presets::call_waiting_eu(), 425, 0, -13, {{200, 200}, {200, 0}}, false},
      {"dial_us", presets::dial_us(), 350, 440, -13, {}, false},
      {"dial_eu", presets::dial_eu(), 425, 0, -13, {}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.spec.freq1_hz, c.f1);
    EXPECT_EQ(c.spec.freq2_hz, c.f2);
    EXPECT_EQ(c.spec.repeat, c.repeat);
    ASSERT_EQ(c.spec.cadence.size(), c.cadence.size());
    for (std::size_t i = 0; i < c.cadence.size(); ++i) {
      EXPECT_EQ(c.spec.cadence[i].on_ms, c.cadence[i].first);
      EXPECT_EQ(c.spec.cadence[i].off_ms, c.cadence[i].second);
    }
    // The first 200 ms are inside the first burst of every preset: measure the level there.
    const auto x = render(c.spec, 3200);
    EXPECT_NEAR(amplitude_to_dbm0(goertzel_amplitude(x, c.f1)), c.level, 0.5);
    if (c.f2 > 0) {
      EXPECT_NEAR(amplitude_to_dbm0(goertzel_amplitude(x, c.f2)), c.level, 0.5);
    }
  }
}

}  // namespace
}  // namespace sb::media::tone
