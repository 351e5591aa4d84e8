// app/config/call_settings.h: per-queue call handling (recording policy, music on hold, the
// prompts of the queue experience) and the `store:` section, as plain values. The routing
// side of a queue is acd::QueueConfig; this is what the call layer does around it.
#pragma once

#include <string>
#include <vector>

namespace sb::app {

struct QueueCallSettings {
  std::string recording = "none";  // none, all, sampled
  int sample_percent = 100;        // sampled: share of calls recorded
  std::vector<std::string> consent;  // prompts played before recording starts
  std::vector<std::string> music_on_hold = {"music-on-hold"};
  std::vector<std::string> callback_offer = {"callback-offer"};
  std::vector<std::string> callback_confirmed = {"callback-confirmed"};
};

struct StoreSettings {
  std::string path = "data/switchboard.db";  // the embedded SQLite database
  std::string voicemail_dir = "data/voicemail";
};

// `admin:`: the local control socket `switchboard admin` talks to (reload, status). A Unix
// socket, owner-only: whoever can use it can reload the configuration.
struct AdminSettings {
  std::string socket = "data/switchboard.sock";
};

}  // namespace sb::app
