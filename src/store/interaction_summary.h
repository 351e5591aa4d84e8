// store/interaction_summary.h: one row per interaction, kept up to date from its events in the
// same transaction that stores them: who called, which queue and agent, the times of each
// step, wait and talk time, the outcome and the recording. What reports and the API read
// instead of replaying events.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"

namespace sb::store {

struct InteractionSummary {
  std::string interaction_id;
  std::string caller;
  std::string did;
  std::string queue;
  std::string agent;
  std::optional<TimePoint> arrived, queued, answered, ended, wrap_up_done;
  std::optional<int64_t> wait_ms;  // queued -> answered, or -> abandoned
  std::optional<int64_t> talk_ms;  // answered -> ended
  // "in-progress", "answered", "abandoned", "voicemail", "callback", "ivr" (ended in the IVR)
  std::string outcome = "in-progress";
  std::string recording;
  std::string direction = "inbound";  // "inbound" (customers), "outbound" (dial-outs), "internal"
};

}  // namespace sb::store
