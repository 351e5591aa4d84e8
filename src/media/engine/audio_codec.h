// media/engine/audio_codec.h: one decoder and one encoder interface over the codecs a leg can
// negotiate (PCMU, PCMA, G.722, Opus), converting to and from the engine's 16 kHz frames.
// This is what transcoding, recording and mixing decode through. Not here: jitter buffering,
// RTP headers, the choice of codec (SDP negotiation does that).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "media/frame.h"

namespace sb::media::engine {

enum class AudioCodec { Pcmu, Pcma, G722, Opus };

// The codec an SDP rtpmap names ("PCMU"/8000, "opus"/48000, ...); nullopt when we have none.
std::optional<AudioCodec> codec_from_rtpmap(std::string_view encoding, uint32_t clock_rate);
std::string_view codec_name(AudioCodec codec);
// RTP clock rate (RFC 3551 / RFC 7587): 8000 for G.711 and G.722, 48000 for Opus.
uint32_t rtp_clock_rate(AudioCodec codec);
// Equal codecs can be relayed packet by packet without decoding.
inline bool relayable(AudioCodec a, AudioCodec b) { return a == b; }

// Decodes one leg's packets to 16 kHz PCM. Not thread-safe: one media thread owns it.
class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // Decodes one RTP payload, appending 16 kHz samples to `out`. A malformed payload fails.
  virtual Result<std::size_t> decode(std::span<const uint8_t> payload,
                                     std::vector<int16_t>& out) = 0;
  // Conceals one lost packet of `rtp_units` timestamp units, appending as many 16 kHz
  // samples as the packet would have carried (Opus: its own PLC; G.711: spandsp's
  // G.711 Appendix I style concealment; G.722: fading repetition).
  virtual void conceal(uint32_t rtp_units, std::vector<int16_t>& out) = 0;
};

// Encodes 20 ms frames for one leg. Not thread-safe.
class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  // Encodes one frame into `payload` (cleared first).
  virtual Result<std::size_t> encode(const Frame& frame, std::vector<uint8_t>& payload) = 0;
  // RTP timestamp units one frame advances (160 for 8 kHz clocks, 960 for Opus).
  virtual uint32_t frame_rtp_units() const = 0;
};

// Opus encoder complexity the engine runs at: 5 of 10 costs about half the CPU of libopus's
// default for a quality difference voice calls do not show (docs/performance.md).
inline constexpr int kOpusComplexity = 5;

Result<std::unique_ptr<AudioDecoder>> make_decoder(AudioCodec codec);
Result<std::unique_ptr<AudioEncoder>> make_encoder(AudioCodec codec,
                                                   int opus_complexity = kOpusComplexity);

}  // namespace sb::media::engine
