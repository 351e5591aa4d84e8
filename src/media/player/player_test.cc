// media/player/player_test.cc: playlist order, sample-exact joins and end padding, looping past
// the end, barge-in on and off, and playlist validation.
#include "media/player/player.h"

#include <gtest/gtest.h>

#include "media/player/test_wav.h"
#include "media/tone/test_goertzel.h"
#include "media/tone/tone_presets.h"

namespace sb::media::player {
namespace {

using testing::sine_frames;
using testing::TempDir;
using testing::write_wav;
using tone::testing::goertzel_amplitude;

// A 16 kHz prompt of a 1 kHz sine, `ms` long (loaded through libsndfile like any prompt).
std::shared_ptr<const Prompt> sine_prompt(const TempDir& dir, int ms) {
  const std::string path = dir.file("sine_" + std::to_string(ms) + ".wav");
  EXPECT_TRUE(write_wav(path, 16000, 1, sine_frames(1000, 16000, 1, ms / 1000.0, 12000)));
  auto p = Prompt::load(path);
  EXPECT_TRUE(p) << p.error().to_string();
  return std::make_shared<const Prompt>(std::move(p).value());
}

Player make(std::vector<PlaylistItem> items, PlayerOptions options = {}) {
  auto p = Player::create(std::move(items), options);
  EXPECT_TRUE(p) << p.error().to_string();
  return std::move(p).value();
}

// Pulls frames until next_frame() returns false (or `max_frames`), concatenated.
std::vector<int16_t> play(Player& p, std::size_t max_frames, std::size_t* frames = nullptr) {
  std::vector<int16_t> out;
  Frame f{};
  std::size_t n = 0;
  while (n < max_frames && p.next_frame(f)) {
    out.insert(out.end(), f.begin(), f.end());
    ++n;
  }
  if (frames != nullptr) {
    *frames = n;
  }
  return out;
}

TEST(Player, PlaysItemsInOrderSampleExactAndPadsTheEnd) {
  TempDir dir("order");
  auto prompt = sine_prompt(dir, 100);
  ASSERT_EQ(prompt->samples().size(), 1600u);
  auto p = make({PromptItem{prompt}, SilenceItem{50}, ToneItem{tone::presets::dial_eu(), 75}});
  std::size_t frames = 0;
  const auto x = play(p, 1000, &frames);
  // 1600 + 800 + 1200 = 3600 samples = 11.25 frames -> 12 frames, the last zero-padded.
  EXPECT_EQ(frames, 12u);
  EXPECT_EQ(p.state(), PlayerState::Finished);
  EXPECT_TRUE(p.finished());
  EXPECT_EQ(p.position().total_samples, 3600u);
  EXPECT_EQ(p.position().item, 2u);
  EXPECT_TRUE(std::equal(prompt->samples().begin(), prompt->samples().end(), x.begin()));
  EXPECT_TRUE(std::all_of(x.begin() + 1600, x.begin() + 2400, [](int16_t v) { return v == 0; }));
  const std::span<const int16_t> tone(x.data() + 2400, 1200);
  EXPECT_NEAR(tone::amplitude_to_dbm0(goertzel_amplitude(tone, 425)), -13.0, 0.5);
  EXPECT_TRUE(std::all_of(x.begin() + 3600, x.end(), [](int16_t v) { return v == 0; }));
  Frame f;
  f.fill(5);
  EXPECT_FALSE(p.next_frame(f));
  EXPECT_EQ(f, Frame{});
}

TEST(Player, PositionFollowsTheItems) {
  TempDir dir("position");
  auto p = make({SilenceItem{30}, PromptItem{sine_prompt(dir, 100)}});
  Frame f;
  ASSERT_TRUE(p.next_frame(f));
  EXPECT_EQ(p.position().item, 0u);
  EXPECT_EQ(p.position().item_sample, 320u);
  ASSERT_TRUE(p.next_frame(f));
  EXPECT_EQ(p.position().item, 1u);
  EXPECT_EQ(p.position().item_sample, 160u);
  EXPECT_EQ(p.position().total_samples, 640u);
}

TEST(Player, LoopContinuesPastTheEnd) {
  TempDir dir("loop");
  auto p = make({PromptItem{sine_prompt(dir, 100)}, SilenceItem{30}}, {.loop = true});
  std::size_t frames = 0;
  const auto x = play(p, 500, &frames);  // 10 s of a 130 ms playlist
  EXPECT_EQ(frames, 500u);
  EXPECT_FALSE(p.finished());
  EXPECT_EQ(p.position().loops, 160000u / 2080u);
  EXPECT_EQ(p.position().total_samples, 160000u);
  for (std::size_t n = 0; n + 2080 < x.size(); ++n) {
    ASSERT_EQ(x[n], x[n + 2080]) << "period at " << n;
  }
}

TEST(Player, SteadyToneWithoutLimitPlaysOn) {
  auto p = make({ToneItem{tone::presets::ringback_us(), 0}});
  std::size_t frames = 0;
  play(p, 1000, &frames);
  EXPECT_EQ(frames, 1000u);
  EXPECT_FALSE(p.finished());
  p.stop();
  EXPECT_EQ(p.state(), PlayerState::Finished);
  Frame f;
  EXPECT_FALSE(p.next_frame(f));
}

TEST(Player, BargeInStopsOnADigit) {
  TempDir dir("barge");
  auto p = make({PromptItem{sine_prompt(dir, 1000)}}, {.loop = true, .barge_in = true});
  play(p, 10);
  EXPECT_FALSE(p.on_dtmf('x')) << "not a DTMF digit";
  EXPECT_TRUE(p.on_dtmf('#'));
  EXPECT_EQ(p.state(), PlayerState::Interrupted);
  EXPECT_EQ(p.interrupted_by(), '#');
  EXPECT_EQ(p.position().total_samples, 3200u);
  Frame f;
  EXPECT_FALSE(p.next_frame(f));
  EXPECT_FALSE(p.on_dtmf('1')) << "already stopped";
  EXPECT_EQ(p.interrupted_by(), '#');
}

TEST(Player, DigitsDoNotStopWithoutBargeIn) {
  TempDir dir("nobarge");
  auto p = make({PromptItem{sine_prompt(dir, 200)}});
  play(p, 3);
  EXPECT_FALSE(p.on_dtmf('5'));
  EXPECT_EQ(p.state(), PlayerState::Playing);
  EXPECT_FALSE(p.interrupted_by());
  std::size_t frames = 0;
  play(p, 100, &frames);
  EXPECT_EQ(frames, 7u);
  EXPECT_EQ(p.state(), PlayerState::Finished);
}

TEST(Player, EmptyLoopFinishesInsteadOfSpinning) {
  auto p =
      make({SilenceItem{0}, ToneItem{tone::presets::busy_eu(), 0}, SilenceItem{0}}, {.loop = true});
  // busy_eu repeats forever, so this plays; an all-empty loop must end.
  Frame f;
  EXPECT_TRUE(p.next_frame(f));
  auto empty = make({SilenceItem{0}, SilenceItem{0}}, {.loop = true});
  EXPECT_FALSE(empty.next_frame(f));
  EXPECT_TRUE(empty.finished());
}

TEST(Player, RejectsBadPlaylists) {
  auto where = [](std::vector<PlaylistItem> items) {
    auto p = Player::create(std::move(items));
    return p ? std::string("accepted") : p.error().where;
  };
  EXPECT_EQ(where({}), "playlist");
  EXPECT_EQ(where({SilenceItem{10}, PromptItem{nullptr}}), "item 1");
  EXPECT_EQ(where({ToneItem{tone::ToneSpec{0, 0, -13, {}, false}, 100}}), "item 0");
  EXPECT_EQ(where({ToneItem{tone::presets::busy_us(), -1}}), "item 0");
  EXPECT_EQ(where({SilenceItem{-20}}), "item 0");
  EXPECT_EQ(where({SilenceItem{20}}), "accepted");
}

}  // namespace
}  // namespace sb::media::player
