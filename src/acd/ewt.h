// acd/ewt.h: estimated wait time per queue. Once the queue has history, from how fast its
// waiting callers have recently left it while it was non-empty (which already reflects shared
// agents, breaks, eligibility expansion and abandonment ahead); before that, from the agents
// serving it (an agent shared by k queues counts 1/k, times its channel capacity) and the
// handle time. Pure arithmetic; the router feeds it.
#pragma once

#include <vector>

#include "acd/config.h"
#include "common/clock.h"

namespace sb::acd {

class WaitTimeEstimator {
 public:
  void reset(const std::vector<QueueConfig>& queues);

  // An agent started (+share) or stopped (−share) serving the queue.
  void add_servers(QueueId queue, double share);
  // A finished interaction's handle time (talk + wrap-up) in this queue.
  void record_handle_time(QueueId queue, Duration handle_time);

  // The queue went from empty to non-empty.
  void queue_became_busy(QueueId queue, TimePoint now);
  // A waiting caller left the queue (to an agent, abandoned or overflowed); `left_waiting`
  // is how many still wait there.
  void record_departure(QueueId queue, TimePoint now, size_t left_waiting);

  // Expected wait for the caller at 1-based `position`, given `free_agents` idle now.
  Duration estimate(QueueId queue, int position, int free_agents) const;
  double servers(QueueId queue) const { return queues_[index_of(queue)].servers; }
  Duration average_handle_time(QueueId queue) const;

 private:
  struct PerQueue {
    double servers = 0;
    double aht_s = 180;
    int samples = 0;
    bool busy = false;          // callers waiting
    TimePoint busy_since{};
    TimePoint last_departure{};
    double gap_s = 0;           // smoothed time between departures while busy
    int gaps = 0;
  };
  std::vector<PerQueue> queues_;
};

}  // namespace sb::acd
