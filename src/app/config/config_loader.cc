// app/config/config_loader.cc: parses the file and runs the section passes in dependency order
// (names before the things that refer to them); the sections themselves are in *_section.cc.
#include "app/config/config_loader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

void read_document(YamlReader& reader, const YAML::Node& root, SwitchboardConfig& out) {
  const std::vector<std::string_view> sections = {
      "routing", "skills", "teams",   "queues",    "agents", "traffic",
      "sip",     "media",  "prompts", "calendars", "ivr",    "inbound", "store",
      "admin"};
  if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
    reader.error(root.Mark(),
                 fmt::format("expected a map of sections ({}) at the top level, got {}",
                             fmt::join(sections, ", "), YamlReader::describe(root)));
    return;
  }
  auto s = Section::open(reader, YamlReader::root(root), sections);
  if (!s) {
    return;
  }
  acd::RoutingConfig& config = out.routing;
  // Names first, then what refers to them: agents name queues (penalties) and queues name
  // agents (members), so queue names are read before agents and queue bodies after.
  if (auto f = s->get("skills")) {
    read_name_list(reader, *f, "skill", config.skills);
  }
  if (auto f = s->get("teams")) {
    read_name_list(reader, *f, "team", config.teams);
  }
  if (auto f = s->get("routing")) {
    read_routing(reader, *f, config);
  }
  std::vector<MapEntry> queues;
  if (auto f = s->get("queues")) {
    queues = read_queue_names(reader, *f, config);
  }
  if (auto f = s->get("agents")) {
    read_agents(reader, *f, config);
  }
  read_queues(reader, queues, config, out.queue_calls);
  if (auto f = s->get("traffic")) {
    out.traffic = read_traffic(reader, *f, config);
  }
  read_ivr(reader, *s, config, out.ivr);
  if (auto f = s->get("store")) {
    read_store(reader, *f, out.store);
  }
  if (auto f = s->get("admin")) {
    read_admin(reader, *f, out.admin);
  }
  if (auto f = s->get("media")) {
    read_media(reader, *f, out.media);
  }
  if (auto f = s->get("sip")) {
    read_sip(reader, *f, out.sip);
  }
  if (out.sip.listeners.empty()) {
    out.sip.listeners = {SipListenerSettings{"udp", "0.0.0.0", 5060, "", ""},
                         SipListenerSettings{"tcp", "0.0.0.0", 5060, "", ""}};
  }
}

}  // namespace

std::string Diagnostic::to_string() const {
  if (line <= 0) {
    return fmt::format("{}: {}", file, message);
  }
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

LoadResult load_config_text(const std::string& text, const std::string& file_name) {
  LoadResult result;
  YamlReader reader(file_name, result.errors);
  SwitchboardConfig config;
  config.path = file_name;
  try {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
      // yaml-cpp's own message here is just "bad file".
      reader.error(e.mark, fmt::format("YAML nested more than {} levels deep: no Switchboard config needs more than "
                                       "a few; is this the right file?",
                                       e.depth() - 1));
      return result;
    } catch (const YAML::ParserException& e) {
      reader.error(e.mark, fmt::format("YAML syntax error: {}", e.msg));
      return result;
    }
    read_document(reader, root, config);
  } catch (const std::exception& e) {
    // The readers do not throw by design; this keeps a missed case from taking down start-up
    // without saying where it happened.
    reader.error(YAML::Mark::null_mark(),
                 fmt::format("internal error while loading: {}", e.what()));
  }
  // Passes run section by section; report in file order, which is how people fix them.
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (reader.suppressed() > 0) {
    result.errors.push_back(Diagnostic{file_name, 0, 0,
                                       fmt::format("{} more error(s) not shown: fix the first {} and check again",
                                                   reader.suppressed(), YamlReader::kMaxDiagnostics)});
  }
  if (result.errors.empty()) {
    result.config = std::move(config);
  }
  return result;
}

LoadResult load_config_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    LoadResult result;
    result.errors.push_back(Diagnostic{path, 0, 0, "cannot open config file: it is a directory"});
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.errors.push_back(
        Diagnostic{path, 0, 0, fmt::format("cannot open config file: {}", std::strerror(errno))});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    LoadResult result;
    result.errors.push_back(Diagnostic{path, 0, 0, "cannot read config file"});
    return result;
  }
  return load_config_text(text.str(), path);
}

}  // namespace sb::app
