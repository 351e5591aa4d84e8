// media/codec/opus_codec.cc: libopus calls and error mapping; no signal processing of our own.
#include "media/codec/opus_codec.h"

#include <opus.h>

#include <string>

namespace sb::media::codec {
namespace {

bool is_supported_rate(int hz) { return hz == 8000 || hz == 16000 || hz == 48000; }

Error opus_failure(const char* what, int code) {
  return Error{std::string(what) + ": " + opus_strerror(code), "opus"};
}

}  // namespace

void OpusEncoder::Deleter::operator()(::OpusEncoder* e) const { opus_encoder_destroy(e); }
void OpusDecoder::Deleter::operator()(::OpusDecoder* d) const { opus_decoder_destroy(d); }

Result<OpusEncoder> OpusEncoder::create(const OpusEncoderConfig& config) {
  if (!is_supported_rate(config.sample_rate_hz)) {
    return Error{"unsupported sample rate " + std::to_string(config.sample_rate_hz) +
                     " (8000, 16000 or 48000)",
                 "sample_rate_hz"};
  }
  int err = OPUS_OK;
  ::OpusEncoder* raw = opus_encoder_create(config.sample_rate_hz, 1, OPUS_APPLICATION_VOIP, &err);
  if (err != OPUS_OK || raw == nullptr) {
    return opus_failure("opus_encoder_create", err);
  }
  OpusEncoder enc(raw, config.sample_rate_hz);
  if (int rc = opus_encoder_ctl(raw, OPUS_SET_BITRATE(config.bitrate_bps)); rc != OPUS_OK) {
    return opus_failure("OPUS_SET_BITRATE", rc);
  }
  if (int rc = opus_encoder_ctl(raw, OPUS_SET_INBAND_FEC(config.fec ? 1 : 0)); rc != OPUS_OK) {
    return opus_failure("OPUS_SET_INBAND_FEC", rc);
  }
  if (int rc = opus_encoder_ctl(raw, OPUS_SET_PACKET_LOSS_PERC(config.expected_loss_percent));
      rc != OPUS_OK) {
    return opus_failure("OPUS_SET_PACKET_LOSS_PERC", rc);
  }
  if (int rc = opus_encoder_ctl(raw, OPUS_SET_DTX(config.dtx ? 1 : 0)); rc != OPUS_OK) {
    return opus_failure("OPUS_SET_DTX", rc);
  }
  if (int rc = opus_encoder_ctl(raw, OPUS_SET_COMPLEXITY(config.complexity)); rc != OPUS_OK) {
    return opus_failure("OPUS_SET_COMPLEXITY", rc);
  }
  return enc;
}

Result<std::size_t> OpusEncoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> packet) {
  if (pcm.size() != frame_samples()) {
    return Error{"frame must be " + std::to_string(frame_samples()) + " samples, got " +
                     std::to_string(pcm.size()),
                 "pcm"};
  }
  int n = opus_encode(enc_.get(), pcm.data(), static_cast<int>(pcm.size()), packet.data(),
                      static_cast<opus_int32>(packet.size()));
  if (n < 0) {
    return opus_failure("opus_encode", n);
  }
  return static_cast<std::size_t>(n);
}

Result<int> OpusEncoder::set_bitrate(int bitrate_bps) {
  if (int rc = opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(bitrate_bps)); rc != OPUS_OK) {
    return opus_failure("OPUS_SET_BITRATE", rc);
  }
  return bitrate_bps;
}

int OpusEncoder::lookahead_samples() const {
  opus_int32 lookahead = 0;
  opus_encoder_ctl(enc_.get(), OPUS_GET_LOOKAHEAD(&lookahead));
  return lookahead;
}

Result<OpusDecoder> OpusDecoder::create(int sample_rate_hz) {
  if (!is_supported_rate(sample_rate_hz)) {
    return Error{
        "unsupported sample rate " + std::to_string(sample_rate_hz) + " (8000, 16000 or 48000)",
        "sample_rate_hz"};
  }
  int err = OPUS_OK;
  ::OpusDecoder* raw = opus_decoder_create(sample_rate_hz, 1, &err);
  if (err != OPUS_OK || raw == nullptr) {
    return opus_failure("opus_decoder_create", err);
  }
  return OpusDecoder(raw, sample_rate_hz);
}

Result<std::size_t> OpusDecoder::decode(std::span<const uint8_t> packet, std::span<int16_t> pcm) {
  return run(packet, pcm, false);
}

Result<std::size_t> OpusDecoder::decode_fec(std::span<const uint8_t> next_packet,
                                            std::span<int16_t> pcm) {
  return run(next_packet, pcm, true);
}

Result<std::size_t> OpusDecoder::run(std::span<const uint8_t> packet, std::span<int16_t> pcm,
                                     bool fec) {
  if (pcm.size() < frame_samples()) {
    return Error{"output must hold " + std::to_string(frame_samples()) + " samples", "pcm"};
  }
  // For PLC and FEC, libopus sizes the concealed audio by frame_size, so pass one 20 ms frame
  // there; for a normal packet, pass the whole buffer (a packet may carry up to 120 ms).
  const bool lost = packet.empty();
  const int frame_size =
      (lost || fec) ? static_cast<int>(frame_samples()) : static_cast<int>(pcm.size());
  int n = opus_decode(dec_.get(), lost ? nullptr : packet.data(),
                      static_cast<opus_int32>(packet.size()), pcm.data(), frame_size, fec ? 1 : 0);
  if (n < 0) {
    return opus_failure(fec ? "opus_decode (fec)" : "opus_decode", n);
  }
  return static_cast<std::size_t>(n);
}

}  // namespace sb::media::codec
