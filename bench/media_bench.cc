// bench/media_bench.cc: transcoding cost per channel. One "channel tick" is what a PCMU caller
// bridged to an Opus agent costs every 20 ms: the caller's PCMU packet decoded to 16 kHz and
// encoded as Opus, and the agent's Opus packet decoded and encoded as PCMU. Channels per core
// = 20 ms / time per tick, on real speech. G.711 ↔ G.722 and PCMU ↔ PCMA for comparison.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "media/codec/g711.h"
#include "media/codec/resampler.h"
#include "media/engine/audio_codec.h"

namespace {

using namespace sb::media;
using namespace sb::media::engine;

// Real speech: the 7 s of A-law in SIPp's g711a.pcap (sip-tester), at 16 kHz. Opus picks its
// mode by what it hears, so tones would measure a different encoder than speech does.
const std::vector<Frame>& speech() {
  static const std::vector<Frame> frames = [] {
    std::vector<Frame> out;
    std::ifstream in("/usr/share/sip-tester/g711a.pcap", std::ios::binary);
    std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<int16_t> narrow;
    for (std::size_t at = 24; at + 16 <= data.size();) {
      uint32_t length = data[at + 8] | data[at + 9] << 8 | data[at + 10] << 16 | uint32_t{data[at + 11]} << 24;
      std::size_t frame = at + 16;
      at = frame + length;
      if (at > data.size() || length < 14 + 20 + 8 + 12) continue;
      std::size_t rtp = frame + 14 + (data[frame + 14] & 15) * 4 + 8;
      if ((data[rtp + 1] & 0x7F) != 8) continue;
      std::size_t n = at - rtp - 12;
      std::vector<int16_t> pcm(n);
      codec::decode_alaw(std::span<const uint8_t>(&data[rtp + 12], n), pcm);
      narrow.insert(narrow.end(), pcm.begin(), pcm.end());
    }
    auto up = codec::Resampler::create(8000, kMixRateHz);
    std::vector<int16_t> wide;
    (void)up->process(narrow, wide);
    for (std::size_t i = 0; i + kFrameSamples <= wide.size(); i += kFrameSamples) {
      Frame f;
      std::copy_n(wide.begin() + static_cast<std::ptrdiff_t>(i), kFrameSamples, f.begin());
      out.push_back(f);
    }
    return out;
  }();
  return frames;
}

void transcode_channel(benchmark::State& state, AudioCodec a, AudioCodec b, int complexity = kOpusComplexity) {
  auto enc_a = make_encoder(a, complexity), enc_b = make_encoder(b, complexity);
  auto dec_a = make_decoder(a), dec_b = make_decoder(b);
  // Packets as each phone would send them: the same speech, the agent half a call later.
  const auto& talk = speech();
  if (talk.empty()) {
    state.SkipWithError("no speech: /usr/share/sip-tester/g711a.pcap (package sip-tester) missing");
    return;
  }
  const std::size_t n = talk.size();
  std::vector<std::vector<uint8_t>> from_a(n), from_b(n);
  {
    auto pa = make_encoder(a, 10), pb = make_encoder(b, 10);
    for (std::size_t k = 0; k < n; ++k) {
      (void)(*pa)->encode(talk[k], from_a[k]);
      (void)(*pb)->encode(talk[(k + n / 2) % n], from_b[k]);
    }
  }
  std::vector<int16_t> pcm;
  std::vector<uint8_t> out;
  Frame frame;
  std::size_t i = 0;
  for (auto _ : state) {
    for (auto [dec, enc, packets] : {std::tuple{dec_a->get(), enc_b->get(), &from_a},
                                     std::tuple{dec_b->get(), enc_a->get(), &from_b}}) {
      pcm.clear();
      (void)dec->decode((*packets)[i % n], pcm);
      std::copy_n(pcm.begin(), kFrameSamples, frame.begin());
      (void)enc->encode(frame, out);
      benchmark::DoNotOptimize(out.data());
    }
    ++i;
  }
  state.counters["channels_per_core"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 0.020, benchmark::Counter::kIsRate);
}

// Argument: the Opus encoder complexity (the engine runs kOpusComplexity; 10 is libopus's default).
void BM_TranscodePcmuOpus(benchmark::State& state) {
  transcode_channel(state, AudioCodec::Pcmu, AudioCodec::Opus, static_cast<int>(state.range(0)));
}
void BM_TranscodePcmuG722(benchmark::State& state) { transcode_channel(state, AudioCodec::Pcmu, AudioCodec::G722); }
void BM_TranscodePcmuPcma(benchmark::State& state) { transcode_channel(state, AudioCodec::Pcmu, AudioCodec::Pcma); }
BENCHMARK(BM_TranscodePcmuOpus)->Arg(10)->Arg(kOpusComplexity)->Arg(1);
BENCHMARK(BM_TranscodePcmuG722);
BENCHMARK(BM_TranscodePcmuPcma);

}  // namespace

BENCHMARK_MAIN();
