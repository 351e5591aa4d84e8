// media/engine/audio_codec.cc: the four codecs behind AudioDecoder/AudioEncoder.
#include "media/engine/audio_codec.h"

#include <spandsp.h>

#include <algorithm>
#include <array>
#include <strings.h>

#include "media/codec/g711.h"
#include "media/codec/g722_codec.h"
#include "media/codec/opus_codec.h"
#include "media/codec/resampler.h"

namespace sb::media::engine {
namespace {

constexpr std::size_t kNarrowFrame = kFrameSamples / 2;  // 160 samples of 20 ms at 8 kHz
constexpr std::size_t kMaxNarrowPacket = 8000 / 1000 * 120;  // G.711 packets up to 120 ms

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// G.711 at 8 kHz, concealment by spandsp's PLC (pitch-period repetition with fading, after
// G.711 Appendix I), then one 8→16 kHz resampler so the output is continuous across loss.
class G711Decoder final : public AudioDecoder {
 public:
  G711Decoder(bool ulaw, codec::Resampler up, plc_state_t* plc)
      : ulaw_(ulaw), up_(std::move(up)), plc_(plc) {}
  ~G711Decoder() override { plc_free(plc_); }
  G711Decoder(const G711Decoder&) = delete;
  G711Decoder& operator=(const G711Decoder&) = delete;

  Result<std::size_t> decode(std::span<const uint8_t> payload,
                             std::vector<int16_t>& out) override {
    if (payload.empty() || payload.size() > kMaxNarrowPacket) {
      return Error{"G.711 payload of " + std::to_string(payload.size()) + " bytes", ""};
    }
    std::span<int16_t> pcm(narrow_.data(), payload.size());
    if (ulaw_) {
      codec::decode_ulaw(payload, pcm);
    } else {
      codec::decode_alaw(payload, pcm);
    }
    plc_rx(plc_, pcm.data(), static_cast<int>(pcm.size()));
    return up_.process(pcm, out);
  }

  void conceal(uint32_t rtp_units, std::vector<int16_t>& out) override {
    std::size_t n = std::min<std::size_t>(rtp_units, kMaxNarrowPacket);
    std::span<int16_t> pcm(narrow_.data(), n);
    plc_fillin(plc_, pcm.data(), static_cast<int>(n));
    (void)up_.process(pcm, out);
  }

 private:
  bool ulaw_;
  codec::Resampler up_;
  plc_state_t* plc_;
  std::array<int16_t, kMaxNarrowPacket> narrow_{};
};

class G711Encoder final : public AudioEncoder {
 public:
  G711Encoder(bool ulaw, codec::Resampler down) : ulaw_(ulaw), down_(std::move(down)) {
    narrow_.reserve(kNarrowFrame * 2);
  }
  Result<std::size_t> encode(const Frame& frame, std::vector<uint8_t>& payload) override {
    narrow_.clear();
    auto n = down_.process(frame, narrow_);
    if (!n) return n.error();
    // The resampler's output per call is exactly 160 for 320 in (integer ratio).
    payload.resize(narrow_.size());
    if (ulaw_) {
      codec::encode_ulaw(narrow_, payload);
    } else {
      codec::encode_alaw(narrow_, payload);
    }
    return payload.size();
  }
  uint32_t frame_rtp_units() const override { return kNarrowFrame; }

 private:
  bool ulaw_;
  codec::Resampler down_;
  std::vector<int16_t> narrow_;
};

// G.722 is 16 kHz already. Loss: repeat the last 20 ms, halving each time (the codec has no
// PLC of its own; spandsp's PLC is built for 8 kHz).
class G722Decoder final : public AudioDecoder {
 public:
  explicit G722Decoder(codec::G722Decoder dec) : dec_(std::move(dec)) {}
  Result<std::size_t> decode(std::span<const uint8_t> payload,
                             std::vector<int16_t>& out) override {
    if (payload.empty() || payload.size() > kMaxNarrowPacket) {
      return Error{"G.722 payload of " + std::to_string(payload.size()) + " bytes", ""};
    }
    std::size_t start = out.size();
    out.resize(start + payload.size() * 2);
    auto n = dec_.decode(payload, std::span<int16_t>(out).subspan(start));
    if (!n) {
      out.resize(start);
      return n.error();
    }
    out.resize(start + *n);
    std::size_t keep = std::min(*n, last_.size());
    std::copy(out.end() - static_cast<std::ptrdiff_t>(keep), out.end(), last_.begin());
    last_len_ = keep;
    gain_shift_ = 0;
    return *n;
  }
  void conceal(uint32_t rtp_units, std::vector<int16_t>& out) override {
    std::size_t want = std::size_t{rtp_units} * 2;
    ++gain_shift_;
    for (std::size_t i = 0; i < want; ++i) {
      int16_t s = last_len_ == 0 || gain_shift_ > 4 ? 0 : last_[i % last_len_];
      out.push_back(static_cast<int16_t>(s >> gain_shift_));
    }
  }

 private:
  codec::G722Decoder dec_;
  std::array<int16_t, kFrameSamples> last_{};
  std::size_t last_len_ = 0;
  int gain_shift_ = 0;
};

class G722Encoder final : public AudioEncoder {
 public:
  explicit G722Encoder(codec::G722Encoder enc) : enc_(std::move(enc)) {}
  Result<std::size_t> encode(const Frame& frame, std::vector<uint8_t>& payload) override {
    payload.resize(codec::g722_encoded_bytes(frame.size()));
    return enc_.encode(frame, payload);
  }
  uint32_t frame_rtp_units() const override {
    return codec::g722_rtp_timestamp_units(kFrameSamples);
  }

