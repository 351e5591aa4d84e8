// sim/simulator.h: discrete-event simulation of a call center day (or days) that drives the
// real acd::Router with virtual time. Pure: no I/O; progress is reported through a callback.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "acd/config.h"
#include "sim/report.h"
#include "sim/traffic_model.h"

namespace sb::sim {

struct SimOptions {
  int days = 1;
  std::optional<uint64_t> seed;      // overrides TrafficModel::seed
  int64_t self_check_every = 1;      // run Router::check_invariants every N events; 0: never
  size_t max_violations = 20;        // findings kept in the report
  Duration drain = std::chrono::hours(2);  // after the day: callers still waiting then are cut
  std::function<void(double fraction)> progress;  // called now and then with 0..1
  std::vector<uint64_t> explain;     // interactions whose routing explanations to report
};

SimulationReport simulate(const acd::RoutingConfig& routing, const TrafficModel& traffic,
                          const SimOptions& options);

}  // namespace sb::sim
