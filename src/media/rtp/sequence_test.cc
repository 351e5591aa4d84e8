// media/rtp/sequence_test.cc: sequence arithmetic and RFC 3550 A.1 source validation.
#include "media/rtp/sequence.h"

#include <gtest/gtest.h>

namespace sb::media::rtp {
namespace {

TEST(SeqArithmetic, ComparesAcrossWraparound) {
  EXPECT_TRUE(seq_less(1, 2));
  EXPECT_FALSE(seq_less(2, 1));
  EXPECT_FALSE(seq_less(5, 5));
  EXPECT_TRUE(seq_less(65535, 0));
  EXPECT_TRUE(seq_less(65000, 100));
  EXPECT_FALSE(seq_less(100, 65000));
  EXPECT_TRUE(seq_less(0, 32767));
  EXPECT_FALSE(seq_less(0, 32768));  // exactly half way counts as behind
  EXPECT_EQ(seq_diff(65535, 1), 2);
  EXPECT_EQ(seq_diff(1, 65535), -2);
  EXPECT_EQ(seq_diff(10, 10), 0);
}

TEST(SequenceTracker, NeedsTwoSequentialPacketsBeforeCounting) {
  SequenceTracker t;
  EXPECT_FALSE(t.update(100));
  EXPECT_TRUE(t.on_probation());
  EXPECT_EQ(t.received(), 0u);
  EXPECT_TRUE(t.update(101));
  EXPECT_FALSE(t.on_probation());
  EXPECT_EQ(t.received(), 1u);
  EXPECT_EQ(t.extended_base(), 101u);
  EXPECT_EQ(t.extended_max(), 101u);
  EXPECT_EQ(t.expected(), 1u);
}

TEST(SequenceTracker, OutOfOrderDuringProbationRestartsIt) {
  SequenceTracker t;
  EXPECT_FALSE(t.update(10));
  EXPECT_FALSE(t.update(20));  // not 11: probation starts again from 20
  EXPECT_TRUE(t.update(21));
  EXPECT_EQ(t.extended_base(), 21u);
}

TEST(SequenceTracker, ProbationCompletesAcrossWrap) {
  // The RFC's C code compares seq == max_seq + 1 in int and would miss 65535 -> 0.
  SequenceTracker t;
  EXPECT_FALSE(t.update(65535));
  EXPECT_TRUE(t.update(0));
  EXPECT_EQ(t.extended_max(), 0u);
}

TEST(SequenceTracker, CountsWrapsIntoTheExtendedSequence) {
  SequenceTracker t;
  t.update(65533);
  t.update(65534);
  EXPECT_TRUE(t.update(65535));
  EXPECT_TRUE(t.update(0));
  EXPECT_TRUE(t.update(1));
  EXPECT_EQ(t.extended_max(), 65536u + 1);
  EXPECT_EQ(t.expected(), 4u);  // 65534, 65535, 0, 1
  EXPECT_EQ(t.received(), 4u);
  EXPECT_EQ(t.extend(65535), 65535u);
  EXPECT_EQ(t.extend(2), 65538u);
}

TEST(SequenceTracker, GapsAndLatePacketsCountAsReceived) {
  SequenceTracker t;
  t.update(1);
  t.update(2);
  EXPECT_TRUE(t.update(5));  // 3 and 4 lost so far
  EXPECT_TRUE(t.update(3));  // late: counted, max unchanged
  EXPECT_TRUE(t.update(3));  // duplicate: counted too (A.3 lets lost go negative)
  EXPECT_EQ(t.extended_max(), 5u);
  EXPECT_EQ(t.expected(), 4u);
  EXPECT_EQ(t.received(), 4u);
}

TEST(SequenceTracker, LargeJumpIsBelievedAfterASecondSequentialPacket) {
  SequenceTracker t;
  t.update(1000);
  t.update(1001);
  EXPECT_FALSE(t.update(1001 + 5000));  // beyond MAX_DROPOUT: suspicious
  EXPECT_EQ(t.extended_max(), 1001u);
  EXPECT_TRUE(t.update(1001 + 5001));  // sequential: the sender restarted; resync
  EXPECT_EQ(t.extended_base(), 6002u);
  EXPECT_EQ(t.extended_max(), 6002u);
  EXPECT_EQ(t.received(), 1u);
}

TEST(SequenceTracker, LargeJumpNotConfirmedIsDropped) {
  SequenceTracker t;
  t.update(1000);
  t.update(1001);
  EXPECT_FALSE(t.update(9000));
  EXPECT_TRUE(t.update(1002));
  EXPECT_FALSE(t.update(20000));
  EXPECT_EQ(t.extended_max(), 1002u);
  EXPECT_EQ(t.received(), 2u);
}

TEST(SequenceTracker, MisorderWithinWindowIsAccepted) {
  SequenceTracker t;
  t.update(500);
  t.update(501);
  EXPECT_TRUE(t.update(450));  // 51 behind: within MAX_MISORDER
  EXPECT_EQ(t.extended_max(), 501u);
}

}  // namespace
}  // namespace sb::media::rtp
