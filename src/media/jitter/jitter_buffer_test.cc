#include "media/jitter/jitter_buffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace sb::media::jitter {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = TimePoint{} + 5000s;

// Packet i of a 20 ms stream: sequence seq0 + i, timestamp ts0 + 160 i, arriving on time
// (T0 + 20 ms * i) plus `late`.
JitterPacket packet(int i, Duration late = 0ms, std::uint16_t seq0 = 0, std::uint32_t ts0 = 0,
                    std::uint32_t ssrc = 1) {
  JitterPacket p;
  p.ssrc = ssrc;
  p.sequence = static_cast<std::uint16_t>(seq0 + i);
  p.timestamp = static_cast<std::uint32_t>(ts0 + 160u * static_cast<std::uint32_t>(i));
  p.arrival = kT0 + i * 20ms + late;
  p.payload = {static_cast<std::uint8_t>(i)};
  return p;
}

std::string token(const PlayoutFrame& f) {
  switch (f.kind) {
    case FrameKind::Audio:
      return "A" + std::to_string(f.sequence);
    case FrameKind::Conceal:
      return "C";
    case FrameKind::Stretch:
      return "X";
    case FrameKind::Silence:
      return "S";
  }
  return "?";
}

// Runs time forward a millisecond at a time: pushes what arrives, then pulls.
struct Playout {
  std::vector<PlayoutFrame> frames;
  std::vector<PushResult> results;
  std::string tokens() const {
    std::string s;
    for (const auto& f : frames) {
      s += (s.empty() ? "" : " ") + token(f);
    }
    return s;
  }
  const PlayoutFrame* find(const std::string& t) const {
    for (const auto& f : frames) {
      if (token(f) == t) {
        return &f;
      }
    }
    return nullptr;
  }
};

void run(JitterBuffer& jb, std::vector<JitterPacket> packets, TimePoint until, Playout& r,
         TimePoint from = kT0) {
  std::stable_sort(packets.begin(), packets.end(),
                   [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
  std::size_t next = 0;
  for (TimePoint t = from; t <= until; t += 1ms) {
    while (next < packets.size() && packets[next].arrival <= t) {
      r.results.push_back(jb.push(packets[next++]));
    }
    auto got = jb.pull(t);
    r.frames.insert(r.frames.end(), got.begin(), got.end());
  }
}

TEST(JitterBuffer, PlaysInOrderStreamAtMinimumDelay) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 5; ++i) {
    ps.push_back(packet(i));
  }
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 A3 A4");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(r.frames[i].play_time, kT0 + 40ms + i * 20ms);
    EXPECT_EQ(r.frames[i].payload, std::vector<std::uint8_t>{static_cast<std::uint8_t>(i)});
    EXPECT_EQ(r.frames[i].timestamp, 160u * i);
  }
  EXPECT_EQ(jb.stats().received, 5u);
  EXPECT_EQ(jb.stats().lost, 0u);
  EXPECT_EQ(jb.stats().current_delay, 40ms);
  EXPECT_FALSE(jb.next_playout().has_value());  // idle after the last frame
}

TEST(JitterBuffer, ReordersPackets) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0), packet(1, 25ms), packet(2), packet(3), packet(4)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 A3 A4");
  EXPECT_EQ(jb.stats().late, 0u);
  EXPECT_EQ(jb.stats().target_delay, 40ms);  // 25 ms spread rounds up to two frames
}

TEST(JitterBuffer, ReorderedBeforePlayoutStartsFromTheEarlierPacket) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0, 10ms), packet(1, -10ms), packet(2), packet(3)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 A3");
}

TEST(JitterBuffer, DropsDuplicates) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(1, 5ms), packet(2), packet(2, 70ms)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2");
  EXPECT_EQ(jb.stats().duplicate, 2u);
  EXPECT_EQ(jb.stats().late, 0u);
  EXPECT_EQ(r.results[2], PushResult::Duplicate);
}

TEST(JitterBuffer, ReportsAGapForALostPacket) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 6; ++i) {
    if (i != 2) {
      ps.push_back(packet(i));
    }
  }
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 C A3 A4 A5");
  EXPECT_EQ(r.frames[2].timestamp, 320u);
  EXPECT_EQ(r.frames[2].play_time, kT0 + 80ms);
  EXPECT_EQ(jb.stats().lost, 1u);
}

