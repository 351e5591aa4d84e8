// reporting/staffing.h: how many agents a queue needs to meet a service-level target, by Erlang C
// or, given a mean patience, Erlang A; with the table around the answer as text or JSON. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "reporting/erlang.h"

namespace sb::reporting {

// The most agents plan_staffing will consider; loads needing more are an input error.
inline constexpr int kMaxStaffingAgents = 100'000;

struct StaffingRequest {
  double calls_per_hour = 0;
  double aht_s = 0;
  double target_sl = 0;   // fraction answered within sl_seconds, strictly between 0 and 1
  double sl_seconds = 0;  // the service-level threshold, >= 0
  std::optional<double> patience_s;  // set: Erlang A with this mean patience; unset: Erlang C
};

struct StaffingPlan {
  StaffingRequest request;
  int required_agents;
  std::vector<QueueMetrics> table;  // required_agents - 3 .. + 3, only agent counts >= 1
};

// The smallest agent count whose service level (over all arrivals) reaches target_sl; for
// Erlang C the queue must also be stable. Fails, with Error::where naming the StaffingRequest
// field, when calls_per_hour <= 0, aht_s <= 0, target_sl is not in (0, 1), sl_seconds < 0,
// patience_s <= 0 (NaN counts as bad everywhere), or when more than kMaxStaffingAgents would be
// needed (where = "calls_per_hour").
Result<StaffingPlan> plan_staffing(const StaffingRequest& request);

// For people: a header with the inputs and the offered load, then one row per agent count with
// the required one marked. Ends with a newline.
std::string format_staffing_table(const StaffingPlan& plan);

// {model, request{...}, offered_erlangs, required_agents, table[{agents, p_wait, asa_s,
// service_level, occupancy, p_abandon, mean_queue_length, stable, required}]}; values that are
// infinite (an unstable Erlang C row) are null.
nlohmann::json staffing_to_json(const StaffingPlan& plan);

}  // namespace sb::reporting
