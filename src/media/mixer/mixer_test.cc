// media/mixer/mixer_test.cc: Mixer sums, saturation, missing input, removal, injection.
#include "media/mixer/mixer.h"

#include <gtest/gtest.h>

#include <limits>

#include "media/mixer/test_tone.h"

namespace sb::media::mixer {
namespace {

using testing::sine_frame;
using testing::tone_db;

constexpr double kA = 400.0;
constexpr double kB = 1000.0;
constexpr double kC = 2500.0;

void expect_present(const Frame& out, double hz) { EXPECT_NEAR(tone_db(out, hz), 0.0, 0.5) << hz; }
void expect_absent(const Frame& out, double hz) { EXPECT_LT(tone_db(out, hz), -40.0) << hz; }

struct Three {
  Mixer m;
  ParticipantId a = *m.add();
  ParticipantId b = *m.add();
  ParticipantId c = *m.add();
  void feed(int tick = 0) {
    m.set_input(a, sine_frame(kA, tick));
    m.set_input(b, sine_frame(kB, tick));
    m.set_input(c, sine_frame(kC, tick));
  }
};

TEST(Mixer, NewParticipantHearsNobody) {
  Three t;
  t.feed();
  t.m.mix();
  for (ParticipantId id : {t.a, t.b, t.c}) {
    expect_absent(t.m.output(id), kA);
    expect_absent(t.m.output(id), kB);
    expect_absent(t.m.output(id), kC);
  }
}

TEST(Mixer, OutputIsSumOfHeardInputsExactly) {
  Three t;
  ASSERT_TRUE(t.m.set_hears(t.a, t.b, true));
  ASSERT_TRUE(t.m.set_hears(t.a, t.c, true));
  t.feed();
  t.m.mix();
  const Frame b = sine_frame(kB);
  const Frame c = sine_frame(kC);
  for (std::size_t n = 0; n < kFrameSamples; ++n) {
    ASSERT_EQ(t.m.output(t.a)[n], b[n] + c[n]);  // 2 x 8000 cannot saturate
  }
  expect_absent(t.m.output(t.a), kA);
  expect_present(t.m.output(t.a), kB);
  expect_present(t.m.output(t.a), kC);
}

TEST(Mixer, NobodyHearsThemselves) {
  Three t;
  EXPECT_FALSE(t.m.set_hears(t.a, t.a, true));
  EXPECT_FALSE(t.m.hears(t.a, t.a));
  EXPECT_FALSE(t.m.set_hears(t.a, 999, true));
}

TEST(Mixer, SaturatesInsteadOfWrapping) {
  Mixer m;
  auto a = *m.add();
  auto b = *m.add();
  auto c = *m.add();
  m.set_hears(c, a, true);
  m.set_hears(c, b, true);
  Frame hi{};
  hi.fill(std::numeric_limits<int16_t>::max());
  Frame lo{};
  lo.fill(std::numeric_limits<int16_t>::min());
  m.set_input(a, hi);
  m.set_input(b, hi);
  m.mix();
  for (int16_t v : m.output(c)) {
    ASSERT_EQ(v, std::numeric_limits<int16_t>::max());
  }
  m.set_input(a, lo);
  m.set_input(b, lo);
  m.mix();
  for (int16_t v : m.output(c)) {
    ASSERT_EQ(v, std::numeric_limits<int16_t>::min());
  }
  // Opposite full-scale inputs cancel exactly: clamping happens after the sum, not per add.
  m.set_input(a, hi);
  m.set_input(b, lo);
  m.mix();
  for (int16_t v : m.output(c)) {
    ASSERT_EQ(v, -1);
  }
}

TEST(Mixer, MissingInputIsSilenceAndDoesNotRepeat) {
  Three t;
  t.m.set_hears(t.a, t.b, true);
  t.m.set_hears(t.a, t.c, true);
  t.feed(0);
  t.m.mix();
  expect_present(t.m.output(t.a), kB);
  // Tick 1: b's packet was lost; only c arrives.
  t.m.set_input(t.c, sine_frame(kC, 1));
  t.m.mix();
  expect_absent(t.m.output(t.a), kB);
  expect_present(t.m.output(t.a), kC);
  // Tick 2: nothing at all.
  t.m.mix();
  for (int16_t v : t.m.output(t.a)) {
    ASSERT_EQ(v, 0);
  }
}

TEST(Mixer, RemovedParticipantIsGoneAndItsSlotStartsClean) {
  Three t;
  t.m.set_hears(t.a, t.b, true);
  t.m.set_hears(t.a, t.c, true);
  ASSERT_TRUE(t.m.remove(t.b));
  EXPECT_FALSE(t.m.remove(t.b));
  EXPECT_FALSE(t.m.contains(t.b));
  EXPECT_FALSE(t.m.set_input(t.b, sine_frame(kB)));
  EXPECT_EQ(t.m.size(), 2u);
  // A newcomer takes b's slot but gets a fresh id and inherits no edge.
  auto d = *t.m.add();
  EXPECT_NE(d, t.b);
  EXPECT_FALSE(t.m.hears(t.a, d));
  t.m.set_input(d, sine_frame(kB));
  t.m.set_input(t.c, sine_frame(kC));
  t.m.mix();
  expect_absent(t.m.output(t.a), kB);
  expect_present(t.m.output(t.a), kC);
}

TEST(Mixer, InjectionReachesOnlyItsListener) {
  Three t;
  t.m.set_hears(t.a, t.b, true);
  t.m.set_hears(t.b, t.a, true);
  t.feed();
  t.m.inject(t.a, sine_frame(kC));  // a prompt for a; c is not heard by anyone
  t.m.mix();
  expect_present(t.m.output(t.a), kB);
  expect_present(t.m.output(t.a), kC);
  expect_absent(t.m.output(t.b), kC);
  expect_present(t.m.output(t.b), kA);
}

TEST(Mixer, RefusesParticipantsBeyondCapacity) {
  Mixer m;
  for (std::size_t i = 0; i < Mixer::kMaxParticipants; ++i) {
    ASSERT_TRUE(m.add().has_value());
  }
  EXPECT_FALSE(m.add().has_value());
}

}  // namespace
}  // namespace sb::media::mixer
