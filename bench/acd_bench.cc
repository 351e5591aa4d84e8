// bench/acd_bench.cc: routing cost at scale: 10,000 agents, 200 queues, 50 skills and
// 100,000 waiting interactions, for acd::Router and for the naive full-scan router, in the
// same run. Each cycle is three events: a call ends (the freed agent picks the best caller
// it can serve among 100,000), the offer is answered, and a new caller arrives.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <unordered_map>

#include "acd/router.h"
#include "bench/center_fixture.h"
#include "bench/naive_router.h"

namespace {

using namespace sb;
using Clock = std::chrono::steady_clock;

constexpr int kWaiting = 100000;

struct Figures {
  double events_per_s = 0;
  double p99_us = 0;
};
Figures g_indexed, g_naive;

double p99(std::vector<float>& samples) {
  if (samples.empty()) return 0;
  const size_t k = samples.size() * 99 / 100;
  std::nth_element(samples.begin(), samples.begin() + static_cast<long>(k), samples.end());
  return samples[k];
}

// Agent -> the interaction it is talking to.
using Busy = std::vector<std::pair<uint32_t, uint64_t>>;

void BM_IndexedRouter(benchmark::State& state) {
  const auto center = bench::make_center({});
  VirtualClock clock(TimePoint{} + std::chrono::hours(24 * 20000));
  acd::Router router(clock, center, 1);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<uint32_t> queue(0, static_cast<uint32_t>(center.queues.size() - 1));
  uint64_t next_id = 1;
  Busy busy;
  std::unordered_map<uint64_t, uint32_t> offered;  // interaction -> agent, until answered
  auto settle = [&](const acd::Actions& actions) {
    for (const auto& a : actions) {
      if (const auto* o = std::get_if<acd::OfferToAgents>(&a)) {
        const uint32_t agent = acd::index_of(o->agents.front());
        router.on_answered(o->interaction, o->agents.front());
        busy.emplace_back(agent, acd::index_of(o->interaction));
      }
    }
  };
  for (size_t a = 0; a < center.agents.size(); ++a) {
    router.on_agent_login(acd::AgentId{static_cast<uint32_t>(a)});
  }
  while (router.waiting_count() < kWaiting) {
    clock.advance(std::chrono::milliseconds(10));
    settle(router.on_arrived({acd::InteractionId{next_id++}, acd::QueueId{queue(rng)}, 0, false}));
  }
  std::vector<float> latencies;
  latencies.reserve(1 << 20);
  int64_t events = 0;
  const auto started = Clock::now();
  for (auto _ : state) {
    clock.advance(std::chrono::milliseconds(10));
    std::uniform_int_distribution<size_t> pick(0, busy.size() - 1);
    const size_t i = pick(rng);
    const auto [agent, interaction] = busy[i];
    busy[i] = busy.back();
    busy.pop_back();
    auto t0 = Clock::now();
    auto ended = router.on_ended(acd::InteractionId{interaction});
    auto t1 = Clock::now();
    settle(ended);  // includes on_answered
    auto t2 = Clock::now();
    auto arrived = router.on_arrived({acd::InteractionId{next_id++}, acd::QueueId{queue(rng)}, 0, false});
    auto t3 = Clock::now();
    settle(arrived);
    latencies.push_back(std::chrono::duration<float, std::micro>(t1 - t0).count());
    latencies.push_back(std::chrono::duration<float, std::micro>(t3 - t2).count());
    events += 3;
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["p99_us"] = p99(latencies);
  state.counters["waiting"] = static_cast<double>(router.waiting_count());
  g_indexed = {static_cast<double>(events) /
                   std::chrono::duration<double>(Clock::now() - started).count(),
               state.counters["p99_us"]};
}

void BM_NaiveRouter(benchmark::State& state) {
  const auto center = bench::make_center({});
  VirtualClock clock(TimePoint{} + std::chrono::hours(24 * 20000));
  bench::NaiveRouter router(clock, center);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<uint32_t> queue(0, static_cast<uint32_t>(center.queues.size() - 1));
  uint64_t next_id = 1;
  Busy busy;
  int waiting = 0;
  for (uint32_t a = 0; a < center.agents.size(); ++a) {
    router.agent_free(a);
  }
  while (waiting < kWaiting) {
    clock.advance(std::chrono::milliseconds(10));
    const uint64_t id = next_id++;
    if (auto agent = router.arrive(id, queue(rng), 0)) {
      busy.emplace_back(*agent, id);
    } else {
      ++waiting;
    }
  }
  std::vector<float> latencies;
  int64_t events = 0;
  const auto started = Clock::now();
  for (auto _ : state) {
    clock.advance(std::chrono::milliseconds(10));
    std::uniform_int_distribution<size_t> pick(0, busy.size() - 1);
    const size_t i = pick(rng);
    const auto [agent, interaction] = busy[i];
    busy[i] = busy.back();
    busy.pop_back();
    auto t0 = Clock::now();
    auto next = router.agent_free(agent);
    auto t1 = Clock::now();
    if (next) {
      router.answered(agent);
      busy.emplace_back(agent, *next);
    }
    const uint64_t id = next_id++;
    auto t2 = Clock::now();
    auto offered = router.arrive(id, queue(rng), 0);
    auto t3 = Clock::now();
    if (offered) {
      busy.emplace_back(*offered, id);
    }
    latencies.push_back(std::chrono::duration<float, std::micro>(t1 - t0).count());
    latencies.push_back(std::chrono::duration<float, std::micro>(t3 - t2).count());
    events += 3;
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["p99_us"] = p99(latencies);
  g_naive = {static_cast<double>(events) /
                 std::chrono::duration<double>(Clock::now() - started).count(),
             state.counters["p99_us"]};
}

BENCHMARK(BM_IndexedRouter)->Unit(benchmark::kMicrosecond)->MinTime(3.0);
BENCHMARK(BM_NaiveRouter)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_indexed.events_per_s > 0 && g_naive.events_per_s > 0) {
    std::printf(
        "\nrouting, 10,000 agents / 200 queues / 50 skills / 100,000 waiting:\n"
        "  acd::Router  %12.0f events/s  p99 %8.2f us per decision\n"
        "  naive scan   %12.0f events/s  p99 %8.2f us per decision\n"
        "  ratio        %12.1fx events/s  %8.1fx lower p99\n",
        g_indexed.events_per_s, g_indexed.p99_us, g_naive.events_per_s, g_naive.p99_us,
        g_indexed.events_per_s / g_naive.events_per_s, g_naive.p99_us / g_indexed.p99_us);
  }
  return 0;
}
