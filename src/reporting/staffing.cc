// reporting/staffing.cc: the search for the smallest agent count meeting a service level, and
// the table around it as text and JSON.
#include "reporting/staffing.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <string>

namespace sb::reporting {
namespace {

constexpr int kTableSpread = 3;  // rows either side of the required agent count

bool is_positive(double x) { return x > 0 && std::isfinite(x); }

std::optional<Error> validate(const StaffingRequest& r) {
  if (!is_positive(r.calls_per_hour)) {
    return Error{
        fmt::format("must be a positive number of calls per hour, got {}", r.calls_per_hour),
        "calls_per_hour"};
  }
  if (!is_positive(r.aht_s)) {
    return Error{fmt::format("must be a positive number of seconds, got {}", r.aht_s), "aht_s"};
  }
  if (!(r.target_sl > 0 && r.target_sl < 1)) {
    return Error{fmt::format("must be a fraction between 0 and 1 exclusive (0.8 for 80 %), got {}",
                             r.target_sl),
                 "target_sl"};
  }
  if (!(r.sl_seconds >= 0 && std::isfinite(r.sl_seconds))) {
    return Error{fmt::format("must be zero or more seconds, got {}", r.sl_seconds), "sl_seconds"};
  }
  // An infinite patience is allowed: it is Erlang C.
  if (r.patience_s && !(*r.patience_s > 0)) {
    return Error{fmt::format("must be a positive number of seconds, got {}", *r.patience_s),
                 "patience_s"};
  }
  return std::nullopt;
}

Traffic traffic_of(const StaffingRequest& r) { return Traffic{r.calls_per_hour / 3600, r.aht_s}; }

QueueMetrics evaluate(const StaffingRequest& r, int agents) {
  return r.patience_s ? erlang_a(traffic_of(r), *r.patience_s, agents, r.sl_seconds)
                      : erlang_c(traffic_of(r), agents, r.sl_seconds);
}

bool meets_target(const StaffingRequest& r, const QueueMetrics& m) {
  return m.stable && m.service_level >= r.target_sl;
}

// JSON has no infinity; an unstable queue's infinite wait is reported as null.
nlohmann::json number_or_null(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

}  // namespace

Result<StaffingPlan> plan_staffing(const StaffingRequest& request) {
  if (auto error = validate(request)) {
    return *error;
  }
  const double load = request.calls_per_hour / 3600 * request.aht_s;
  // Erlang C needs more agents than the load for a finite queue; Erlang A can do with fewer.
  int lo = 1;
  if (!request.patience_s && load < kMaxStaffingAgents) {
    lo = static_cast<int>(std::floor(load)) + 1;
  }
  const auto too_many = [&] {
    return Error{fmt::format("{:.1f} Erlangs of offered load would need more than {} agents", load,
                             kMaxStaffingAgents),
                 "calls_per_hour"};
  };
  if (load >= kMaxStaffingAgents && !request.patience_s) {
    return too_many();
  }
  int hi = kMaxStaffingAgents;
  if (!meets_target(request, evaluate(request, hi))) {
    return too_many();
  }
  // Service level only grows with agents (in both models), so bisect for the first that meets.
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (meets_target(request, evaluate(request, mid))) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  StaffingPlan plan{request, hi, {}};
  for (int n = std::max(1, hi - kTableSpread); n <= hi + kTableSpread; ++n) {
    plan.table.push_back(evaluate(request, n));
  }
  return plan;
}

// Inputs are printed as the shortest text that reads back to the same number ("1400000", "0.5").
std::string format_staffing_table(const StaffingPlan& plan) {
  const StaffingRequest& r = plan.request;
  const bool with_patience = r.patience_s.has_value();
  const double load = r.calls_per_hour / 3600 * r.aht_s;
  std::string out;
  auto it = std::back_inserter(out);
  if (with_patience) {
    fmt::format_to(it, "Erlang A (M/M/n+M): {} calls/h, AHT {} s, mean patience {} s\n",
                   r.calls_per_hour, r.aht_s, *r.patience_s);
  } else {
    fmt::format_to(it, "Erlang C (M/M/n): {} calls/h, AHT {} s\n", r.calls_per_hour, r.aht_s);
  }
  fmt::format_to(it, "Offered load: {:.2f} Erlangs\n", load);
  fmt::format_to(it, "Target: {:g}% answered within {} s\n", 100 * r.target_sl, r.sl_seconds);
  fmt::format_to(it, "Required: {} agents\n\n", plan.required_agents);

  const std::string sl_header = fmt::format("SL@{}s", r.sl_seconds);
  fmt::format_to(it, "{:>8} {:>8} {:>10} {:>8} {:>9}", "agents", "P(wait)", "ASA", sl_header,
                 "occupancy");
  if (with_patience) {
    fmt::format_to(it, " {:>8}", "abandon");
  }
  fmt::format_to(it, " {:>8}\n", "queue");
  for (const QueueMetrics& m : plan.table) {
    fmt::format_to(it, "{:>8}", m.agents);
    if (!m.stable) {
      fmt::format_to(it, " unstable: the queue grows without bound (agents <= offered load)\n");
      continue;
    }
    fmt::format_to(it, " {:>8} {:>10} {:>8} {:>9}", percent(m.p_wait),
                   fmt::format("{:.1f} s", m.asa_s), percent(m.service_level),
                   percent(m.occupancy));
    if (with_patience) {
      fmt::format_to(it, " {:>8}", percent(m.p_abandon));
    }
    fmt::format_to(it, " {:>8.2f}", m.mean_queue_length);
    if (m.agents == plan.required_agents) {
      fmt::format_to(it, "  <- required");
    }
    fmt::format_to(it, "\n");
  }
  return out;
}

nlohmann::json staffing_to_json(const StaffingPlan& plan) {
  const StaffingRequest& r = plan.request;
  nlohmann::json table = nlohmann::json::array();
  for (const QueueMetrics& m : plan.table) {
    table.push_back({
        {"agents", m.agents},
        {"p_wait", number_or_null(m.p_wait)},
        {"asa_s", number_or_null(m.asa_s)},
        {"service_level", number_or_null(m.service_level)},
        {"occupancy", number_or_null(m.occupancy)},
        {"p_abandon", number_or_null(m.p_abandon)},
        {"mean_queue_length", number_or_null(m.mean_queue_length)},
        {"stable", m.stable},
        {"required", m.agents == plan.required_agents},
    });
  }
  return {
      {"model", r.patience_s ? "erlang_a" : "erlang_c"},
      {"request",
       {
           {"calls_per_hour", r.calls_per_hour},
           {"aht_s", r.aht_s},
           {"target_sl", r.target_sl},
           {"sl_seconds", r.sl_seconds},
           {"patience_s", r.patience_s ? number_or_null(*r.patience_s) : nlohmann::json(nullptr)},
       }},
      {"offered_erlangs", r.calls_per_hour / 3600 * r.aht_s},
      {"required_agents", plan.required_agents},
      {"table", std::move(table)},
  };
}

}  // namespace sb::reporting
