// media/codec/opus_codec.h: thin RAII wrappers over libopus (RFC 6716) for mono VoIP audio in
// 20 ms frames at 8, 16 or 48 kHz. Not here: RTP packetisation (RFC 7587), jitter buffering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"

// libopus's opaque C types, declared as opus.h declares them so the header stays light.
struct OpusEncoder;
struct OpusDecoder;

namespace sb::media::codec {

// The sample rates this wrapper accepts (libopus takes 8/12/16/24/48 kHz; we use three).
inline constexpr int kOpusFrameMs = 20;
inline constexpr std::size_t kOpusMaxPacketBytes = 1275;  // RFC 6716 §3.2.1 maximum frame

// Samples in one 20 ms frame at `sample_rate_hz` (160, 320 or 960).
constexpr std::size_t opus_frame_samples(int sample_rate_hz) {
  return static_cast<std::size_t>(sample_rate_hz / 1000 * kOpusFrameMs);
}

struct OpusEncoderConfig {
  int sample_rate_hz = 48000;  // 8000, 16000 or 48000
  int bitrate_bps = 32000;
  bool fec = false;               // in-band FEC (LBRR) for the decoder's decode_fec()
  int expected_loss_percent = 0;  // FEC only codes redundancy when this is > 0
  bool dtx = false;               // discontinuous transmission in silence
  // libopus's CPU/quality trade-off, 0..10 (its default 10). Each step down saves encoder time
  // at a small quality cost; a transcoding server runs many encoders at once.
  int complexity = 10;
};

// Encoder, application OPUS_APPLICATION_VOIP, one channel. Not thread-safe; one owner thread.
class OpusEncoder {
 public:
  // Fails when the rate is not 8/16/48 kHz or libopus rejects a setting.
  static Result<OpusEncoder> create(const OpusEncoderConfig& config);

  // Encodes exactly one 20 ms frame (`pcm.size() == frame_samples()`) into `packet`, which
  // should hold kOpusMaxPacketBytes. Returns the packet length; with DTX on, a length of 1 or 2
  // means "nothing to send". Fails on a wrong frame size or a libopus error.
  Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> packet);

  // Changes the target bitrate between frames.
  Result<int> set_bitrate(int bitrate_bps);

  int sample_rate_hz() const { return sample_rate_hz_; }
  std::size_t frame_samples() const { return opus_frame_samples(sample_rate_hz_); }
  // Encoder look-ahead in samples (the algorithmic delay the decoder output lags by).
  int lookahead_samples() const;

 private:
  struct Deleter {
    void operator()(::OpusEncoder* e) const;
  };
  OpusEncoder(::OpusEncoder* e, int rate) : enc_(e), sample_rate_hz_(rate) {}
  std::unique_ptr<::OpusEncoder, Deleter> enc_;
  int sample_rate_hz_;
};

// Decoder, one channel. Not thread-safe; one owner thread.
class OpusDecoder {
 public:
  // Fails when the rate is not 8/16/48 kHz.
  static Result<OpusDecoder> create(int sample_rate_hz);

  // Decodes one packet into `pcm` (at least frame_samples() long). An empty `packet` means the
  // packet was lost: libopus conceals it (PLC) and writes one frame. Returns samples written.
  Result<std::size_t> decode(std::span<const uint8_t> packet, std::span<int16_t> pcm);

  // Recovers a lost frame from the FEC data carried in the *next* packet: call this with the
  // packet that follows the loss, before decode() of that same packet. Writes one frame; when
  // the packet has no FEC data libopus falls back to PLC.
  Result<std::size_t> decode_fec(std::span<const uint8_t> next_packet, std::span<int16_t> pcm);

  int sample_rate_hz() const { return sample_rate_hz_; }
  std::size_t frame_samples() const { return opus_frame_samples(sample_rate_hz_); }

 private:
  struct Deleter {
    void operator()(::OpusDecoder* d) const;
  };
  OpusDecoder(::OpusDecoder* d, int rate) : dec_(d), sample_rate_hz_(rate) {}
  Result<std::size_t> run(std::span<const uint8_t> packet, std::span<int16_t> pcm, bool fec);
  std::unique_ptr<::OpusDecoder, Deleter> dec_;
  int sample_rate_hz_;
};

}  // namespace sb::media::codec
