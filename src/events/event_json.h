// events/event_json.h: an Event's JSON form, the same for every sink that speaks JSON (the
// API's stream and webhooks next): {"v":1,"seq":42,"kind":"agent-not-ready","topic":"agent",
// "at":"2026-12-07T09:00:00.000000Z","interaction":"","queue":"","agent":"alice",
// "data":{"reason":"lunch"}}. docs/events.md documents every field.
#pragma once

#include <cstdint>
#include <string>

#include "events/event.h"

namespace sb::events {

// `seq`: the event's place in the store's log (0 when not stored yet). A `data` text that is
// not a JSON object is carried as {"invalid": "<the text>"}, never dropped and never thrown.
std::string to_json(const Event& event, uint64_t seq = 0);

// "2026-12-07T09:00:00.000000Z": UTC, microseconds.
std::string format_time(TimePoint at);

}  // namespace sb::events
