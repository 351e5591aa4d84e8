// sim/report_format.cc: text renderings of the report. One row layout shared by all three.
#include "sim/report_format.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/duration_text.h"

namespace sb::sim {
namespace {

std::string clock_text(Duration time_of_day) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(time_of_day).count();
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

std::string when(const KpiRow& row) {
  return row.interval < 0 ? std::string("total") : clock_text(row.start);
}

std::string table_row(const KpiRow& r) {
  return fmt::format(
      "{:<12} {:>5} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6.1f} {:>5.1f}% {:>6.1f}% {:>6.0f} {:>5.1f}% "
      "{:>6.1f} {:>6.1f} {:>6.1f}\n",
      r.queue, when(r), r.offered, r.answered, r.abandoned, r.overflowed, r.callbacks, r.asa_s,
      100 * r.service_level, 100 * r.abandon_rate, r.aht_s, 100 * r.occupancy, r.wait_p50_s,
      r.wait_p90_s, r.avg_queue_length);
}

std::string table_header() {
  return fmt::format(
      "{:<12} {:>5} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6} {:>6} {:>6} "
      "{:>6}\n",
      "queue", "time", "offered", "answer", "aband", "overfl", "callbk", "ASA s", "SL", "aband",
      "AHT s", "occup", "p50 s", "p90 s", "queue");
}

nlohmann::json row_json(const KpiRow& r) {
  nlohmann::json j = {{"queue", r.queue},
                      {"offered", r.offered},
                      {"answered", r.answered},
                      {"abandoned", r.abandoned},
                      {"overflowed", r.overflowed},
                      {"callbacks", r.callbacks},
                      {"p_wait", r.p_wait},
                      {"asa_s", r.asa_s},
                      {"service_level", r.service_level},
                      {"abandon_rate", r.abandon_rate},
                      {"aht_s", r.aht_s},
                      {"occupancy", r.occupancy},
                      {"wait_p50_s", r.wait_p50_s},
                      {"wait_p90_s", r.wait_p90_s},
                      {"avg_queue_length", r.avg_queue_length},
                      {"max_queue_length", r.max_queue_length}};
  if (r.interval >= 0) {
    j["interval"] = r.interval;
    j["start"] = clock_text(r.start);
  }
  return j;
}

}  // namespace

std::string format_table(const SimulationReport& report) {
  std::string out = fmt::format(
      "Simulated {} day(s), seed {}: {} interactions, {} router events, {} self-checks, "
      "{} invariant violations\n",
      report.days, report.seed, report.interactions, report.events, report.self_checks,
      report.violations.size());
  out += fmt::format("EWT accuracy: mean absolute error {:.1f} s over {} queued callers (mean wait {:.1f} s)\n\n",
                     report.ewt_mae_s, report.ewt_samples, report.ewt_mean_wait_s);
  out += "Per queue and interval (intervals of arrival, summed over the days)\n";
  out += table_header();
  std::string last_queue;
  for (const auto& r : report.intervals) {
    if (r.offered == 0 && r.avg_queue_length == 0 && r.occupancy == 0) {
      continue;  // nothing happened: keep the table readable
    }
    if (!last_queue.empty() && r.queue != last_queue) {
      out += '\n';
    }
    last_queue = r.queue;
    out += table_row(r);
  }
  out += "\nTotals\n";
  out += table_header();
  for (const auto& r : report.queue_totals) {
    out += table_row(r);
  }
  out += table_row(report.overall);
  for (const auto& v : report.violations) {
    out += "VIOLATION " + v + "\n";
  }
  for (const auto& [id, text] : report.explanations) {
    out += fmt::format("\nWhy interaction {} was routed as it was:\n{}", id, text);
  }
  return out;
}

std::string format_csv(const SimulationReport& report) {
  std::string out =
      "queue,interval,start,offered,answered,abandoned,overflowed,callbacks,asa_s,service_level,"
      "abandon_rate,aht_s,occupancy,wait_p50_s,wait_p90_s,avg_queue_length,max_queue_length\n";
  auto line = [&](const KpiRow& r) {
    out += fmt::format("{},{},{},{},{},{},{},{},{:.3f},{:.4f},{:.4f},{:.3f},{:.4f},{:.3f},{:.3f},{:.3f},{}\n",
                       r.queue, r.interval, when(r), r.offered, r.answered, r.abandoned,
                       r.overflowed, r.callbacks, r.asa_s, r.service_level, r.abandon_rate,
                       r.aht_s, r.occupancy, r.wait_p50_s, r.wait_p90_s, r.avg_queue_length,
                       r.max_queue_length);
  };
  for (const auto& r : report.intervals) line(r);
  for (const auto& r : report.queue_totals) line(r);
  line(report.overall);
  return out;
}

std::string format_json(const SimulationReport& report) {
  nlohmann::json j;
  j["days"] = report.days;
  j["seed"] = report.seed;
  j["interactions"] = report.interactions;
  j["router_events"] = report.events;
  j["self_checks"] = report.self_checks;
  j["violations"] = report.violations;
  j["ewt"] = {{"mean_absolute_error_s", report.ewt_mae_s},
              {"samples", report.ewt_samples},
              {"mean_wait_s", report.ewt_mean_wait_s}};
  j["interval_minutes"] =
      std::chrono::duration_cast<std::chrono::minutes>(report.interval_length).count();
  j["intervals"] = nlohmann::json::array();
  for (const auto& r : report.intervals) j["intervals"].push_back(row_json(r));
  j["queues"] = nlohmann::json::array();
  for (const auto& r : report.queue_totals) j["queues"].push_back(row_json(r));
  j["overall"] = row_json(report.overall);
  if (!report.explanations.empty()) {
    j["explanations"] = nlohmann::json::object();
    for (const auto& [id, text] : report.explanations) {
      j["explanations"][std::to_string(id)] = text;
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace sb::sim
