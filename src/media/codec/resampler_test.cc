// media/codec/resampler_test.cc: the speexdsp wrapper keeps a sine through 8k -> 48k -> 8k and
// gives exact output lengths over many streaming calls.
#include "media/codec/resampler.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "media/codec/test_signal.h"

namespace sb::media::codec {
namespace {

using testing::best_alignment;
using testing::sine;

TEST(Resampler, KeepsASineThrough8kTo48kAndBack) {
  auto up = Resampler::create(8000, 48000, kResamplerQualityVoip);
  auto down = Resampler::create(48000, 8000, kResamplerQualityVoip);
  ASSERT_TRUE(up && down);
  const std::size_t chunk = 160;  // 20 ms at 8 kHz
  const std::size_t chunks = 100;
  const auto input = sine(1000.0, 8000, chunk * chunks);
  std::vector<int16_t> wide;
  std::vector<int16_t> back;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t before = wide.size();
    auto n = up->process(std::span(input).subspan(c * chunk, chunk), wide);
    ASSERT_TRUE(n) << n.error().to_string();
    ASSERT_EQ(*n, 960u) << "call " << c;
    auto m = down->process(std::span(wide).subspan(before, *n), back);
    ASSERT_TRUE(m) << m.error().to_string();
    ASSERT_EQ(*m, 160u) << "call " << c;
  }
  ASSERT_EQ(back.size(), input.size());
  const std::size_t skip = 400;
  const std::size_t max_lag = 200;
  const auto a = best_alignment(input, back, skip, back.size() - skip - max_lag, max_lag);
  std::printf("[ figures  ] resampler 8k->48k->8k q%d: lag %zu, correlation %.4f, SNR %.1f dB\n",
              kResamplerQualityVoip, a.lag, a.correlation, a.snr_db);
  RecordProperty("resampler_correlation", std::to_string(a.correlation));
  RecordProperty("resampler_snr_db", std::to_string(a.snr_db));
  EXPECT_GT(a.correlation, 0.99);
  EXPECT_GT(a.snr_db, 20.0);
}

// Odd chunk sizes: per call the count varies with the filter phase, but the running total never
// drifts from total_in * ratio by more than one sample, and 16k <-> 48k is exact per call.
TEST(Resampler, OutputLengthTracksTheRatioOverManyCalls) {
  struct Case {
    int in_hz;
    int out_hz;
  };
  for (Case c : {Case{8000, 16000}, Case{16000, 8000}, Case{16000, 48000}, Case{48000, 16000},
                 Case{8000, 48000}, Case{48000, 8000}}) {
    auto r = Resampler::create(c.in_hz, c.out_hz, 5);
    ASSERT_TRUE(r);
    const std::vector<std::size_t> sizes = {1, 7, 13, 160, 333, 960, 2, 5};
    const auto input = sine(1000.0, c.in_hz, 100000);
    std::vector<int16_t> out;
    std::size_t total_in = 0;
    for (int call = 0; call < 200; ++call) {
      const std::size_t size = sizes[static_cast<std::size_t>(call) % sizes.size()];
      auto n = r->process(std::span(input).subspan(total_in, size), out);
      ASSERT_TRUE(n) << n.error().to_string();
      total_in += size;
      const double expected = static_cast<double>(total_in) * c.out_hz / c.in_hz;
      EXPECT_NEAR(static_cast<double>(out.size()), expected, 1.0)
          << c.in_hz << " -> " << c.out_hz << " after call " << call;
    }
  }
}

TEST(Resampler, RejectsUnsupportedRatesAndQuality) {
  EXPECT_FALSE(Resampler::create(44100, 8000));
  EXPECT_FALSE(Resampler::create(8000, 22050));
  auto q = Resampler::create(8000, 16000, 11);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().where, "quality");
  EXPECT_FALSE(Resampler::create(8000, 16000, -1));
}

}  // namespace
}  // namespace sb::media::codec
