// media/player/test_wav.h: test-only helpers that write audio files with libsndfile into a
// per-test temporary directory. Not linked into sb_media_player.
#pragma once

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

namespace sb::media::player::testing {

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("sb_player_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Interleaved int16 frames written as a 16-bit PCM WAV. Returns false when libsndfile fails.
inline bool write_wav(const std::string& path, int rate_hz, int channels,
                      const std::vector<int16_t>& interleaved) {
  SF_INFO info{};
  info.samplerate = rate_hz;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) {
    return false;
  }
  const sf_count_t frames = static_cast<sf_count_t>(interleaved.size()) / channels;
  const bool ok = sf_writef_short(f, interleaved.data(), frames) == frames;
  sf_close(f);
  return ok;
}

// `seconds` of a sine at `freq_hz` and peak `amplitude` (of 32767) on every channel; with
// `only_left`, the other channels are silent.
inline std::vector<int16_t> sine_frames(double freq_hz, int rate_hz, int channels, double seconds,
                                        double amplitude, bool only_left = false) {
  const auto frames = static_cast<std::size_t>(std::lround(seconds * rate_hz));
  std::vector<int16_t> out(frames * static_cast<std::size_t>(channels), 0);
  for (std::size_t n = 0; n < frames; ++n) {
    const auto v = static_cast<int16_t>(std::lround(
        amplitude * std::sin(2.0 * std::numbers::pi * freq_hz * static_cast<double>(n) / rate_hz)));
    for (int c = 0; c < channels; ++c) {
      out[n * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
          (c == 0 || !only_left) ? v : int16_t{0};
    }
  }
  return out;
}

}  // namespace sb::media::player::testing
