// media/codec/g722_codec.h: thin RAII wrappers over spandsp's ITU-T G.722 at 64 kbit/s, one
// channel of 16 kHz linear PCM. Not here: the 56/48 kbit/s modes, RTP packetisation.
//
// Clock rate vs sample rate: RFC 3551 §4.5.2 fixes the RTP clock rate of G.722 at 8000 Hz (an
// error in RFC 1890 kept for compatibility), while the codec samples at 16000 Hz. So 20 ms is
// 320 samples in and 160 bytes out here, but advances the RTP timestamp by 160, and SDP says
// "a=rtpmap:9 G722/8000". Convert with g722_rtp_timestamp_units().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"

// spandsp's opaque state types, declared as spandsp/g722.h declares them.
struct g722_encode_state_s;
struct g722_decode_state_s;

namespace sb::media::codec {

inline constexpr int kG722SampleRateHz = 16000;
inline constexpr int kG722RtpClockRateHz = 8000;  // RFC 3551 §4.5.2
inline constexpr int kG722BitRate = 64000;

// Bytes at 64 kbit/s for `samples` 16 kHz samples: one byte per two samples.
constexpr std::size_t g722_encoded_bytes(std::size_t samples) { return samples / 2; }
// RTP timestamp increment for `samples` 16 kHz samples (half of them, per RFC 3551).
constexpr uint32_t g722_rtp_timestamp_units(std::size_t samples) {
  return static_cast<uint32_t>(samples / 2);
}

// Encoder. Keeps sub-band ADPCM state between calls; not thread-safe, one owner thread.
class G722Encoder {
 public:
  static Result<G722Encoder> create();

  // Encodes 16 kHz samples (an even count) into `out` (at least g722_encoded_bytes(pcm.size())).
  // Returns the bytes written. Fails on an odd count or a short `out`.
  Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out);

 private:
  struct Deleter {
    void operator()(g722_encode_state_s* s) const;
  };
  explicit G722Encoder(g722_encode_state_s* s) : state_(s) {}
  std::unique_ptr<g722_encode_state_s, Deleter> state_;
};

// Decoder. Keeps state between calls; not thread-safe, one owner thread.
class G722Decoder {
 public:
  static Result<G722Decoder> create();

  // Decodes 64 kbit/s G.722 bytes into 16 kHz samples; `out` must hold 2 * data.size().
  // Returns the samples written.
  Result<std::size_t> decode(std::span<const uint8_t> data, std::span<int16_t> out);

 private:
  struct Deleter {
    void operator()(g722_decode_state_s* s) const;
  };
  explicit G722Decoder(g722_decode_state_s* s) : state_(s) {}
  std::unique_ptr<g722_decode_state_s, Deleter> state_;
};

}  // namespace sb::media::codec
