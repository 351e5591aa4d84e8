// media/codec/resampler.cc: speexdsp resampler calls and error mapping.
#include "media/codec/resampler.h"

#include <speex/speex_resampler.h>

#include <string>

namespace sb::media::codec {
namespace {

bool is_supported_rate(int hz) { return hz == 8000 || hz == 16000 || hz == 48000; }

}  // namespace

void Resampler::Deleter::operator()(SpeexResamplerState_* s) const { speex_resampler_destroy(s); }

Result<Resampler> Resampler::create(int in_rate_hz, int out_rate_hz, int quality) {
  if (!is_supported_rate(in_rate_hz) || !is_supported_rate(out_rate_hz)) {
    return Error{"unsupported rate " + std::to_string(in_rate_hz) + " -> " +
                     std::to_string(out_rate_hz) + " (8000, 16000 or 48000)",
                 "rate"};
  }
  if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
    return Error{"quality must be 0..10, got " + std::to_string(quality), "quality"};
  }
  int err = RESAMPLER_ERR_SUCCESS;
  SpeexResamplerState* s =
      speex_resampler_init(1, static_cast<spx_uint32_t>(in_rate_hz),
                           static_cast<spx_uint32_t>(out_rate_hz), quality, &err);
  if (s == nullptr || err != RESAMPLER_ERR_SUCCESS) {
    if (s != nullptr) {
      speex_resampler_destroy(s);
    }
    return Error{std::string("speex_resampler_init: ") + speex_resampler_strerror(err), "speexdsp"};
  }
  // No speex_resampler_skip_zeros(): the output keeps the filter delay (input_latency()) as
  // leading near-silence, so output length stays exactly input length times the rate ratio.
  return Resampler(s, in_rate_hz, out_rate_hz);
}

Result<std::size_t> Resampler::process(std::span<const int16_t> in, std::vector<int16_t>& out) {
  const std::size_t start = out.size();
  std::size_t consumed = 0;
  // speexdsp consumes as much input as fits in the output space; loop until all is taken.
  while (consumed < in.size()) {
    const std::size_t remaining = in.size() - consumed;
    const std::size_t room =
        remaining * static_cast<std::size_t>(out_rate_hz_) / static_cast<std::size_t>(in_rate_hz_) +
        16;
    const std::size_t base = out.size();
    out.resize(base + room);
    spx_uint32_t in_len = static_cast<spx_uint32_t>(remaining);
    spx_uint32_t out_len = static_cast<spx_uint32_t>(room);
    int err = speex_resampler_process_int(state_.get(), 0, in.data() + consumed, &in_len,
                                          out.data() + base, &out_len);
    out.resize(base + out_len);
    if (err != RESAMPLER_ERR_SUCCESS) {
      return Error{std::string("speex_resampler_process_int: ") + speex_resampler_strerror(err),
                   "speexdsp"};
    }
    if (in_len == 0 && out_len == 0) {
      return Error{"speexdsp resampler made no progress", "speexdsp"};
    }
    consumed += in_len;
  }
  return out.size() - start;
}

int Resampler::input_latency() const { return speex_resampler_get_input_latency(state_.get()); }

}  // namespace sb::media::codec
