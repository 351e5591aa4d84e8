// media/engine/audio_codec_test.cc: every codec through encode → decode at the engine's
// 16 kHz frame keeps a tone's frequency; concealment produces the right amount of audio.
#include "media/engine/audio_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "media/tone/test_goertzel.h"

namespace sb::media::engine {
namespace {

Frame tone(double hz, int frame_index, double amplitude = 8000) {
  Frame f;
  for (std::size_t i = 0; i < f.size(); ++i) {
    double t = static_cast<double>(frame_index * kFrameSamples + i) / kMixRateHz;
    f[i] = static_cast<int16_t>(amplitude * std::sin(2 * std::numbers::pi * hz * t));
  }
  return f;
}

// Power of one frequency relative to the signal's total power (1.0: a pure tone).
double share_at(const std::vector<int16_t>& x, double hz) {
  const double amplitude = tone::testing::goertzel_amplitude(x, hz);
  const double rms = tone::testing::rms(x);
  return rms == 0 ? 0 : amplitude * amplitude / (2 * rms * rms);
}

class CodecRoundTrip : public ::testing::TestWithParam<AudioCodec> {};

TEST_P(CodecRoundTrip, KeepsAToneAndConceals) {
  auto enc = make_encoder(GetParam());
  auto dec = make_decoder(GetParam());
  ASSERT_TRUE(enc && dec);
  std::vector<int16_t> out;
  std::vector<uint8_t> payload;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE((*enc)->encode(tone(1000, i), payload));
    ASSERT_TRUE((*dec)->decode(payload, out));
  }
  EXPECT_EQ(out.size(), 50 * kFrameSamples);
  std::vector<int16_t> tail(out.begin() + 10 * kFrameSamples, out.end());  // after codec delay
  EXPECT_GT(share_at(tail, 1000), 0.8) << codec_name(GetParam());
  EXPECT_LT(share_at(tail, 3000), 0.01);
  std::size_t before = out.size();
  (*dec)->conceal((*enc)->frame_rtp_units(), out);
  EXPECT_EQ(out.size() - before, kFrameSamples);
}

INSTANTIATE_TEST_SUITE_P(All, CodecRoundTrip,
                         ::testing::Values(AudioCodec::Pcmu, AudioCodec::Pcma, AudioCodec::G722,
                                           AudioCodec::Opus));

TEST(AudioCodec, NamesFromRtpmap) {
  EXPECT_EQ(codec_from_rtpmap("pcmu", 8000), AudioCodec::Pcmu);
  EXPECT_EQ(codec_from_rtpmap("PCMA", 8000), AudioCodec::Pcma);
  EXPECT_EQ(codec_from_rtpmap("G722", 8000), AudioCodec::G722);
  EXPECT_EQ(codec_from_rtpmap("opus", 48000), AudioCodec::Opus);
  EXPECT_EQ(codec_from_rtpmap("opus", 16000), std::nullopt);
  EXPECT_EQ(codec_from_rtpmap("GSM", 8000), std::nullopt);
}

TEST(AudioCodec, EmptyPayloadsFailAndOversizedOnesNeverCrash) {
  for (auto c : {AudioCodec::Pcmu, AudioCodec::G722, AudioCodec::Opus}) {
    auto dec = make_decoder(c);
    std::vector<int16_t> out;
    EXPECT_FALSE((*dec)->decode({}, out));
    std::vector<uint8_t> big(5000, 0xFF);
    (void)(*dec)->decode(big, out);  // must not crash; G.711/G.722 refuse, Opus may refuse
  }
}

}  // namespace
}  // namespace sb::media::engine
