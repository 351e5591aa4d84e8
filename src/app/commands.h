// app/commands.h: the `switchboard` subcommands. Each registers its options on the CLI11 app
// and returns the process exit code when run.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace sb::app {

// Adds the subcommand; `run` is set to the function that carries it out once parsed.
void add_simulate_command(CLI::App& app, std::function<int()>& run);
void add_staffing_command(CLI::App& app, std::function<int()>& run);
void add_check_config_command(CLI::App& app, std::function<int()>& run);
void add_serve_command(CLI::App& app, std::function<int()>& run);
void add_admin_command(CLI::App& app, std::function<int()>& run);

}  // namespace sb::app
