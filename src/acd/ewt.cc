// acd/ewt.cc: the estimator's arithmetic.
#include "acd/ewt.h"

#include <algorithm>

namespace sb::acd {
namespace {
// Exponential smoothing over roughly the last 50 interactions: recent enough to follow the
// intraday mix, long enough not to jump with one long call.
constexpr double kSmoothing = 1.0 / 50.0;
// Departures observed before the drain rate is trusted over the capacity estimate.
constexpr int kMinimumDepartures = 5;
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

void WaitTimeEstimator::queue_became_busy(QueueId queue, TimePoint now) {
  auto& q = queues_[index_of(queue)];
  if (!q.busy) {
    q.busy = true;
    q.busy_since = now;
  }
}

void WaitTimeEstimator::record_departure(QueueId queue, TimePoint now, size_t left_waiting) {
  auto& q = queues_[index_of(queue)];
  if (q.busy) {
    // Only time while callers wait counts: an idle queue says nothing about its drain rate.
    const double gap = to_seconds(now - std::max(q.busy_since, q.last_departure));
    const double weight = q.gaps < 20 ? 1.0 / (q.gaps + 1) : 1.0 / 20;
    q.gap_s += (gap - q.gap_s) * weight;
    ++q.gaps;
  }
  q.last_departure = now;
  q.busy = left_waiting > 0;
}

Duration WaitTimeEstimator::estimate(QueueId queue, int position, int free_agents) const {
  const auto& q = queues_[index_of(queue)];
  int ahead = position - free_agents;
  if (ahead <= 0) {
    return Duration::zero();
  }
  if (q.gaps >= kMinimumDepartures) {
    return from_seconds(ahead * q.gap_s);
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
