// app/cmd_staffing.cc: `switchboard staffing`: Erlang C (or Erlang A with --patience) agents
// needed for a target service level, with the table around the answer.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <memory>

#include "app/commands.h"
#include "common/duration_text.h"
#include "reporting/staffing.h"

namespace sb::app {
namespace {

struct StaffingArgs {
  double calls_per_hour = 0;
  std::string aht;
  std::string sl = "80/20";
  std::string patience;
  bool json = false;
};

// "80/20": 80 % answered within 20 s.
std::optional<std::pair<double, double>> parse_service_level(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  double percent = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + slash, percent);
  auto seconds = parse_duration(std::string_view(text).substr(slash + 1));
  if (ec != std::errc{} || p != text.data() + slash || !seconds) {
    return std::nullopt;
  }
  return std::pair{percent / 100.0, to_seconds(*seconds)};
}

// The planner names its request fields; the user typed options.
std::string option_for(const std::string& field) {
  if (field == "calls_per_hour") return "--calls-per-hour";
  if (field == "aht_s") return "--aht";
  if (field == "target_sl" || field == "sl_seconds") return "--sl";
  if (field == "patience_s") return "--patience";
  return field;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "switchboard staffing: %s\n", message.c_str());
  return 2;
}

int run_staffing(const StaffingArgs& args) {
  reporting::StaffingRequest request;
  request.calls_per_hour = args.calls_per_hour;
  const auto aht = parse_duration(args.aht);
  if (!aht) {
    return fail("--aht: expected a duration such as 240 or 4m, got \"" + args.aht + "\"");
  }
  request.aht_s = to_seconds(*aht);
  const auto sl = parse_service_level(args.sl);
  if (!sl) {
    return fail("--sl: expected PERCENT/SECONDS such as 80/20, got \"" + args.sl + "\"");
  }
  request.target_sl = sl->first;
  request.sl_seconds = sl->second;
  if (!args.patience.empty()) {
    const auto patience = parse_duration(args.patience);
    if (!patience) {
      return fail("--patience: expected a duration such as 120 or 2m, got \"" + args.patience +
                  "\"");
    }
    request.patience_s = to_seconds(*patience);
  }
  auto plan = reporting::plan_staffing(request);
  if (!plan) {
    return fail(option_for(plan.error().where) + ": " + plan.error().message);
  }
  const std::string text = args.json ? reporting::staffing_to_json(*plan).dump(2) + "\n"
                                     : reporting::format_staffing_table(*plan);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

void add_staffing_command(CLI::App& app, std::function<int()>& run) {
  auto args = std::make_shared<StaffingArgs>();
  CLI::App* cmd =
      app.add_subcommand("staffing", "Agents needed for a service level (Erlang C / Erlang A)");
  cmd->add_option("--calls-per-hour", args->calls_per_hour, "Offered calls per hour")->required();
  cmd->add_option("--aht", args->aht, "Average handle time (seconds or 4m)")->required();
  cmd->add_option("--sl", args->sl, "Target service level PERCENT/SECONDS (default 80/20)");
  cmd->add_option("--patience", args->patience,
                  "Mean caller patience: use Erlang A with abandonment");
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->callback([args, &run] { run = [args] { return run_staffing(*args); }; });
}

}  // namespace sb::app
