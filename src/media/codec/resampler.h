// media/codec/resampler.h: thin RAII wrapper over the speexdsp resampler for mono 16-bit PCM
// between 8, 16 and 48 kHz. Streaming: filter state carries across calls, so a signal cut into
// chunks comes out as if resampled in one go. Not here: channel mixing, clock-drift control.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/result.h"

// speexdsp's opaque state, declared as speex_resampler.h declares it.
struct SpeexResamplerState_;

namespace sb::media::codec {

// speexdsp quality 0 (fastest) .. 10 (best). 3 is speexdsp's VoIP default.
inline constexpr int kResamplerQualityVoip = 3;

// Not thread-safe; one owner thread.
class Resampler {
 public:
  // Fails on a rate other than 8000/16000/48000, a quality outside 0..10, or a speexdsp error.
  static Result<Resampler> create(int in_rate_hz, int out_rate_hz,
                                  int quality = kResamplerQualityVoip);

  // Resamples all of `in` and appends the output to `out`. Returns the samples appended. Over
  // many calls the total output tracks total_in * out_rate / in_rate (an integer ratio gives
  // exactly that per call when the chunk is a multiple of in_rate/out_rate).
  Result<std::size_t> process(std::span<const int16_t> in, std::vector<int16_t>& out);

  // Filter delay in input samples (speex_resampler_get_input_latency).
  int input_latency() const;
  int in_rate_hz() const { return in_rate_hz_; }
  int out_rate_hz() const { return out_rate_hz_; }

 private:
  struct Deleter {
    void operator()(SpeexResamplerState_* s) const;
  };
  Resampler(SpeexResamplerState_* s, int in_hz, int out_hz)
      : state_(s), in_rate_hz_(in_hz), out_rate_hz_(out_hz) {}
  std::unique_ptr<SpeexResamplerState_, Deleter> state_;
  int in_rate_hz_;
  int out_rate_hz_;
};

}  // namespace sb::media::codec
