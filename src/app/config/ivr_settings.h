// app/config/ivr_settings.h: the `prompts:`, `calendars:`, `ivr:` and `inbound:` sections as plain
// values: the IVR flows (names resolved into node indices), the business calendars they consult,
// which dialled number (DID) goes to which flow or queue, and where prompts live. `switchboard
// serve` builds BusinessHours from the calendars and a FlowRun per call.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ivr/business_hours.h"
#include "ivr/flow.h"

namespace sb::app {

// Where a call to `did` goes: exactly one of `flow` and `queue` is set. `did` "*" is the default
// route for numbers not listed.
struct InboundRoute {
  std::string did;
  std::string flow;
  std::string queue;
  // Answered (200) only when an agent answers (or voicemail, or the far end of a transfer):
  // until then the caller hears the IVR and the queue as early media after a 183, and pays
  // nothing on carriers that bill from the answer.
  bool early_media = false;
};

struct IvrSettings {
  ivr::FlowSet flows;
  std::map<std::string, ivr::BusinessCalendar, std::less<>> calendars;
  std::vector<InboundRoute> inbound;
  std::string prompts_dir = "prompts";
  std::vector<std::string> languages = {"en"};  // prompt languages; the first is the default

  // The route for a dialled number: its own, else the "*" route; nullptr when neither exists.
  const InboundRoute* route_for(std::string_view did) const {
    const InboundRoute* fallback = nullptr;
    for (const InboundRoute& route : inbound) {
      if (route.did == did) {
        return &route;
      }
      if (route.did == "*") {
        fallback = &route;
      }
    }
    return fallback;
  }
};

}  // namespace sb::app
