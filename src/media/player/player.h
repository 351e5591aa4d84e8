// media/player/player.h: plays a playlist (prompts, tones, silence) as 20 ms Frames for one
// call: announcements, music on hold, ringback. Pure: the caller pulls frames on its media
// tick and passes in digits; no clock, no threads, no file I/O (prompts arrive loaded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "common/result.h"
#include "media/frame.h"
#include "media/player/prompt.h"
#include "media/tone/tone_generator.h"

namespace sb::media::player {

struct PromptItem {
  std::shared_ptr<const Prompt> prompt;
};
struct ToneItem {
  tone::ToneSpec spec;
  int max_ms = 0;  // 0: until the spec ends (never, for a steady or repeating tone)
};
struct SilenceItem {
  int ms = 0;
};
using PlaylistItem = std::variant<PromptItem, ToneItem, SilenceItem>;

struct PlayerOptions {
  bool loop = false;      // start over after the last item, forever (music on hold)
  bool barge_in = false;  // a DTMF digit stops playback (prompts the caller may skip)
};

enum class PlayerState { Playing, Finished, Interrupted };

struct PlayerPosition {
  std::size_t item = 0;             // index of the item now playing
  std::uint64_t item_sample = 0;    // 16 kHz samples played of that item
  std::uint64_t total_samples = 0;  // played since the start, over all loops
  std::uint64_t loops = 0;          // completed passes through the playlist
};

// Single-threaded; one per call leg. Items play back to back, sample-exact: an item's end does
// not wait for a frame boundary, only the playlist's end is padded.
class Player {
 public:
  // Fails on an empty playlist, a prompt item without a prompt, a bad tone spec or negative
  // durations; `where` names the item ("item 2").
  static Result<Player> create(std::vector<PlaylistItem> playlist, PlayerOptions options = {});

  // Fills the next 20 ms. The frame that reaches the end is zero-padded. Returns false, with
  // a silent frame, once finished or interrupted. A looping playlist whose items are all
  // empty finishes rather than spinning.
  bool next_frame(Frame& out);

  // A DTMF digit from the caller. With barge-in on and playback not over, stops playback and
  // returns true; otherwise ignores it and returns false.
  bool on_dtmf(char digit);

  // Stops playback (the call moved on); state becomes Finished.
  void stop() { state_ = PlayerState::Finished; }

  PlayerState state() const { return state_; }
  bool finished() const { return state_ != PlayerState::Playing; }
  std::optional<char> interrupted_by() const { return interrupted_by_; }
  const PlayerPosition& position() const { return position_; }

 private:
  Player(std::vector<PlaylistItem> playlist, PlayerOptions options);
  void start_item(std::size_t index);
  // Writes up to out.size() samples of the current item; returns how many (0 = item over).
  std::size_t fill_from_item(std::span<int16_t> out);

  std::vector<PlaylistItem> playlist_;
  PlayerOptions options_;
  PlayerState state_ = PlayerState::Playing;
  std::optional<char> interrupted_by_;
  PlayerPosition position_;
  std::optional<tone::ToneGenerator> tone_;  // for the current ToneItem
  std::uint64_t samples_this_pass_ = 0;
};

}  // namespace sb::media::player
