// media/engine/port_allocator_test.cc
#include "media/engine/port_allocator.h"

#include <gtest/gtest.h>

namespace sb::media::engine {
namespace {

TEST(PortAllocator, EvenPortsOfPairsInsideTheRange) {
  auto ports = PortAllocator::create(20001, 20008);
  ASSERT_TRUE(ports);
  EXPECT_EQ(ports->capacity(), 3u);  // 20002/3, 20004/5, 20006/7
  EXPECT_EQ(ports->allocate(), 20002);
  EXPECT_EQ(ports->allocate(), 20004);
  EXPECT_EQ(ports->allocate(), 20006);
  EXPECT_EQ(ports->allocate(), std::nullopt);
}

TEST(PortAllocator, ReleasedPairGoesToTheBack) {
  auto ports = PortAllocator::create(30000, 30005);
  ASSERT_TRUE(ports);
  auto a = ports->allocate();
  ports->release(*a);
  EXPECT_EQ(ports->allocate(), 30002);
  EXPECT_EQ(ports->allocate(), 30004);
  EXPECT_EQ(ports->allocate(), 30000);
  EXPECT_EQ(ports->available(), 0u);
}

TEST(PortAllocator, RefusesRangesWithoutAPair) {
  EXPECT_FALSE(PortAllocator::create(20000, 20000));
  EXPECT_FALSE(PortAllocator::create(100, 200));
  EXPECT_FALSE(PortAllocator::create(30000, 20000));
}

}  // namespace
}  // namespace sb::media::engine
