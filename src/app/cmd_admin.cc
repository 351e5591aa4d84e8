// app/cmd_admin.cc: `switchboard admin --config FILE reload|status`: talks to the running
// serve through its control socket (admin.socket in the same config). Prints the answer;
// exit 0 when the server says ok, 1 otherwise (a refused reload lists the file's errors).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/admin_socket.h"
#include "app/commands.h"
#include "app/config/config_loader.h"

namespace sb::app {
namespace {

struct AdminOptions {
  std::string config;
  std::string command;
};

int run_admin(const AdminOptions& options) {
  // The socket's path is all that is read here: a config being edited into shape still names it.
  LoadResult loaded = load_config_file(options.config);
  std::string socket = AdminSettings{}.socket;
  if (loaded.config) {
    socket = loaded.config->admin.socket;
  } else if (options.command != "reload") {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    return 1;
  }
  auto reply = admin_request(socket, options.command);
  if (!reply) {
    std::fprintf(stderr, "switchboard admin: %s\n", reply.error().to_string().c_str());
    return 1;
  }
  std::printf("%s\n", reply->text.c_str());
  return reply->ok ? 0 : 1;
}

}  // namespace

void add_admin_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<AdminOptions>();
  CLI::App* cmd = app.add_subcommand("admin", "Ask a running server to reload its config or report its status");
  cmd->add_option("--config,-c", options->config, "The server's config file (names admin.socket)")->required();
  cmd->add_option("command", options->command, "reload | status")->required()->check(CLI::IsMember({"reload", "status"}));
  cmd->callback([options, &run] { run = [options] { return run_admin(*options); }; });
}

}  // namespace sb::app
