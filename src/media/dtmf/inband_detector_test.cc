// media/dtmf/inband_detector_test.cc: all 16 keys from the tone generator, clean and at 15 dB
// SNR, are each detected once and in order, also with 40 ms tones and gaps; white noise, single
// tones, a non-DTMF pair and ringback give no digits.
#include "media/dtmf/inband_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "media/tone/test_goertzel.h"
#include "media/tone/tone_generator.h"
#include "media/tone/tone_presets.h"

namespace sb::media::dtmf {
namespace {

using tone::ToneGenerator;
using tone::ToneSpec;

const std::string kAllKeys = "123A456B789C*0#D";

void append(std::vector<int16_t>& x, const ToneSpec& spec, std::size_t samples) {
  auto g = ToneGenerator::create(spec);
  ASSERT_TRUE(g) << g.error().to_string();
  const std::size_t at = x.size();
  x.resize(at + samples, 0);
  g->fill(std::span(x).subspan(at));
}

struct Keyed {
  std::vector<int16_t> audio;
  std::vector<std::uint64_t> starts;  // 16 kHz sample where each press begins
};

// `keys` pressed one after another, `on_ms` tone and `off_ms` pause each, after 100 ms of silence
// and followed by 200 ms of it.
Keyed keypresses(const std::string& keys, int on_ms, int off_ms, double level_dbm0 = -10.0) {
  Keyed k;
  k.audio.assign(1600, 0);
  for (char c : keys) {
    k.starts.push_back(k.audio.size());
    auto spec = tone::presets::dtmf(c, on_ms, off_ms, level_dbm0);
    EXPECT_TRUE(spec);
    append(k.audio, *spec, static_cast<std::size_t>(on_ms + off_ms) * 16);
  }
  k.audio.resize(k.audio.size() + 3200, 0);
  return k;
}

std::vector<InbandDigit> detect(std::vector<int16_t> audio, InbandDetectorConfig config = {}) {
  auto det = InbandDetector::create(config);
  EXPECT_TRUE(det) << det.error().to_string();
  audio.resize((audio.size() + kFrameSamples - 1) / kFrameSamples * kFrameSamples, 0);
  std::vector<InbandDigit> out;
  for (std::size_t i = 0; i < audio.size(); i += kFrameSamples) {
    Frame f;
    std::copy_n(audio.begin() + static_cast<std::ptrdiff_t>(i), kFrameSamples, f.begin());
    for (const InbandDigit& d : det->feed(f)) {
      out.push_back(d);
    }
  }
  EXPECT_EQ(det->position_samples(), audio.size());
  return out;
}

std::string digits_of(const std::vector<InbandDigit>& ds) {
  std::string s;
  for (const auto& d : ds) {
    s += d.digit;
  }
  return s;
}

void expect_keys(const Keyed& k, const std::vector<InbandDigit>& got, const std::string& keys) {
  ASSERT_EQ(digits_of(got), keys);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double error_ms =
        (static_cast<double>(got[i].start_sample) - static_cast<double>(k.starts[i])) / 16.0;
    EXPECT_LE(std::abs(error_ms), 15.0) << "key " << keys[i];
  }
}

TEST(InbandDetector, AllSixteenKeysOnceEachInOrder) {
  const auto k = keypresses(kAllKeys, 100, 100);
  expect_keys(k, detect(k.audio), kAllKeys);
}

TEST(InbandDetector, AllKeysAtFifteenDbSnr) {
  auto k = keypresses(kAllKeys, 100, 100);
  // Signal power: two sines at -10 dBm0 each; noise 15 dB below their sum.
  const double a = tone::dbm0_to_amplitude(-10.0);
  const double signal_power = 2 * (a * a / 2);
  tone::testing::add_noise(k.audio, std::sqrt(signal_power / std::pow(10.0, 1.5)));
  expect_keys(k, detect(k.audio), kAllKeys);
}

TEST(InbandDetector, FortyMsTonesAndGaps) {
  const auto k = keypresses(kAllKeys + kAllKeys, 40, 40);
  expect_keys(k, detect(k.audio), kAllKeys + kAllKeys);
}

TEST(InbandDetector, RepeatedKeyIsTwoPresses) {
  const auto k = keypresses("55", 80, 60);
  expect_keys(k, detect(k.audio), "55");
}

TEST(InbandDetector, LongPressIsOneDigit) {
  const auto k = keypresses("7", 2000, 100);
  expect_keys(k, detect(k.audio), "7");
}

TEST(InbandDetector, NothingInWhiteNoise) {
  for (double level : {-40.0, -25.0, -10.0}) {
    std::vector<int16_t> x(16000 * 5, 0);
    tone::testing::add_noise(x, tone::dbm0_to_amplitude(level) / std::sqrt(2.0), 7);
    EXPECT_EQ(digits_of(detect(x)), "") << level << " dBm0";
  }
}

TEST(InbandDetector, NothingForSingleTones) {
  for (double f : {697.0, 770.0, 852.0, 941.0, 1209.0, 1336.0, 1477.0, 1633.0, 1000.0}) {
    std::vector<int16_t> x;
    append(x, ToneSpec{f, 0, -10, {}, false}, 16000);
    EXPECT_EQ(digits_of(detect(x)), "") << f << " Hz";
  }
}

TEST(InbandDetector, NothingForANonDtmfPair) {
  std::vector<int16_t> x;
  append(x, ToneSpec{1000, 1200, -10, {}, false}, 16000 * 2);
  EXPECT_EQ(digits_of(detect(x)), "");
}

TEST(InbandDetector, NothingForCallProgressTones) {
  for (const ToneSpec& spec :
       {tone::presets::ringback_us(), tone::presets::ringback_uk(), tone::presets::ringback_eu(),
        tone::presets::busy_us(), tone::presets::dial_us()}) {
    std::vector<int16_t> x;
    append(x, spec, 16000 * 12);
    EXPECT_EQ(digits_of(detect(x)), "") << spec.freq1_hz << "+" << spec.freq2_hz;
  }
}

TEST(InbandDetector, ThresholdIsConfigurable) {
  // spandsp's default accepts weak tones (measured: down to about -40 dBm0 per tone); a trunk
  // with crosstalk can raise the floor.
  const auto quiet = keypresses("159", 100, 100, -36.0);
  EXPECT_EQ(digits_of(detect(quiet.audio)), "159");
  EXPECT_EQ(digits_of(detect(quiet.audio, {.threshold_dbm0 = -26})), "");
}

}  // namespace
}  // namespace sb::media::dtmf