TEST(JitterBuffer, DropsTooLatePacketAndGrowsTheDelay) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2, 55ms), packet(3), packet(4),
                               packet(5)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  // Slot of 2 at 80 ms: concealed; 2 arrives at 95 ms, too late; the 55 ms spread sets the
  // target to 60 ms, so one frame is inserted.
  EXPECT_EQ(r.tokens(), "A0 A1 C X A3 A4 A5");
  EXPECT_EQ(r.results[4], PushResult::Late);  // in arrival order: 0 1 3 4 2 5
  EXPECT_EQ(jb.stats().late, 1u);
  EXPECT_EQ(jb.stats().lost, 1u);
  EXPECT_EQ(jb.stats().stretched, 1u);
  EXPECT_EQ(jb.stats().target_delay, 60ms);
  EXPECT_EQ(jb.stats().current_delay, 60ms);
  EXPECT_EQ(r.find("A3")->play_time, kT0 + 120ms);
}

TEST(JitterBuffer, UnderrunConcealsTheMissedFramesWhenTheStreamResumes) {
  JitterBuffer jb;
  // 2 and 3 lost, 4 comes 100 ms late: the buffer runs dry, then resumes.
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(4, 100ms), packet(5, 100ms)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 C C A4 A5");
  EXPECT_EQ(jb.stats().lost, 2u);
  EXPECT_EQ(jb.stats().target_delay, 100ms);
}

TEST(JitterBuffer, HandlesSequenceAndTimestampWraparound) {
  JitterBuffer jb;
  const std::uint16_t seq0 = 65533;
  const std::uint32_t ts0 = 0xFFFFFFFFu - 319u;  // 2^32 - 320
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 6; ++i) {
    ps.push_back(packet(i, 0ms, seq0, ts0));
  }
  ps[3].arrival = kT0 + 65ms;  // 3 (sequence 0, timestamp 160) after 4
  ps[4].arrival = kT0 + 61ms;
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A65533 A65534 A65535 A0 A1 A2");
  EXPECT_EQ(r.frames[2].timestamp, 0u);
  EXPECT_EQ(r.frames[5].timestamp, 480u);
  EXPECT_EQ(jb.stats().lost, 0u);
  EXPECT_EQ(jb.stats().late, 0u);
}

TEST(JitterBuffer, SsrcChangeResyncs) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0, 0ms, 100, 0), packet(1, 0ms, 100, 0),
                               packet(2, 0ms, 100, 0)};
  JitterPacket b0 = packet(0, 0ms, 9000, 12345, 2);
  JitterPacket b1 = packet(1, 0ms, 9000, 12345, 2);
  b0.arrival = kT0 + 200ms;
  b1.arrival = kT0 + 220ms;
  ps.push_back(b0);
  ps.push_back(b1);
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A100 A101 A102 A9000 A9001");
  EXPECT_EQ(r.results[3], PushResult::Resynced);
  EXPECT_EQ(jb.stats().resyncs, 1u);
  EXPECT_EQ(r.find("A9000")->play_time, kT0 + 240ms);
}

TEST(JitterBuffer, ConfirmedBigSequenceJumpResyncsAndDropsWhatWasBuffered) {
  JitterBuffer jb({.min_delay = 100ms});
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2, 0ms, 5000, 800000),
                               packet(3, 0ms, 5000, 800000), packet(4, 0ms, 5000, 800000)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  // 0 and 1 were still waiting for their 100 ms when the stream jumped; 5002 was on
  // probation, 5003 confirmed the jump (RFC 3550 A.1).
  EXPECT_EQ(r.tokens(), "A5003 A5004");
  EXPECT_EQ(r.results[2], PushResult::Stray);
  EXPECT_EQ(r.results[3], PushResult::Resynced);
  EXPECT_EQ(jb.stats().resyncs, 1u);
  EXPECT_EQ(jb.stats().stray, 1u);
  EXPECT_EQ(r.frames[0].play_time, kT0 + 160ms);
}

TEST(JitterBuffer, SingleStrayPacketDoesNotDisturbTheStream) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2, 0ms, 30000, 0), packet(3),
                               packet(4)};
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 C A3 A4");  // the stray took 2's place, so 2 is missing
  EXPECT_EQ(jb.stats().resyncs, 0u);
  EXPECT_EQ(jb.stats().stray, 1u);
}

