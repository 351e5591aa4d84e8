// app/config/config_loader.h: loads the switchboard YAML file into the routing configuration and
// the simulator's traffic model, reporting every problem as "file:line:col: message".
// Start-up only; it does not watch or reload files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "acd/config.h"
#include "app/config/call_settings.h"
#include "app/config/ivr_settings.h"
#include "app/config/media_settings.h"
#include "app/config/sip_settings.h"
#include "sim/traffic_model.h"

namespace sb::app {

// One problem in a config file. `line` and `column` are 1-based; 0 when there is no position
// (the file could not be read).
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "file:line:col: message", or "file: message" when there is no position.
  std::string to_string() const;
};

// A loaded, validated configuration: names resolved into ids, ready for the router.
struct SwitchboardConfig {
  std::string path;
  acd::RoutingConfig routing;
  std::optional<sim::TrafficModel> traffic;  // only when the file has a `traffic:` section
  SipSettings sip;                           // defaults when the file has no `sip:` section
  MediaSettings media;                       // defaults when the file has no `media:` section
  IvrSettings ivr;  // `prompts:`, `calendars:`, `ivr:` and `inbound:`; empty without them
  std::vector<QueueCallSettings> queue_calls;  // by queue id: recording, music on hold
  StoreSettings store;                         // defaults when the file has no `store:` section
  AdminSettings admin;
};

// `config` is set only when `errors` is empty. `errors` are sorted by position.
struct LoadResult {
  std::optional<SwitchboardConfig> config;
  std::vector<Diagnostic> errors;
};

// Reads and loads a file; an unreadable file gives one diagnostic. Never throws.
LoadResult load_config_file(const std::string& path);

// Loads YAML text; `file_name` is used in diagnostics and as SwitchboardConfig::path.
// Never throws.
LoadResult load_config_text(const std::string& text, const std::string& file_name);

}  // namespace sb::app
