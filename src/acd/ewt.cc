// acd/ewt.cc: the estimator's arithmetic.
#include "acd/ewt.h"

#include <algorithm>

namespace sb::acd {
namespace {
// Exponential smoothing over roughly the last 50 interactions: recent enough to follow the
// intraday mix, long enough not to jump with one long call.
constexpr double kSmoothing = 1.0 / 50.0;
}  // namespace

void WaitTimeEstimator::reset(const std::vector<QueueConfig>& queues) {
  queues_.assign(queues.size(), PerQueue{});
  for (size_t i = 0; i < queues.size(); ++i) {
    queues_[i].aht_s = to_seconds(queues[i].default_handle_time + queues[i].wrap_up);
  }
}

void WaitTimeEstimator::add_servers(QueueId queue, double share) {
  auto& q = queues_[index_of(queue)];
  q.servers = std::max(0.0, q.servers + share);
}

void WaitTimeEstimator::record_handle_time(QueueId queue, Duration handle_time) {
  auto& q = queues_[index_of(queue)];
  double s = to_seconds(handle_time);
  // Until 50 samples exist, a plain running mean (the default counts as one sample).
  double weight = q.samples < 50 ? 1.0 / (q.samples + 2) : kSmoothing;
  q.aht_s += (s - q.aht_s) * weight;
  ++q.samples;
}

Duration WaitTimeEstimator::estimate(QueueId queue, int position, int free_agents) const {
  const auto& q = queues_[index_of(queue)];
  int ahead = position - free_agents;
  if (ahead <= 0) {
    return Duration::zero();
  }
  // With every server busy, departures come at servers/AHT and the caller needs `ahead` of
  // them; under exponential service each, the first included, is AHT/servers away.
  double servers = std::max(q.servers, 0.5);
  return from_seconds(ahead * q.aht_s / servers);
}

Duration WaitTimeEstimator::average_handle_time(QueueId queue) const {
  return from_seconds(queues_[index_of(queue)].aht_s);
}

}  // namespace sb::acd
