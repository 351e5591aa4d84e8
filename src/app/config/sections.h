// app/config/sections.h: the loader's passes over the top-level sections, one file each.
// Internal to app/config; the order they run in is in config_loader.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acd/config.h"
#include "app/config/call_settings.h"
#include "app/config/ivr_settings.h"
#include "app/config/media_settings.h"
#include "app/config/sip_settings.h"
#include "app/config/section.h"
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

// `queues:` bodies, after agents are known (queue_section.cc); the call handling keys of each
// queue go to `calls` (one entry per queue).
void read_queues(YamlReader& reader, const std::vector<MapEntry>& entries,
                 acd::RoutingConfig& config, std::vector<QueueCallSettings>& calls);

// A queue's call handling keys (call_section.cc): allowed next to its routing keys.
const std::vector<std::string_view>& queue_call_keys();
void read_queue_calls(YamlReader& reader, const Section& queue, QueueCallSettings& out);

// `store:` (call_section.cc): the database path and the voicemail folder.
void read_store(YamlReader& reader, const Field& field, StoreSettings& out);
void read_admin(YamlReader& reader, const Field& field, AdminSettings& out);

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

// `prompts:`, `calendars:`, `ivr:` and `inbound:` from the top-level section `top`
// (ivr_section.cc), after the queues: flows and inbound routes name queues.
void read_ivr(YamlReader& reader, const Section& top, const acd::RoutingConfig& routing,
              IvrSettings& out);

}  // namespace sb::app
