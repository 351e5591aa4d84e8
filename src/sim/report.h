// sim/report.h: what a simulation run produces: KPIs per queue and per interval of the day
// (aggregated over the simulated days), per-queue and overall totals, EWT accuracy, and the
// router self-check's findings. Formatting lives in report_format.h and svg_chart.h.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace sb::sim {

struct KpiRow {
  std::string queue;         // "*" for all queues
  int interval = -1;         // index in the day; -1 for a total row
  Duration start{};          // time of day the interval starts
  int64_t offered = 0;       // arrivals into the queue (interval of arrival)
  int64_t answered = 0;
  int64_t abandoned = 0;
  int64_t overflowed = 0;    // left for another queue, voicemail, callback or hang-up
  int64_t callbacks = 0;     // accepted virtual-hold callbacks
  int64_t answered_in_sl = 0;
  int64_t waited = 0;        // answered after a wait (> 0 s)
  double p_wait = 0;         // waited / answered
  double asa_s = 0;          // mean wait of answered
  double service_level = 0;  // answered within the queue's threshold / offered
  double abandon_rate = 0;   // abandoned / offered
  double aht_s = 0;          // talk + wrap-up of answered
  double occupancy = 0;      // busy / staffed time of the agents serving the queue
  double wait_p50_s = 0;     // of answered
  double wait_p90_s = 0;
  double avg_queue_length = 0;  // sampled every minute
  int64_t max_queue_length = 0;
};

struct SimulationReport {
  int days = 1;
  uint64_t seed = 1;
  int64_t events = 0;               // router entry points called
  int64_t interactions = 0;
  double ewt_mae_s = 0;             // |predicted - actual| wait, answered interactions that queued
  int64_t ewt_samples = 0;
  double ewt_mean_wait_s = 0;       // their mean actual wait, to put the error in scale
  int64_t self_checks = 0;          // router invariant checks run
  std::vector<std::string> violations;  // first findings, with the event count
  Duration interval_length{};
  std::vector<KpiRow> intervals;    // queue-major, then interval
  std::vector<KpiRow> queue_totals;
  KpiRow overall;
  double target_service_level = 0.8;  // for the chart's reference line (first queue)
  // Routing explanations asked for with SimOptions::explain: id and the router's text.
  std::vector<std::pair<uint64_t, std::string>> explanations;
};

}  // namespace sb::sim