TEST(JitterBuffer, MarkerStartsANewTalkspurtAfterSilence) {
  JitterBuffer jb;
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 5; ++i) {
    ps.push_back(packet(i));
  }
  JitterPacket p5 = packet(20);  // 300 ms of silence: timestamps jump, sequence does not
  p5.sequence = 5;
  p5.marker = true;
  JitterPacket p6 = packet(21);
  p6.sequence = 6;
  ps.push_back(p5);
  ps.push_back(p6);
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 A3 A4 A5 A6");
  EXPECT_EQ(r.find("A5")->play_time, kT0 + 440ms);
  EXPECT_EQ(jb.stats().lost, 0u);
}

TEST(JitterBuffer, ShortSilenceInsideTheBufferIsSilenceNotLoss) {
  JitterBuffer jb({.min_delay = 100ms});
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2)};
  JitterPacket p3 = packet(5);
  p3.sequence = 3;
  p3.marker = true;
  JitterPacket p4 = packet(6);
  p4.sequence = 4;
  ps.push_back(p3);
  ps.push_back(p4);
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 S S A3 A4");
  EXPECT_EQ(jb.stats().lost, 0u);
}

// 50 calm packets, 50 with every fifth 70 ms late, then calm again.
std::vector<JitterPacket> jittery_stream(int calm_after) {
  std::vector<JitterPacket> ps;
  for (int i = 0; i < calm_after; ++i) {
    const bool spike = i >= 50 && i < 100 && i % 5 == 0;
    ps.push_back(packet(i, spike ? 70ms : 0ms));
  }
  return ps;
}

TEST(JitterBuffer, AdaptsUpUnderJitterAndDownByRareDropsAfterItCalms) {
  JitterBuffer jb({.window_packets = 50});
  const auto ps = jittery_stream(400);
  Playout r;
  run(jb, ps, kT0 + 2s, r);
  // Packet 50 missed its slot and grew the target to 80 ms at once; later spikes fit.
  EXPECT_EQ(jb.stats().target_delay, 80ms);
  EXPECT_EQ(jb.stats().current_delay, 80ms);
  EXPECT_EQ(jb.stats().stretched, 2u);
  EXPECT_EQ(jb.stats().late, 1u);
  EXPECT_EQ(jb.stats().lost, 1u);
  EXPECT_GT(jb.stats().jitter, 0ms);

  run(jb, ps, kT0 + 9s, r, kT0 + 2s + 1ms);
  EXPECT_EQ(jb.stats().target_delay, 40ms);
  EXPECT_EQ(jb.stats().current_delay, 40ms);
  EXPECT_EQ(jb.stats().shrink_drops, 2u);  // one frame per second, not at once
  EXPECT_EQ(jb.stats().late, 1u);
  EXPECT_EQ(jb.stats().lost, 1u);
  // Everything but the late packet and the two dropped frames was played once.
  const auto audio = std::count_if(r.frames.begin(), r.frames.end(),
                                   [](const auto& f) { return f.kind == FrameKind::Audio; });
  EXPECT_EQ(audio, 400 - 1 - 2);
}

TEST(JitterBuffer, ShrinksOnlyInSilenceWhenDropsAreOff) {
  JitterBuffer jb({.window_packets = 10, .shrink_drop_interval = 0ms});
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 40; ++i) {
    ps.push_back(packet(i, i == 10 ? 70ms : 0ms));
  }
  JitterPacket spurt = packet(90);
  spurt.sequence = 40;
  spurt.marker = true;
  ps.push_back(spurt);
  Playout r;
  run(jb, ps, kT0 + 1500ms, r);
  EXPECT_EQ(jb.stats().target_delay, 40ms);
  EXPECT_EQ(jb.stats().current_delay, 80ms);  // still talking: no drop
  run(jb, ps, kT0 + 3s, r, kT0 + 1500ms + 1ms);
  EXPECT_EQ(jb.stats().current_delay, 40ms);  // re-anchored at the talkspurt start
  EXPECT_EQ(jb.stats().shrink_drops, 0u);
  EXPECT_EQ(r.find("A40")->play_time, kT0 + 1840ms);
}

TEST(JitterBuffer, DelayNeverExceedsTheConfiguredMaximum) {
  JitterBuffer jb({.max_delay = 100ms});
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2, 500ms), packet(3)};
  Playout r;
  run(jb, ps, kT0 + 2s, r);
  EXPECT_EQ(jb.stats().target_delay, 100ms);
}

