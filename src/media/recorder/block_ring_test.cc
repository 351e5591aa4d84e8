// media/recorder/block_ring_test.cc: BlockRing order, capacity and wrap-around, and one
// producer/consumer pair running concurrently (meaningful under -fsanitize=thread).
#include "media/recorder/block_ring.h"

#include <gtest/gtest.h>

#include <thread>

namespace sb::media::recorder {
namespace {

StereoBlock block(uint64_t seq) {
  StereoBlock b;
  b.seq = seq;
  b.left.fill(static_cast<int16_t>(seq));
  b.right.fill(static_cast<int16_t>(-static_cast<int>(seq)));
  return b;
}

TEST(BlockRing, FifoUntilFullThenRefuses) {
  BlockRing ring(4);
  for (uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(ring.try_push(block(i)));
  }
  EXPECT_FALSE(ring.try_push(block(99)));
  StereoBlock out;
  for (uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(ring.try_pop(out));
    EXPECT_EQ(out.seq, i);
    EXPECT_EQ(out.left[0], static_cast<int16_t>(i));
  }
  EXPECT_FALSE(ring.try_pop(out));
}

TEST(BlockRing, WrapsAround) {
  BlockRing ring(3);
  StereoBlock out;
  for (uint64_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(ring.try_push(block(i)));
    ASSERT_TRUE(ring.try_pop(out));
    EXPECT_EQ(out.seq, i);
  }
}

TEST(BlockRing, ConcurrentProducerAndConsumerKeepOrder) {
  BlockRing ring(8);
  constexpr uint64_t kBlocks = 5000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kBlocks;) {
      if (ring.try_push(block(i))) {
        ++i;
      } else {
        std::this_thread::yield();
      }
    }
  });
  StereoBlock out;
  for (uint64_t next = 0; next < kBlocks;) {
    if (ring.try_pop(out)) {
      ASSERT_EQ(out.seq, next);
      ASSERT_EQ(out.right[kFrameSamples - 1], static_cast<int16_t>(-static_cast<int>(next)));
      ++next;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
}

}  // namespace
}  // namespace sb::media::recorder
