// events/event.h: the one event schema. Everything that leaves the core (the store today; the
// API's stream, webhooks and reports next) is an Event: an interaction's step (arrived,
// queued, answered...), an agent's state change (login, ready, not ready with the reason's
// name, offered, missed, busy, wrap-up, logout), or one leg's call quality. Each kind's `data`
// fields are documented in docs/events.md; kSchemaVersion changes when a field's meaning does.
// Not the storage (store/) and not the wire form (event_json.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace sb::events {

// Version 1: the interaction kinds as stored since the first release, plus agent and quality.
inline constexpr int kSchemaVersion = 1;

enum class Topic : uint8_t { Interaction, Agent, Quality };

enum class EventKind : uint8_t {
  // Topic::Interaction
  Arrived,
  IvrExit,
  Queued,
  Offered,
  Answered,
  Held,
  Resumed,
  Transferred,
  Abandoned,
  Ended,
  WrapUpDone,
  // Topic::Agent
  AgentLogin,
  AgentLogout,
  AgentReady,
  AgentNotReady,
  AgentOffered,
  AgentMissed,
  AgentBusy,
  AgentWrapUp,
  // Topic::Quality
  LegQuality,
};

// Stored and sent by name, so a table or a stream reads on its own: "arrived", "ivr-exit",
// ..., "agent-login", "agent-not-ready", ..., "leg-quality".
std::string_view event_kind_name(EventKind kind);
std::optional<EventKind> parse_event_kind(std::string_view name);
Topic topic_of(EventKind kind);
std::string_view topic_name(Topic topic);  // "interaction", "agent", "quality"

struct Event {
  // The global interaction id, kept across transfers and callbacks; empty for an agent event
  // outside any interaction (login, logout, ready, not ready).
  std::string interaction_id;
  EventKind kind = EventKind::Arrived;
  TimePoint at{};
  std::string queue;  // empty when not in a queue
  std::string agent;  // the agent's name; empty when no agent is involved
  std::string data;   // the kind's fields as a JSON object's text, "{}" when none
  bool operator==(const Event&) const = default;
};

// Where events go, on the control thread: the store's write-behind today. Must not block.
using EventSink = std::function<void(Event)>;

}  // namespace sb::events
