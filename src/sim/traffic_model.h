// sim/traffic_model.h: what the simulator feeds the router: arrivals, handle times,
// patience and agent shifts. Plain data from the `traffic:` section of the config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "acd/ids.h"
#include "common/clock.h"

namespace sb::sim {

// A positive random duration.
struct DurationDistribution {
  enum class Kind : uint8_t { Fixed, Exponential, Lognormal, Empirical };
  Kind kind = Kind::Exponential;
  Duration mean = std::chrono::seconds(180);
  Duration stddev{};               // lognormal only
  std::vector<Duration> samples;   // empirical: drawn uniformly from these
};

struct QueueTraffic {
  acd::QueueId queue{};
  double calls_per_day = 0;                  // spread over the day by `profile`
  std::vector<double> profile;               // relative weight per interval; empty: flat
  DurationDistribution handle_time;          // talk time
  std::optional<DurationDistribution> patience;  // none: callers never abandon
  double callback_accept = 0.0;              // chance a caller accepts an offered callback
  double vip_share = 0.0;                    // fraction of callers flagged VIP
  int priority = 0;                          // interaction priority on top of the queue's
};

struct Break {
  Duration start{};                          // time of day
  Duration length{};
  acd::ReasonCode reason{};
};

struct Shift {
  std::vector<acd::AgentId> agents;
  Duration start{};                          // time of day
  Duration end{};
  std::vector<Break> breaks;
};

struct TrafficModel {
  uint64_t seed = 1;
  Duration day_start = std::chrono::hours(0);  // time of day the first interval starts
  Duration day_length = std::chrono::hours(24);
  Duration interval = std::chrono::minutes(15);
  Duration answer_delay = std::chrono::seconds(0);  // agent ring time before answering
  std::vector<QueueTraffic> queues;
  std::vector<Shift> shifts;                 // empty: every agent works the whole day
};

}  // namespace sb::sim
