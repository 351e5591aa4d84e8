// media/player/prompt_test.cc: WAVs at 8 to 48 kHz, mono and stereo, load as 16 kHz mono of the
// right length and frequency; unreadable files fail naming the path; the cache loads once.
#include "media/player/prompt.h"

#include <gtest/gtest.h>

#include <fstream>

#include "media/player/test_wav.h"
#include "media/tone/test_goertzel.h"

namespace sb::media::player {
namespace {

using testing::sine_frames;
using testing::TempDir;
using testing::write_wav;
using tone::testing::goertzel_amplitude;

struct Format {
  int rate;
  int channels;
};

TEST(Prompt, LoadsCommonRatesAsSixteenKilohertzMono) {
  TempDir dir("rates");
  for (Format f :
       {Format{8000, 1}, Format{11025, 2}, Format{16000, 1}, Format{22050, 1}, Format{32000, 2},
        Format{44100, 1}, Format{44100, 2}, Format{48000, 1}, Format{48000, 2}}) {
    SCOPED_TRACE(std::to_string(f.rate) + " Hz x" + std::to_string(f.channels));
    const std::string path =
        dir.file("sine_" + std::to_string(f.rate) + "_" + std::to_string(f.channels) + ".wav");
    ASSERT_TRUE(
        write_wav(path, f.rate, f.channels, sine_frames(1000, f.rate, f.channels, 1.5, 16000)));
    auto p = Prompt::load(path);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->source_rate_hz(), f.rate);
    EXPECT_EQ(p->source_channels(), f.channels);
    EXPECT_NEAR(static_cast<double>(p->samples().size()), 24000.0, 320.0);
    EXPECT_NEAR(static_cast<double>(p->duration_ms()), 1500.0, 20.0);
    // Away from the edges, where the resampler's filter settles: a clean 1 kHz sine.
    const std::span<const int16_t> mid(p->samples().data() + 2000, 16000);
    EXPECT_NEAR(goertzel_amplitude(mid, 1000), 16000.0, 16000.0 * 0.06);  // 0.5 dB
    EXPECT_LT(goertzel_amplitude(mid, 1100), 100.0);
    EXPECT_LT(goertzel_amplitude(mid, 3000), 100.0);
  }
}

TEST(Prompt, StereoIsDownmixedByAveraging) {
  TempDir dir("downmix");
  const std::string path = dir.file("left_only.wav");
  ASSERT_TRUE(write_wav(path, 44100, 2, sine_frames(800, 44100, 2, 1.0, 20000, true)));
  auto p = Prompt::load(path);
  ASSERT_TRUE(p) << p.error().to_string();
  const std::span<const int16_t> mid(p->samples().data() + 2000, 8000);
  EXPECT_NEAR(goertzel_amplitude(mid, 800), 10000.0, 10000.0 * 0.06);
}

TEST(Prompt, MissingFileNamesThePath) {
  TempDir dir("missing");
  const std::string path = dir.file("no_such_prompt.wav");
  auto p = Prompt::load(path);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().where, path);
  EXPECT_NE(p.error().to_string().find(path), std::string::npos);
  EXPECT_NE(p.error().message.find("cannot open"), std::string::npos) << p.error().message;
}

TEST(Prompt, NonAudioFileNamesThePathAndTheReason) {
  TempDir dir("text");
  const std::string path = dir.file("not_audio.wav");
  std::ofstream(path) << "this is a text file, not RIFF/WAVE\n";
  auto p = Prompt::load(path);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().where, path);
  // libsndfile's own reason follows our prefix.
  EXPECT_GT(p.error().message.size(), std::string("cannot open audio file: ").size() + 3)
      << p.error().message;
}

TEST(Prompt, EmptyFileIsAnError) {
  TempDir dir("empty");
  const std::string path = dir.file("empty.wav");
  ASSERT_TRUE(write_wav(path, 8000, 1, {}));
  auto p = Prompt::load(path);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().where, path);
}

TEST(PromptCache, LoadsOnceAndRetriesFailures) {
  TempDir dir("cache");
  const std::string path = dir.file("hello.wav");
  PromptCache cache;
  auto missing = cache.get(path);
  ASSERT_FALSE(missing);
  EXPECT_FALSE(cache.contains(path));

  ASSERT_TRUE(write_wav(path, 8000, 1, sine_frames(500, 8000, 1, 0.2, 8000)));
  auto first = cache.get(path);
  ASSERT_TRUE(first) << first.error().to_string();
  // The file changing on disk does not matter to the cache: the loaded prompt is reused.
  ASSERT_TRUE(write_wav(path, 8000, 1, sine_frames(500, 8000, 1, 0.4, 8000)));
  auto second = cache.get(path);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(cache.size(), 1u);

  cache.clear();
  auto third = cache.get(path);
  ASSERT_TRUE(third);
  EXPECT_NE(first->get(), third->get());
  EXPECT_NEAR(static_cast<double>((*third)->duration_ms()), 400.0, 20.0);
  EXPECT_NEAR(static_cast<double>((*first)->duration_ms()), 200.0, 20.0) << "kept alive";
}

}  // namespace
}  // namespace sb::media::player
