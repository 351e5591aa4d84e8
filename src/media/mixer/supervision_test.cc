// media/mixer/supervision_test.cc: the supervision modes and conference checked on real tones:
// each leg speaks its own frequency and a Goertzel filter says who is heard in each output.
#include "media/mixer/supervision.h"

#include <gtest/gtest.h>

#include <vector>

#include "media/mixer/test_tone.h"

namespace sb::media::mixer {
namespace {

using testing::sine_frame;
using testing::tone_db;

constexpr double kCallerHz = 400.0;
constexpr double kAgentHz = 1000.0;
constexpr double kSupervisorHz = 2500.0;

// Which of the three tones are in `out`: true = within 0.5 dB of full level, false = > 40 dB down.
void expect_tones(const Frame& out, bool caller, bool agent, bool supervisor, const char* who) {
  SCOPED_TRACE(who);
  const double hz[] = {kCallerHz, kAgentHz, kSupervisorHz};
  const bool want[] = {caller, agent, supervisor};
  for (int i = 0; i < 3; ++i) {
    const double db = tone_db(out, hz[i]);
    if (want[i]) {
      EXPECT_NEAR(db, 0.0, 0.5) << hz[i] << " Hz should be heard";
    } else {
      EXPECT_LT(db, -40.0) << hz[i] << " Hz should not be heard";
    }
  }
}

struct Call {
  Mixer m;
  SupervisedCall ids{*m.add(), *m.add(), *m.add()};
  void tick(int n) {
    m.set_input(ids.caller, sine_frame(kCallerHz, n));
    m.set_input(ids.agent, sine_frame(kAgentHz, n));
    m.set_input(ids.supervisor, sine_frame(kSupervisorHz, n));
    m.mix();
  }
  const Frame& caller() const { return m.output(ids.caller); }
  const Frame& agent() const { return m.output(ids.agent); }
  const Frame& supervisor() const { return m.output(ids.supervisor); }
};

TEST(Supervision, Monitor) {
  Call c;
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Monitor));
  c.tick(0);
  expect_tones(c.caller(), false, true, false, "caller");
  expect_tones(c.agent(), true, false, false, "agent");
  expect_tones(c.supervisor(), true, true, false, "supervisor");
}

TEST(Supervision, Whisper) {
  Call c;
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Whisper));
  c.tick(0);
  expect_tones(c.caller(), false, true, false, "caller");
  expect_tones(c.agent(), true, false, true, "agent");
  expect_tones(c.supervisor(), true, true, false, "supervisor");
}

TEST(Supervision, Barge) {
  Call c;
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Barge));
  c.tick(0);
  expect_tones(c.caller(), false, true, true, "caller");
  expect_tones(c.agent(), true, false, true, "agent");
  expect_tones(c.supervisor(), true, true, false, "supervisor");
}

TEST(Supervision, SwitchingModesMidCallLeavesNoStaleEdge) {
  Call c;
  int tick = 0;
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Barge));
  c.tick(tick++);
  expect_tones(c.caller(), false, true, true, "caller in barge");
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Whisper));
  c.tick(tick++);
  expect_tones(c.caller(), false, true, false, "caller in whisper");
  expect_tones(c.agent(), true, false, true, "agent in whisper");
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Monitor));
  c.tick(tick++);
  expect_tones(c.agent(), true, false, false, "agent in monitor");
  expect_tones(c.supervisor(), true, true, false, "supervisor in monitor");
  ASSERT_TRUE(apply_supervision(c.m, c.ids, SupervisionMode::Barge));
  c.tick(tick++);
  expect_tones(c.caller(), false, true, true, "caller back in barge");
}

TEST(Supervision, RejectsUnknownOrRepeatedIds) {
  Call c;
  EXPECT_FALSE(apply_supervision(c.m, {c.ids.caller, c.ids.agent, 999}, SupervisionMode::Barge));
  EXPECT_FALSE(
      apply_supervision(c.m, {c.ids.caller, c.ids.caller, c.ids.agent}, SupervisionMode::Barge));
  EXPECT_FALSE(c.m.hears(c.ids.caller, c.ids.agent));  // unchanged
}

TEST(Conference, FiveLegsEachHearTheOtherFour) {
  const double hz[] = {400.0, 1000.0, 1650.0, 2500.0, 3300.0};  // all on 50 Hz Goertzel bins
  Mixer m;
  std::vector<ParticipantId> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(*m.add());
  }
  ASSERT_TRUE(apply_conference(m, ids));
  for (int i = 0; i < 5; ++i) {
    // Lower level so five tones stay far from clipping (which would spread energy).
    m.set_input(ids[i], sine_frame(hz[i], 0, 4000.0));
  }
  m.mix();
  for (int listener = 0; listener < 5; ++listener) {
    for (int speaker = 0; speaker < 5; ++speaker) {
      const double db = tone_db(m.output(ids[listener]), hz[speaker], kMixRateHz, 4000.0);
      if (listener == speaker) {
        EXPECT_LT(db, -40.0) << listener << " hears itself";
      } else {
        EXPECT_NEAR(db, 0.0, 0.5) << listener << " does not hear " << speaker;
      }
    }
  }
}

}  // namespace
}  // namespace sb::media::mixer
