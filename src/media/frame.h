// media/frame.h: the unit of decoded audio inside the media plane. Every decoded leg, the
// player, the mixer and the recorder exchange 20 ms of mono 16-bit PCM at 16 kHz: wideband
// enough for G.722 and Opus voice, and G.711 (8 kHz) converts with one 2:1 resampler.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sb::media {

inline constexpr int kMixRateHz = 16000;
inline constexpr int kFrameMs = 20;
inline constexpr std::size_t kFrameSamples = kMixRateHz / 1000 * kFrameMs;  // 320

using Frame = std::array<int16_t, kFrameSamples>;

}  // namespace sb::media