 private:
  codec::G722Encoder enc_;
};

// Opus decodes straight to 16 kHz whatever the sender's bandwidth; loss goes to its PLC.
class OpusDecoder final : public AudioDecoder {
 public:
  explicit OpusDecoder(codec::OpusDecoder dec) : dec_(std::move(dec)) {}
  Result<std::size_t> decode(std::span<const uint8_t> payload,
                             std::vector<int16_t>& out) override {
    if (payload.empty()) return Error{"empty Opus payload", ""};
    auto n = dec_.decode(payload, pcm_);
    if (!n) return n.error();
    out.insert(out.end(), pcm_.begin(), pcm_.begin() + static_cast<std::ptrdiff_t>(*n));
    return *n;
  }
  void conceal(uint32_t rtp_units, std::vector<int16_t>& out) override {
    // 48 kHz RTP units → 16 kHz samples, in whole 20 ms frames.
    std::size_t frames = std::max<std::size_t>(1, rtp_units / 960);
    for (std::size_t i = 0; i < frames; ++i) {
      auto n = dec_.decode({}, std::span<int16_t>(pcm_.data(), kFrameSamples));
      if (n) out.insert(out.end(), pcm_.begin(), pcm_.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  }

 private:
  codec::OpusDecoder dec_;
  std::array<int16_t, kMixRateHz / 1000 * 120> pcm_{};  // up to 120 ms per packet
};

class OpusEncoder final : public AudioEncoder {
 public:
  explicit OpusEncoder(codec::OpusEncoder enc) : enc_(std::move(enc)) {}
  Result<std::size_t> encode(const Frame& frame, std::vector<uint8_t>& payload) override {
    payload.resize(codec::kOpusMaxPacketBytes);
    auto n = enc_.encode(frame, payload);
    if (!n) return n.error();
    payload.resize(*n);
    return *n;
  }
  uint32_t frame_rtp_units() const override { return 960; }

 private:
  codec::OpusEncoder enc_;
};

}  // namespace

std::optional<AudioCodec> codec_from_rtpmap(std::string_view encoding, uint32_t clock_rate) {
  if (iequals(encoding, "PCMU") && clock_rate == 8000) return AudioCodec::Pcmu;
  if (iequals(encoding, "PCMA") && clock_rate == 8000) return AudioCodec::Pcma;
  if (iequals(encoding, "G722") && clock_rate == 8000) return AudioCodec::G722;
  if (iequals(encoding, "opus") && clock_rate == 48000) return AudioCodec::Opus;
  return std::nullopt;
}

std::string_view codec_name(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Pcmu: return "PCMU";
    case AudioCodec::Pcma: return "PCMA";
    case AudioCodec::G722: return "G722";
    case AudioCodec::Opus: return "opus";
  }
  return "?";
}

uint32_t rtp_clock_rate(AudioCodec codec) { return codec == AudioCodec::Opus ? 48000 : 8000; }

Result<std::unique_ptr<AudioDecoder>> make_decoder(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Pcmu:
    case AudioCodec::Pcma: {
      auto up = codec::Resampler::create(8000, kMixRateHz);
      if (!up) return up.error();
      plc_state_t* plc = plc_init(nullptr);
      if (plc == nullptr) return Error{"spandsp plc_init failed", ""};
      return std::unique_ptr<AudioDecoder>(
          new G711Decoder(codec == AudioCodec::Pcmu, std::move(*up), plc));
    }
    case AudioCodec::G722: {
      auto d = codec::G722Decoder::create();
      if (!d) return d.error();
      return std::unique_ptr<AudioDecoder>(new G722Decoder(std::move(*d)));
    }
    case AudioCodec::Opus: {
      auto d = codec::OpusDecoder::create(kMixRateHz);
      if (!d) return d.error();
      return std::unique_ptr<AudioDecoder>(new OpusDecoder(std::move(*d)));
    }
  }
  return Error{"unknown codec", ""};
}

Result<std::unique_ptr<AudioEncoder>> make_encoder(AudioCodec codec, int opus_complexity) {
  switch (codec) {
    case AudioCodec::Pcmu:
    case AudioCodec::Pcma: {
      auto down = codec::Resampler::create(kMixRateHz, 8000);
      if (!down) return down.error();
      return std::unique_ptr<AudioEncoder>(
          new G711Encoder(codec == AudioCodec::Pcmu, std::move(*down)));
    }
    case AudioCodec::G722: {
      auto e = codec::G722Encoder::create();
      if (!e) return e.error();
      return std::unique_ptr<AudioEncoder>(new G722Encoder(std::move(*e)));
    }
    case AudioCodec::Opus: {
      codec::OpusEncoderConfig config;
      config.sample_rate_hz = kMixRateHz;
      config.bitrate_bps = 24000;
      config.fec = true;
      config.expected_loss_percent = 5;
      config.complexity = opus_complexity;
      auto e = codec::OpusEncoder::create(config);
      if (!e) return e.error();
      return std::unique_ptr<AudioEncoder>(new OpusEncoder(std::move(*e)));
    }
  }
  return Error{"unknown codec", ""};
}

}  // namespace sb::media::engine