TEST(JitterBuffer, OverflowDropsTheOldestPacket) {
  JitterBuffer jb({.min_delay = 200ms, .capacity = 4});
  std::vector<JitterPacket> ps;
  for (int i = 0; i < 6; ++i) {
    ps.push_back(packet(i));
  }
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  // 4 and 5 push out 0 and 1; their slots keep the schedule and are concealed.
  EXPECT_EQ(jb.stats().overflow, 2u);
  EXPECT_EQ(r.tokens(), "C C A2 A3 A4 A5");
  EXPECT_EQ(jb.stats().lost, 2u);
  EXPECT_EQ(r.find("A2")->play_time, kT0 + 240ms);
}

TEST(JitterBuffer, MarkerAfterALostTailIsSilenceNotAStringOfGaps) {
  JitterBuffer jb({.min_delay = 100ms});
  // 3 (the last packet of the talkspurt) is lost; 4 starts the next one 3 frames later.
  std::vector<JitterPacket> ps{packet(0), packet(1), packet(2)};
  JitterPacket p4 = packet(6);
  p4.sequence = 4;
  p4.marker = true;
  ps.push_back(p4);
  Playout r;
  run(jb, ps, kT0 + 1s, r);
  EXPECT_EQ(r.tokens(), "A0 A1 A2 S S S A4");
  EXPECT_EQ(jb.stats().lost, 0u);
}

TEST(JitterBuffer, AZeroClockRateConfigurationStillAcceptsPackets) {
  JitterBuffer jb({.clock_rate = 0, .frame_samples = 0});
  EXPECT_EQ(jb.push(packet(0)), PushResult::Accepted);
  EXPECT_TRUE(jb.pull(kT0).empty());
}

TEST(JitterBuffer, RandomJitterLossAndDuplicatesKeepTheBooksBalanced) {
  JitterBuffer jb({.max_delay = 120ms});
  std::uint32_t seed = 12345;
  auto next_random = [&seed](std::uint32_t n) {
    seed = seed * 1664525u + 1013904223u;  // Numerical Recipes LCG: fixed, portable
    return (seed >> 8) % n;
  };
  std::vector<JitterPacket> ps;
  int sent = 0;
  for (int i = 0; i < 2000; ++i) {
    if (next_random(100) < 2) {
      continue;  // lost in the network
    }
    ++sent;
    ps.push_back(packet(i, Duration{next_random(100'000)}, 65000, 0xFFFF0000u));
    if (next_random(100) < 2) {
      ps.push_back(packet(i, Duration{next_random(100'000)}, 65000, 0xFFFF0000u));
    }
  }
  Playout r;
  run(jb, ps, kT0 + 45s, r);
  const auto& st = jb.stats();
  EXPECT_EQ(st.received, ps.size());
  EXPECT_EQ(st.duplicate, ps.size() - static_cast<std::size_t>(sent));
  EXPECT_EQ(jb.size(), 0u);
  std::int64_t audio = 0;
  std::int64_t conceal = 0;
  std::int64_t last_seq = -1;
  for (std::size_t i = 0; i < r.frames.size(); ++i) {
    const auto& f = r.frames[i];
    if (i > 0) {
      EXPECT_GE(f.play_time, r.frames[i - 1].play_time + 20ms);
    }
    if (f.kind == FrameKind::Audio) {
      ++audio;
      // Sequence numbers go 65000..65535, 0..1463: unwrap and check strictly increasing.
      const std::int64_t ext = f.sequence >= 65000 ? f.sequence - 65000 : f.sequence + 536;
      EXPECT_GT(ext, last_seq);
      last_seq = ext;
    } else if (f.kind == FrameKind::Conceal) {
      ++conceal;
    }
  }
  EXPECT_EQ(static_cast<std::uint64_t>(conceal), st.lost);
  // Every distinct packet was played, arrived too late, or was dropped to shrink or overflow.
  EXPECT_EQ(static_cast<std::uint64_t>(audio) + st.late + st.shrink_drops + st.overflow,
            static_cast<std::uint64_t>(sent));
  EXPECT_LE(st.target_delay, 120ms);
  EXPECT_GE(st.target_delay, 40ms);
  EXPECT_GT(st.jitter, 0ms);
}

}  // namespace
}  // namespace sb::media::jitter
