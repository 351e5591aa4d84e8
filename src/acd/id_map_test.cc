// acd/id_map_test.cc: the flat id map against std::unordered_map on random operations.
#include "acd/id_map.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace sb::acd::detail {
namespace {

TEST(IdMap, AgreesWithUnorderedMapOnRandomInsertsAndErases) {
  IdMap map;
  std::unordered_map<uint64_t, uint32_t> reference;
  std::mt19937_64 rng(5);
  // Keys from a small range collide often; sequential ones test clustering.
  for (int i = 0; i < 200000; ++i) {
    const uint64_t key = i % 3 == 0 ? rng() % 2000 : static_cast<uint64_t>(i / 3);
    switch (rng() % 3) {
      case 0:
      case 1:
        map.insert(key, static_cast<uint32_t>(i));
        reference[key] = static_cast<uint32_t>(i);
        break;
      default:
        map.erase(key);
        reference.erase(key);
        break;
    }
    if (i % 1000 == 0) {
      ASSERT_EQ(map.size(), reference.size());
      size_t seen = 0;
      map.for_each([&](uint64_t k, uint32_t v) {
        ++seen;
        ASSERT_EQ(reference.at(k), v);
      });
      ASSERT_EQ(seen, reference.size());
    }
    const uint64_t probe = rng() % 3000;
    auto it = reference.find(probe);
    ASSERT_EQ(map.find(probe), it == reference.end() ? IdMap::kAbsent : it->second) << i;
  }
}

TEST(IdMap, ErasingAnAbsentKeyChangesNothing) {
  IdMap map;
  map.insert(1, 10);
  map.erase(2);
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.find(1), 10u);
  EXPECT_FALSE(map.contains(2));
}

}  // namespace
}  // namespace sb::acd::detail
