// tests/acd_differential_test.cc: the indexed acd::Router and the naive full-scan router make
// exactly the same decisions on long random runs (longest-idle, skills with minimum
// proficiency, queue priorities, aging). The index is an optimisation, never a behaviour.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "acd/router.h"
#include "bench/center_fixture.h"
#include "bench/naive_router.h"

namespace sb {
namespace {

class Differential : public ::testing::TestWithParam<double> {};

TEST_P(Differential, IndexedRouterDecidesExactlyLikeFullScan) {
  bench::CenterShape shape;
  shape.agents = 60;
  shape.queues = 12;
  shape.skills = 6;
  shape.skills_per_agent = 2;
  auto center = bench::make_center(shape);
  center.aging_per_minute = GetParam();
  VirtualClock clock(TimePoint{} + std::chrono::hours(24 * 20000));
  acd::Router router(clock, center, 1);
  bench::NaiveRouter naive(clock, center);
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<uint32_t> queue(0, static_cast<uint32_t>(shape.queues - 1));
  std::uniform_int_distribution<int> priority(0, 4);
  std::vector<std::pair<uint32_t, uint64_t>> busy;

  auto offer_of = [](const acd::Actions& actions) -> std::optional<std::pair<uint32_t, uint64_t>> {
    for (const auto& a : actions) {
      if (const auto* o = std::get_if<acd::OfferToAgents>(&a)) {
        return std::pair{acd::index_of(o->agents.front()), acd::index_of(o->interaction)};
      }
    }
    return std::nullopt;
  };

  for (uint32_t a = 0; a < center.agents.size(); ++a) {
    router.on_agent_login(acd::AgentId{a});
    naive.agent_free(a);
  }
  uint64_t next_id = 1;
  int decisions = 0;
  for (int step = 0; step < 20000; ++step) {
    clock.advance(std::chrono::milliseconds(500 + step % 7 * 300));
    const bool arrival = busy.empty() || std::uniform_int_distribution<int>(0, 99)(rng) < 52;
    if (arrival) {
      const uint64_t id = next_id++;
      const uint32_t q = queue(rng);
      const int p = priority(rng);
      auto indexed = offer_of(router.on_arrived({acd::InteractionId{id}, acd::QueueId{q}, p, false}));
      auto scanned = naive.arrive(id, q, p);
      ASSERT_EQ(indexed.has_value(), scanned.has_value()) << "step " << step;
      if (indexed) {
        ASSERT_EQ(indexed->first, *scanned) << "step " << step;
        router.on_answered(acd::InteractionId{id}, acd::AgentId{indexed->first});
        busy.emplace_back(indexed->first, id);
        ++decisions;
      }
    } else {
      const size_t i = std::uniform_int_distribution<size_t>(0, busy.size() - 1)(rng);
      const auto [agent, interaction] = busy[i];
      busy[i] = busy.back();
      busy.pop_back();
      auto indexed = offer_of(router.on_ended(acd::InteractionId{interaction}));
      auto scanned = naive.agent_free(agent);
      ASSERT_EQ(indexed.has_value(), scanned.has_value()) << "step " << step;
      if (indexed) {
        ASSERT_EQ(indexed->second, *scanned) << "step " << step;
        router.on_answered(acd::InteractionId{indexed->second}, acd::AgentId{agent});
        busy.emplace_back(agent, indexed->second);
        ++decisions;
      }
    }
    if (step % 100 == 0) {
      ASSERT_THAT(router.check_invariants(), ::testing::IsEmpty()) << "step " << step;
    }
  }
  EXPECT_GT(decisions, 5000);
  EXPECT_GT(router.waiting_count(), 0u);  // the run did build queues, not just idle offers
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutAging, Differential, ::testing::Values(0.0, 0.5, 5.0));

}  // namespace
}  // namespace sb
