// app/cmd_simulate.cc: `switchboard simulate`: a day (or days) of the config's traffic against
// the real router, KPIs as a table, CSV or JSON, and an optional SVG chart.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/commands.h"
#include "app/config/config_loader.h"
#include "app/progress_bar.h"
#include "app/text_file.h"
#include "sim/report_format.h"
#include "sim/simulator.h"
#include "sim/svg_chart.h"

namespace sb::app {
namespace {

struct SimulateArgs {
  std::string config;
  int days = 1;
  std::optional<uint64_t> seed;
  std::string format = "table";
  std::string chart;
  int64_t self_check_every = 1;
  std::vector<uint64_t> explain;
};

int run_simulate(const SimulateArgs& args) {
  LoadResult loaded = load_config_file(args.config);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) {
      std::fprintf(stderr, "%s\n", e.to_string().c_str());
    }
    return 1;
  }
  const SwitchboardConfig& config = *loaded.config;
  if (!config.traffic) {
    std::fprintf(stderr, "%s: no `traffic:` section: nothing to simulate\n", args.config.c_str());
    return 1;
  }
  ProgressBar progress("simulating");
  sim::SimOptions options;
  options.days = args.days;
  options.seed = args.seed;
  options.self_check_every = args.self_check_every;
  options.explain = args.explain;
  if (progress.enabled()) {
    options.progress = [&progress](double f) { progress.update(f); };
  }
  const sim::SimulationReport report = sim::simulate(config.routing, *config.traffic, options);
  if (!args.chart.empty()) {
    if (auto error = write_text_file(args.chart, sim::render_svg_chart(report))) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 1;
    }
  }
  std::string text = args.format == "csv"    ? sim::format_csv(report)
                     : args.format == "json" ? sim::format_json(report)
                                             : sim::format_table(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!args.chart.empty() && args.format == "table") {
    std::printf("\nChart written to %s\n", args.chart.c_str());
  }
  return report.violations.empty() ? 0 : 3;  // a broken router invariant is a failure
}

}  // namespace

void add_simulate_command(CLI::App& app, std::function<int()>& run) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand("simulate", "Simulate days of traffic against the router");
  cmd->add_option("--config,-c", args->config, "Config file with a traffic section")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--days", args->days, "Days to simulate")->check(CLI::Range(1, 3650));
  cmd->add_option("--seed", args->seed, "Random seed (default: the config's traffic.seed)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--chart", args->chart, "Write an SVG chart of service level and queue length");
  cmd->add_option("--self-check", args->self_check_every,
                  "Run the router's invariant self-check every N events (0: off)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--explain", args->explain,
                  "Print the routing explanation of these interactions (ids count from 1)");
  cmd->callback([args, &run] { run = [args] { return run_simulate(*args); }; });
}

}  // namespace sb::app
