// reporting/erlang.h: queueing formulas for staffing: Erlang C (M/M/n) and Erlang A (M/M/n+M,
// exponential patience). Pure math: no I/O, no threads, no allocation beyond a few vectors.
#pragma once

namespace sb::reporting {

// Offered traffic described per second.
struct Traffic {
  double arrival_rate_per_s;  // lambda
  double aht_s;               // mean handle time, 1/mu
};

// Steady-state figures for one agent count. Probabilities are per arriving caller (PASTA).
struct QueueMetrics {
  int agents;
  double offered_erlangs;    // A = lambda * AHT
  double p_wait;             // probability an arriving caller waits (> 0 s)
  double asa_s;              // average speed of answer: mean wait of *answered* callers
  double service_level;      // fraction of ALL arrivals answered within sl_seconds (0..1)
  double occupancy;          // carried load / agents
  double p_abandon;          // 0 for Erlang C
  double mean_queue_length;  // Lq
  bool stable;               // Erlang C: false when agents <= A (infinite queue)
};

// Erlang C: callers wait as long as it takes. Needs arrival_rate_per_s >= 0 and aht_s > 0.
// When agents <= A the queue grows without bound: stable = false, p_wait = 1, occupancy = 1,
// service_level = 0 and asa_s = mean_queue_length = +inf. sl_seconds < 0 counts as 0.
QueueMetrics erlang_c(const Traffic& traffic, int agents, double sl_seconds);

// Erlang A: each waiting caller hangs up after an exponential patience with mean
// mean_patience_s, so the queue is stable for any agent count (stable is always true). Solves
// the birth-death chain exactly (to ~1e-14); an infinite patience gives erlang_c. Needs
// arrival_rate_per_s >= 0, aht_s > 0, mean_patience_s > 0, agents >= 0.
//
// Cost: O(states that hold the mass + calls answered within sl_seconds), typically well under a
// millisecond. A patience longer than 1e11 / arrival_rate_per_s seconds (about three thousand
// years at one call per second) is treated as that long: the queue it builds with too few agents
// would need more states than are worth walking, and with enough agents the answer is Erlang C's
// anyway.
QueueMetrics erlang_a(const Traffic& traffic, double mean_patience_s, int agents,
                      double sl_seconds);

}  // namespace sb::reporting
