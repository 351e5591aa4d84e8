// acd/ewt.h: estimated wait time per queue, aware of how many agents serve the queue (an
// agent shared by k queues counts 1/k, times its channel capacity) and of the handle time
// recently observed there. Pure arithmetic; the router feeds it.
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

  // Expected wait for the caller at 1-based `position`, given `free_agents` idle now.
  Duration estimate(QueueId queue, int position, int free_agents) const;
  double servers(QueueId queue) const { return queues_[index_of(queue)].servers; }
  Duration average_handle_time(QueueId queue) const;

 private:
  struct PerQueue {
    double servers = 0;
    double aht_s = 180;
    int samples = 0;
  };
  std::vector<PerQueue> queues_;
};

}  // namespace sb::acd
