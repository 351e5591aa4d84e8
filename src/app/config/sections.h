// app/config/sections.h: the loader's passes over the top-level sections, one file each.
// Internal to app/config; the order they run in is in config_loader.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acd/config.h"
#include "app/config/media_settings.h"
#include "app/config/sip_settings.h"
#include "app/config/yaml_reader.h"
#include "sim/traffic_model.h"

namespace sb::app {

// `skills:` / `teams:`: a list of unique names (routing_section.cc).
void read_name_list(YamlReader& reader, const Field& field, std::string_view what,
                    std::vector<std::string>& out);

// `routing:` (routing_section.cc). Reads reason codes before the policies that name them.
void read_routing(YamlReader& reader, const Field& field, acd::RoutingConfig& config);

// `queues:` keys, so that queues and agents can refer to queues defined later in the file
// (queue_section.cc). Appends a QueueConfig per name; returns the entries for read_queues().
std::vector<MapEntry> read_queue_names(YamlReader& reader, const Field& field,
                                       acd::RoutingConfig& config);

// `queues:` bodies, after agents are known (queue_section.cc).
void read_queues(YamlReader& reader, const std::vector<MapEntry>& entries,
                 acd::RoutingConfig& config);

// One `expand:` list of a queue (expansion_section.cc).
void read_expansion(YamlReader& reader, const Field& field, acd::QueueId queue,
                    acd::RoutingConfig& config);

// `agents:`, expanding templates (agent_section.cc).
void read_agents(YamlReader& reader, const Field& field, acd::RoutingConfig& config);

// `traffic:` (traffic_section.cc), after the routing configuration is complete.
std::optional<sim::TrafficModel> read_traffic(YamlReader& reader, const Field& field,
                                              const acd::RoutingConfig& config);

// `traffic.shifts:` (shift_section.cc).
void read_shifts(YamlReader& reader, const Field& field, const acd::RoutingConfig& config,
                 std::vector<sim::Shift>& out);

// `sip:` (sip_section.cc): listeners, timers, registrar accounts, protection, trunks.
void read_sip(YamlReader& reader, const Field& field, SipSettings& out);

// `media:` (media_section.cc): RTP address and ports, media threads, timeout, recordings.
void read_media(YamlReader& reader, const Field& field, MediaSettings& out);

}  // namespace sb::app
