// bench/center_fixture.h: synthetic but realistic centers for benchmarks and the differential
// test: N queues each needing one of S skills (with a minimum proficiency), agents holding a
// handful of skills at random proficiencies, longest-idle everywhere.
#pragma once

#include <cstdint>

#include "acd/config.h"
#include "sim/traffic_model.h"

namespace sb::bench {

struct CenterShape {
  int agents = 10000;
  int queues = 200;
  int skills = 50;
  int skills_per_agent = 5;
  int priorities = 3;          // queue priorities 0..priorities-1
  uint64_t seed = 42;
};

acd::RoutingConfig make_center(const CenterShape& shape);

// A day of traffic for make_center(): `calls` over a 10-hour day with a late-morning peak,
// exponential handle times of mean `aht`, exponential 3-minute patience.
sim::TrafficModel make_day(const acd::RoutingConfig& center, int calls, Duration aht,
                           uint64_t seed);

}  // namespace sb::bench
