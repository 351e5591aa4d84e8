// app/config/media_settings.h: the `media:` section as plain values: where RTP sockets bind
// and what address SDP advertises, the RTP port range, media threads, the media timeout and
// where recordings go. `switchboard serve` turns these into the media engine's configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.h"

namespace sb::app {

struct MediaSettings {
  std::string address = "127.0.0.1";     // RTP bind address, and c= in our SDP
  std::string public_address;            // c= when behind NAT; empty: `address`
  uint16_t rtp_port_min = 20000;
  uint16_t rtp_port_max = 30000;
  int threads = 1;
  Duration media_timeout = std::chrono::seconds(30);  // 0s: never
  std::string recordings_dir = "data/recordings";
};

}  // namespace sb::app
