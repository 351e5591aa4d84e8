// sim/kpi_collector.h: accumulates what happened to each interaction and each agent's time,
// per queue and per interval of the day, and turns it into KpiRows.
#pragma once

#include <vector>

#include "acd/config.h"
#include "sim/report.h"

namespace sb::sim {

class KpiCollector {
 public:
  KpiCollector(const acd::RoutingConfig& routing, int intervals_per_day, Duration interval,
               Duration day_start);

  struct Cell {
    int64_t offered = 0, answered = 0, abandoned = 0, overflowed = 0, callbacks = 0;
    int64_t answered_in_sl = 0, waited = 0;
    double wait_sum_s = 0, handle_sum_s = 0;
    std::vector<float> waits;
    double busy_s = 0, staffed_s = 0;       // agent time of the queue's agents
    double queue_length_sum = 0;
    int64_t queue_length_samples = 0, max_queue_length = 0;
  };
  Cell& cell(acd::QueueId queue, int interval) {
    return cells_[acd::index_of(queue) * intervals_ + interval];
  }
  int intervals() const { return intervals_; }

  // Agent time between two instants, split over intervals of the day (time outside the
  // day's window is not reported).
  void add_agent_time(const std::vector<acd::QueueId>& queues, TimePoint day_origin,
                      TimePoint from, TimePoint to, bool busy);

  void add_wait(acd::QueueId queue, int interval, Duration wait, Duration threshold);

  // Builds the rows: per queue and interval, per queue, and overall.
  void finish(SimulationReport& report) const;

 private:
  KpiRow make_row(const std::vector<const Cell*>& cells, const acd::QueueConfig* queue) const;

  const acd::RoutingConfig& routing_;
  int intervals_;
  Duration interval_;
  Duration day_start_;
  std::vector<Cell> cells_;
};

}  // namespace sb::sim
