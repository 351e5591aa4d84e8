// sim/kpi_collector.cc: KPI arithmetic for the simulator's report.
#include "sim/kpi_collector.h"

#include <algorithm>

namespace sb::sim {

KpiCollector::KpiCollector(const acd::RoutingConfig& routing, int intervals_per_day,
                           Duration interval, Duration day_start)
    : routing_(routing),
      intervals_(intervals_per_day),
      interval_(interval),
      day_start_(day_start),
      cells_(routing.queues.size() * static_cast<size_t>(intervals_per_day)) {}

void KpiCollector::add_agent_time(const std::vector<acd::QueueId>& queues, TimePoint day_origin,
                                  TimePoint from, TimePoint to, bool busy) {
  if (queues.empty() || to <= from) {
    return;
  }
  // Walk the interval boundaries between `from` and `to`.
  const TimePoint window = day_origin + day_start_;
  TimePoint t = std::max(from, window);
  const TimePoint end = std::min(to, window + interval_ * intervals_);
  while (t < end) {
    const int index = static_cast<int>((t - window) / interval_);
    const TimePoint boundary = std::min(end, window + interval_ * (index + 1));
    const double seconds = to_seconds(boundary - t);
    for (acd::QueueId q : queues) {
      Cell& c = cell(q, index);
      c.staffed_s += seconds;
      if (busy) {
        c.busy_s += seconds;
      }
    }
    t = boundary;
  }
}

void KpiCollector::add_wait(acd::QueueId queue, int interval, Duration wait, Duration threshold) {
  Cell& c = cell(queue, interval);
  ++c.answered;
  c.wait_sum_s += to_seconds(wait);
  c.waits.push_back(static_cast<float>(to_seconds(wait)));
  if (wait <= threshold) {
    ++c.answered_in_sl;
  }
  if (wait > Duration::zero()) {
    ++c.waited;
  }
}

namespace {

double percentile(std::vector<float> values, double p) {
  if (values.empty()) {
    return 0;
  }
  const size_t k = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k];
}

double ratio(double a, double b) { return b > 0 ? a / b : 0; }

}  // namespace

KpiRow KpiCollector::make_row(const std::vector<const Cell*>& cells,
                              const acd::QueueConfig* queue) const {
  KpiRow row;
  row.queue = queue ? queue->name : "*";
  std::vector<float> waits;
  double wait_sum = 0, handle_sum = 0, busy = 0, staffed = 0, length_sum = 0;
  int64_t length_samples = 0;
  for (const Cell* c : cells) {
    row.offered += c->offered;
    row.answered += c->answered;
    row.abandoned += c->abandoned;
    row.overflowed += c->overflowed;
    row.callbacks += c->callbacks;
    row.answered_in_sl += c->answered_in_sl;
    row.waited += c->waited;
    wait_sum += c->wait_sum_s;
    handle_sum += c->handle_sum_s;
    busy += c->busy_s;
    staffed += c->staffed_s;
    length_sum += c->queue_length_sum;
    length_samples += c->queue_length_samples;
    row.max_queue_length = std::max(row.max_queue_length, c->max_queue_length);
    waits.insert(waits.end(), c->waits.begin(), c->waits.end());
  }
  row.asa_s = ratio(wait_sum, static_cast<double>(row.answered));
  row.p_wait = ratio(static_cast<double>(row.waited), static_cast<double>(row.answered));
  row.aht_s = ratio(handle_sum, static_cast<double>(row.answered));
  row.service_level = ratio(static_cast<double>(row.answered_in_sl), static_cast<double>(row.offered));
  row.abandon_rate = ratio(static_cast<double>(row.abandoned), static_cast<double>(row.offered));
  row.occupancy = ratio(busy, staffed);
  row.avg_queue_length = ratio(length_sum, static_cast<double>(length_samples));
  row.wait_p50_s = percentile(waits, 0.5);
  row.wait_p90_s = percentile(std::move(waits), 0.9);
  return row;
}

void KpiCollector::finish(SimulationReport& report) const {
  report.interval_length = interval_;
  std::vector<const Cell*> all;
  for (size_t q = 0; q < routing_.queues.size(); ++q) {
    std::vector<const Cell*> queue_cells;
    for (int i = 0; i < intervals_; ++i) {
      const Cell* c = &cells_[q * static_cast<size_t>(intervals_) + static_cast<size_t>(i)];
      KpiRow row = make_row({c}, &routing_.queues[q]);
      row.interval = i;
      row.start = day_start_ + interval_ * i;
      report.intervals.push_back(std::move(row));
      queue_cells.push_back(c);
      all.push_back(c);
    }
    report.queue_totals.push_back(make_row(queue_cells, &routing_.queues[q]));
  }
  report.overall = make_row(all, nullptr);
  // Occupancy overall: agents serving several queues are counted once per queue above; the
  // overall ratio of sums is still the right busy/staffed ratio.
}

}  // namespace sb::sim
