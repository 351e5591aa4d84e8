// media/codec/g722_codec.cc: spandsp g722 calls and error mapping; no signal processing here.
#include "media/codec/g722_codec.h"

#include <spandsp.h>

#include <string>

namespace sb::media::codec {

void G722Encoder::Deleter::operator()(g722_encode_state_s* s) const { g722_encode_free(s); }
void G722Decoder::Deleter::operator()(g722_decode_state_s* s) const { g722_decode_free(s); }

Result<G722Encoder> G722Encoder::create() {
  // options 0: 16 kHz samples in, unpacked bytes (one byte per sample pair) out.
  g722_encode_state_t* s = g722_encode_init(nullptr, kG722BitRate, 0);
  if (s == nullptr) {
    return Error{"g722_encode_init failed", "g722"};
  }
  return G722Encoder(s);
}

Result<std::size_t> G722Encoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
  if (pcm.size() % 2 != 0) {
    return Error{"G.722 needs an even number of samples, got " + std::to_string(pcm.size()), "pcm"};
  }
  if (out.size() < g722_encoded_bytes(pcm.size())) {
    return Error{"output must hold " + std::to_string(g722_encoded_bytes(pcm.size())) + " bytes",
                 "out"};
  }
  int n = g722_encode(state_.get(), out.data(), pcm.data(), static_cast<int>(pcm.size()));
  if (n < 0) {
    return Error{"g722_encode failed", "g722"};
  }
  return static_cast<std::size_t>(n);
}

Result<G722Decoder> G722Decoder::create() {
  g722_decode_state_t* s = g722_decode_init(nullptr, kG722BitRate, 0);
  if (s == nullptr) {
    return Error{"g722_decode_init failed", "g722"};
  }
  return G722Decoder(s);
}

Result<std::size_t> G722Decoder::decode(std::span<const uint8_t> data, std::span<int16_t> out) {
  if (out.size() < 2 * data.size()) {
    return Error{"output must hold " + std::to_string(2 * data.size()) + " samples", "out"};
  }
  int n = g722_decode(state_.get(), out.data(), data.data(), static_cast<int>(data.size()));
  if (n < 0) {
    return Error{"g722_decode failed", "g722"};
  }
  return static_cast<std::size_t>(n);
}

}  // namespace sb::media::codec
