// app/cmd_check_config.cc: `switchboard check-config FILE`: every error with file:line:col,
// or a summary of what the config defines. Exit 0 only when the config is valid.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "acd/router.h"
#include "app/commands.h"
#include "app/config/config_loader.h"

namespace sb::app {
namespace {

int run_check_config(const std::string& path) {
  LoadResult loaded = load_config_file(path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) {
      std::fprintf(stderr, "%s\n", e.to_string().c_str());
    }
    std::fprintf(stderr, "%s: %zu error(s)\n", path.c_str(), loaded.errors.size());
    return 1;
  }
  const auto& routing = loaded.config->routing;
  // Building the router's indexes is part of the check: what passes here runs.
  VirtualClock clock;
  acd::Router router(clock, routing);
  std::printf("%s: OK: %zu queue(s), %zu agent(s), %zu skill(s), %zu reason code(s)%s\n",
              path.c_str(), routing.queues.size(), routing.agents.size(), routing.skills.size(),
              routing.reason_codes.size() - 1,
              loaded.config->traffic ? ", traffic model" : "");
  return 0;
}

}  // namespace

void add_check_config_command(CLI::App& app, std::function<int()>& run) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("check-config", "Validate a config file");
  cmd->add_option("file", *path, "Config file")->required();
  cmd->callback([path, &run] { run = [path] { return run_check_config(*path); }; });
}

}  // namespace sb::app
