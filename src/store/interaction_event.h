// store/interaction_event.h: one step in the life of an interaction (a call, later a chat),
// as it is stored: which interaction, what happened, when, and where (queue, agent). The
// global interaction id stays the same from the first INVITE through IVR, queue, transfers
// and callbacks. `data` is the event's JSON payload (attached data, reasons), kept as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace sb::store {

// What happened. Stored by name (interaction_event_name) so the table reads on its own.
enum class InteractionEventKind {
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
};

std::string_view interaction_event_name(InteractionEventKind kind);  // "arrived", "ivr-exit", ...
bool parse_interaction_event_name(std::string_view name, InteractionEventKind& out);

struct InteractionEvent {
  std::string interaction_id;
  InteractionEventKind kind = InteractionEventKind::Arrived;
  TimePoint at{};
  std::string queue;  // empty when not in a queue
  std::string agent;  // empty when no agent is involved
  std::string data;   // JSON object text, "{}" when nothing more
  bool operator==(const InteractionEvent&) const = default;
};

}  // namespace sb::store
