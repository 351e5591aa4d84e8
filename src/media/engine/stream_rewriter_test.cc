// media/engine/stream_rewriter_test.cc
#include "media/engine/stream_rewriter.h"

#include <gtest/gtest.h>

namespace sb::media::engine {
namespace {

using std::chrono::milliseconds;

TimePoint at(int ms) { return TimePoint{} + milliseconds(ms) + std::chrono::hours(1000); }

TEST(StreamRewriter, RelayKeepsSpacingOfOneSource) {
  StreamRewriter r(0x1234, 100, 5000, 8000);
  auto a = r.relay(7, 40000, 123456, false, at(0));
  EXPECT_EQ(a.sequence, 100);
  EXPECT_EQ(a.timestamp, 5000u);
  EXPECT_TRUE(a.marker);  // first packet of a new source
  auto b = r.relay(7, 40002, 123456 + 320, false, at(40));  // one lost in between
  EXPECT_EQ(b.sequence, 102);
  EXPECT_EQ(b.timestamp, 5320u);
  EXPECT_FALSE(b.marker);
  auto late = r.relay(7, 40001, 123456 + 160, false, at(41));  // reordered
  EXPECT_EQ(late.sequence, 101);
  EXPECT_EQ(late.timestamp, 5160u);
}

TEST(StreamRewriter, NewSourceContinuesAfterLastPacketWithElapsedTime) {
  StreamRewriter r(1, 65534, 4294967000u, 8000);
  r.relay(7, 10, 1000, false, at(0));
  r.relay(7, 11, 1160, false, at(20));
  // A transfer: another caller's stream, far away in sequence and timestamp, 100 ms later.
  auto c = r.relay(9, 50000, 7, false, at(120));
  EXPECT_EQ(c.sequence, 0);                     // 65535 + 1, wrapped
  EXPECT_EQ(c.timestamp, 4294967160u + 800u);   // wraps too: 100 ms at 8 kHz later
  EXPECT_TRUE(c.marker);
  auto d = r.relay(9, 50001, 167, false, at(140));
  EXPECT_EQ(d.sequence, 1);
  EXPECT_EQ(d.timestamp, c.timestamp + 160);
}

TEST(StreamRewriter, GeneratedFramesBetweenRelayedStretches) {
  StreamRewriter r(1, 10, 0, 8000);
  r.relay(7, 500, 9000, false, at(0));
  auto g1 = r.generate(160, at(20));
  EXPECT_EQ(g1.sequence, 11);
  EXPECT_EQ(g1.timestamp, 160u);
  EXPECT_TRUE(g1.marker);
  auto g2 = r.generate(160, at(40));
  EXPECT_EQ(g2.sequence, 12);
  EXPECT_EQ(g2.timestamp, 320u);
  EXPECT_FALSE(g2.marker);
  // Back to the same relayed source: rebased again, never backwards.
  auto back = r.relay(7, 503, 9480, false, at(60));
  EXPECT_EQ(back.sequence, 13);
  EXPECT_EQ(back.timestamp, 480u);
  EXPECT_TRUE(back.marker);
}

}  // namespace
}  // namespace sb::media::engine
