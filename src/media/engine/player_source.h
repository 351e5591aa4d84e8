// media/engine/player_source.h: a Player (prompts, tones, music on hold) as what a leg hears.
#pragma once

#include <utility>

#include "media/engine/endpoint.h"
#include "media/player/player.h"

namespace sb::media::engine {

class PlayerSource final : public FrameSource {
 public:
  explicit PlayerSource(player::Player player) : player_(std::move(player)) {}
  bool next_frame(Frame& out) override { return player_.next_frame(out); }
  bool on_dtmf(char digit) override { return player_.on_dtmf(digit); }
  char interrupted_by() const override { return player_.interrupted_by().value_or('\0'); }

 private:
  player::Player player_;
};

}  // namespace sb::media::engine
