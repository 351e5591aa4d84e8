// media/player/prompt.cc: libsndfile reading, downmix and speexdsp resampling to 16 kHz. Uses
// speexdsp directly because codec::Resampler only takes the RTP rates 8/16/48 kHz.
#include "media/player/prompt.h"

#include <sndfile.h>
#include <speex/speex_resampler.h>

#include <algorithm>
#include <cmath>

#include "media/frame.h"

namespace sb::media::player {
namespace {

// Prompts are resampled once at load time, so a slower, better filter than the VoIP default.
constexpr int kLoadQuality = 8;

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
struct ResamplerDestroyer {
  void operator()(SpeexResamplerState* s) const { speex_resampler_destroy(s); }
};

Result<std::vector<float>> resample(const std::string& path, const std::vector<float>& in,
                                    int in_rate) {
  if (in_rate == kMixRateHz) {
    return in;
  }
  int err = RESAMPLER_ERR_SUCCESS;
  std::unique_ptr<SpeexResamplerState, ResamplerDestroyer> rs(
      speex_resampler_init(1, static_cast<spx_uint32_t>(in_rate), kMixRateHz, kLoadQuality, &err));
  if (!rs || err != RESAMPLER_ERR_SUCCESS) {
    return Error{std::string("cannot resample: ") + speex_resampler_strerror(err), path};
  }
  // Drop the filter's leading delay and push as many zeros after the end, so the output lines
  // up with the input and its length is the input's duration at 16 kHz.
  speex_resampler_skip_zeros(rs.get());
  const int latency = speex_resampler_get_input_latency(rs.get());
  std::vector<float> padded(in);
  padded.resize(in.size() + static_cast<std::size_t>(latency), 0.0f);
  const std::size_t want =
      static_cast<std::size_t>((static_cast<std::uint64_t>(in.size()) * kMixRateHz +
                                static_cast<std::uint64_t>(in_rate) - 1) /
                               static_cast<std::uint64_t>(in_rate));
  std::vector<float> out(want + 64);
  spx_uint32_t in_len = static_cast<spx_uint32_t>(padded.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(out.size());
  err = speex_resampler_process_float(rs.get(), 0, padded.data(), &in_len, out.data(), &out_len);
  if (err != RESAMPLER_ERR_SUCCESS) {
    return Error{std::string("cannot resample: ") + speex_resampler_strerror(err), path};
  }
  out.resize(std::min<std::size_t>(out_len, want));
  return out;
}

}  // namespace

Result<Prompt> Prompt::load(const std::string& path) {
  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    // sf_strerror(nullptr) is the reason the last sf_open failed.
    return Error{std::string("cannot open audio file: ") + sf_strerror(nullptr), path};
  }
  if (info.samplerate < 1000 || info.samplerate > 384000 || info.channels < 1) {
    return Error{"unsupported format: " + std::to_string(info.samplerate) + " Hz, " +
                     std::to_string(info.channels) + " channels",
                 path};
  }
  if (info.frames <= 0) {
    return Error{"no audio in file", path};
  }
  if (info.frames > static_cast<sf_count_t>(info.samplerate) * kMaxPromptSeconds) {
    return Error{"longer than " + std::to_string(kMaxPromptSeconds) + " s", path};
  }
  // Floats in [-1, 1] whatever the file's sample format; mono by averaging the channels.
  const auto frames = static_cast<std::size_t>(info.frames);
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(frames * channels);
  const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), info.frames);
  if (got <= 0) {
    return Error{std::string("cannot read audio: ") + sf_strerror(file.get()), path};
  }
  std::vector<float> mono(static_cast<std::size_t>(got));
  for (std::size_t i = 0; i < mono.size(); ++i) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < channels; ++c) {
      sum += interleaved[i * channels + c];
    }
    mono[i] = sum / static_cast<float>(channels);
  }
  auto wide = resample(path, mono, info.samplerate);
  if (!wide) {
    return wide.error();
  }
  std::vector<int16_t> samples(wide->size());
  std::transform(wide->begin(), wide->end(), samples.begin(), [](float v) {
    return static_cast<int16_t>(std::lround(std::clamp(v * 32768.0f, -32768.0f, 32767.0f)));
  });
  return Prompt(path, std::move(samples), info.samplerate, info.channels);
}

Result<std::shared_ptr<const Prompt>> PromptCache::get(const std::string& path) {
  if (auto it = prompts_.find(path); it != prompts_.end()) {
    return it->second;
  }
  auto loaded = Prompt::load(path);
  if (!loaded) {
    return loaded.error();
  }
  auto prompt = std::make_shared<const Prompt>(std::move(loaded).value());
  prompts_.emplace(path, prompt);
  return prompt;
}

}  // namespace sb::media::player
