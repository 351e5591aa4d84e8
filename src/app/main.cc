// app/main.cc: the `switchboard` binary: subcommands over the ACD, the simulator and the
// staffing math. Start-up is the one place that catches exceptions.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <functional>

#include "app/commands.h"
#include "app/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Switchboard: an open-source call-center server"};
  app.set_version_flag("--version", std::string("switchboard ") + sb::app::kVersion);
  app.require_subcommand(1);
  std::function<int()> run;
  sb::app::add_simulate_command(app, run);
  sb::app::add_staffing_command(app, run);
  sb::app::add_check_config_command(app, run);
  sb::app::add_serve_command(app, run);
  sb::app::add_admin_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run ? run() : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "switchboard: %s\n", e.what());
    return 70;  // EX_SOFTWARE
  }
}
