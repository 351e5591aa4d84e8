// media/player/prompt.h: an announcement loaded from an audio file into 16 kHz mono samples, and
// a cache so each file is read once. File I/O happens here, when a flow is loaded or a prompt
// is first used; never per frame. Not here: playback position (see player.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sb::media::player {

// Longer files are refused rather than filling memory (an hour is 115 MB at 16 kHz).
inline constexpr int kMaxPromptSeconds = 3600;

// Immutable once loaded, so one Prompt is shared by every call playing it, across threads.
class Prompt {
 public:
  // Reads any file libsndfile reads (WAV, AIFF, FLAC, ...) at any sample rate from 1 kHz to
  // 384 kHz, downmixes all channels to mono and resamples to 16 kHz with speexdsp. Fails with
  // Error{reason, path}: cannot open (libsndfile's reason), empty, too long, read error.
  static Result<Prompt> load(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<int16_t>& samples() const { return samples_; }  // 16 kHz mono
  std::size_t duration_ms() const { return samples_.size() / 16; }
  int source_rate_hz() const { return source_rate_hz_; }
  int source_channels() const { return source_channels_; }

 private:
  Prompt(std::string path, std::vector<int16_t> samples, int rate, int channels)
      : path_(std::move(path)),
        samples_(std::move(samples)),
        source_rate_hz_(rate),
        source_channels_(channels) {}
  std::string path_;
  std::vector<int16_t> samples_;
  int source_rate_hz_;
  int source_channels_;
};

// path -> loaded Prompt; a path is loaded on its first get() and shared afterwards. Failures
// are not cached, so a file added or fixed later loads on the next get(). Not thread-safe: one
// owner (the thread that loads flows); the Prompts it hands out may go to any thread.
class PromptCache {
 public:
  Result<std::shared_ptr<const Prompt>> get(const std::string& path);
  bool contains(const std::string& path) const { return prompts_.count(path) != 0; }
  std::size_t size() const { return prompts_.size(); }
  // Forgets all prompts (e.g. after the files changed); calls holding one keep it alive.
  void clear() { prompts_.clear(); }

 private:
  std::map<std::string, std::shared_ptr<const Prompt>> prompts_;
};

}  // namespace sb::media::player
