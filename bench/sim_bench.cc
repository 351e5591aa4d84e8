// bench/sim_bench.cc: wall time to simulate one day of a 1,000-agent, 50,000-call center
// with the real router, without and with the router's self-check.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "bench/center_fixture.h"
#include "sim/simulator.h"

namespace {

using namespace sb;

void BM_SimulateDay(benchmark::State& state) {
  bench::CenterShape shape;
  shape.agents = 1000;
  shape.queues = 20;
  shape.skills = 10;
  shape.skills_per_agent = 3;
  const auto center = bench::make_center(shape);
  // 12-minute handle times: about 1,000 Erlangs offered on average to 1,000 agents whose skills do not cover every queue alike: a hard day with real queues and abandonment.
  const auto day = bench::make_day(center, 50000, std::chrono::seconds(720), 11);
  sim::SimOptions options;
  options.self_check_every = state.range(0);
  sim::SimulationReport report;
  for (auto _ : state) {
    report = sim::simulate(center, day, options);
  }
  state.counters["calls"] = static_cast<double>(report.interactions);
  state.counters["router_events"] = static_cast<double>(report.events);
  state.counters["self_checks"] = static_cast<double>(report.self_checks);
  state.counters["SL"] = report.overall.service_level;
  state.counters["violations"] = static_cast<double>(report.violations.size());
  state.counters["ewt_mae_s"] = report.ewt_mae_s;
  state.counters["queued_wait_s"] = report.ewt_mean_wait_s;
}

BENCHMARK(BM_SimulateDay)
    ->Arg(0)
    ->Arg(1)
    ->Arg(1000)
    ->ArgName("self_check_every")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
