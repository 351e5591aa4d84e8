// media/codec/codec_roundtrip_test.cc: Opus and G.722 encode -> decode round trips of a 1 kHz
// sine, aligned by best cross-correlation; PLC and FEC frame lengths; error paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "media/codec/g722_codec.h"
#include "media/codec/opus_codec.h"
#include "media/codec/test_signal.h"

namespace sb::media::codec {
namespace {

using testing::Alignment;
using testing::best_alignment;
using testing::energy;
using testing::sine;

void report(const std::string& what, const Alignment& a) {
  std::printf("[ figures  ] %s: lag %zu samples, correlation %.4f, SNR %.1f dB\n", what.c_str(),
              a.lag, a.correlation, a.snr_db);
  ::testing::Test::RecordProperty(what + "_correlation", std::to_string(a.correlation));
  ::testing::Test::RecordProperty(what + "_snr_db", std::to_string(a.snr_db));
}

// The metric itself must be able to say no: a 1 kHz sine against 1.3 kHz and against silence.
TEST(SignalAlignment, RejectsADifferentSignal) {
  const auto a = sine(1000.0, 16000, 4000);
  const auto b = sine(1300.0, 16000, 4000);
  EXPECT_LT(best_alignment(a, b, 0, 3000, 20).correlation, 0.5);
  const std::vector<int16_t> silence(4000, 0);
  EXPECT_LT(best_alignment(a, silence, 0, 3000, 20).correlation, 0.5);
  const auto same = best_alignment(a, a, 0, 3000, 20);
  EXPECT_GT(same.correlation, 0.999);
  EXPECT_EQ(same.lag, 0u);
}

std::vector<int16_t> opus_round_trip(int rate_hz, int bitrate_bps, std::size_t frames) {
  auto enc = OpusEncoder::create({.sample_rate_hz = rate_hz, .bitrate_bps = bitrate_bps});
  EXPECT_TRUE(enc) << enc.error().to_string();
  auto dec = OpusDecoder::create(rate_hz);
  EXPECT_TRUE(dec) << dec.error().to_string();
  if (!enc || !dec) {
    return {};
  }
  const std::size_t frame = enc->frame_samples();
  const auto input = sine(1000.0, rate_hz, frame * frames);
  std::vector<int16_t> output;
  std::vector<uint8_t> packet(kOpusMaxPacketBytes);
  std::vector<int16_t> pcm(frame);
  for (std::size_t f = 0; f < frames; ++f) {
    auto n = enc->encode(std::span(input).subspan(f * frame, frame), packet);
    EXPECT_TRUE(n) << n.error().to_string();
    if (!n) {
      return {};
    }
    auto m = dec->decode(std::span(packet).first(*n), pcm);
    EXPECT_TRUE(m) << m.error().to_string();
    if (!m) {
      return {};
    }
    EXPECT_EQ(*m, frame);
    output.insert(output.end(), pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(*m));
  }
  return output;
}

class OpusRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(OpusRoundTrip, SineSurvivesAt32kbps) {
  const int rate = GetParam();
  const std::size_t frames = 50;  // 1 s
  auto output = opus_round_trip(rate, 32000, frames);
  ASSERT_EQ(output.size(), opus_frame_samples(rate) * frames);
  const auto input = sine(1000.0, rate, output.size());
  // Skip 200 ms of start-up; search lags up to 20 ms (the look-ahead is 6.5 ms).
  const std::size_t skip = static_cast<std::size_t>(rate / 5);
  const std::size_t max_lag = static_cast<std::size_t>(rate / 50);
  const auto a = best_alignment(input, output, skip, output.size() - skip - max_lag, max_lag);
  report("opus_" + std::to_string(rate) + "Hz_32kbps", a);
  EXPECT_GT(a.correlation, 0.9);
  // A pure tone only fixes the lag modulo its period (1 ms); modulo that, the lag found must be
  // the encoder's look-ahead, within a sample.
  auto enc = OpusEncoder::create({.sample_rate_hz = rate});
  ASSERT_TRUE(enc);
  const int period = rate / 1000;
  const int offset = (static_cast<int>(a.lag) - enc->lookahead_samples()) % period;
  const int distance = std::min((offset + period) % period, (period - offset) % period);
  EXPECT_LE(distance, 1) << "lag " << a.lag << ", look-ahead " << enc->lookahead_samples();
}

INSTANTIATE_TEST_SUITE_P(Rates, OpusRoundTrip, ::testing::Values(8000, 16000, 48000));

TEST(OpusDecoder, ConcealsALostPacketWithOneFrame) {
  for (int rate : {8000, 16000, 48000}) {
    auto enc = OpusEncoder::create({.sample_rate_hz = rate});
    auto dec = OpusDecoder::create(rate);
    ASSERT_TRUE(enc && dec);
    const std::size_t frame = opus_frame_samples(rate);
    const auto input = sine(1000.0, rate, frame * 10);
    std::vector<uint8_t> packet(kOpusMaxPacketBytes);
    std::vector<int16_t> pcm(frame * 6);  // room for 120 ms: PLC must still write one frame
    for (std::size_t f = 0; f < 10; ++f) {
      auto n = enc->encode(std::span(input).subspan(f * frame, frame), packet);
      ASSERT_TRUE(n);
      ASSERT_TRUE(dec->decode(std::span(packet).first(*n), pcm));
    }
    auto lost = dec->decode({}, pcm);
    ASSERT_TRUE(lost) << lost.error().to_string();
    EXPECT_EQ(*lost, frame) << "rate " << rate;
    // Concealment continues the tone rather than writing silence.
    EXPECT_GT(energy(std::span(pcm).first(frame)), 0.0) << "rate " << rate;
  }
}

TEST(OpusDecoder, RecoversALostFrameFromTheNextPacketsFec) {
  const int rate = 48000;
  auto enc = OpusEncoder::create(
      {.sample_rate_hz = rate, .bitrate_bps = 32000, .fec = true, .expected_loss_percent = 20});
  auto dec = OpusDecoder::create(rate);
  ASSERT_TRUE(enc && dec);
  const std::size_t frame = enc->frame_samples();
  const std::size_t frames = 30;
  const std::size_t lost_index = 20;
  const auto input = sine(1000.0, rate, frame * frames);
  std::vector<std::vector<uint8_t>> packets;
  std::vector<uint8_t> packet(kOpusMaxPacketBytes);
  for (std::size_t f = 0; f < frames; ++f) {
    auto n = enc->encode(std::span(input).subspan(f * frame, frame), packet);
    ASSERT_TRUE(n);
    packets.emplace_back(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  std::vector<int16_t> output;
  std::vector<int16_t> pcm(frame);
  for (std::size_t f = 0; f < frames; ++f) {
    Result<std::size_t> m = std::size_t{0};
    if (f == lost_index) {
      m = dec->decode_fec(packets[f + 1], pcm);  // lost: rebuild from the next packet's FEC
    } else {
      m = dec->decode(packets[f], pcm);
    }
    ASSERT_TRUE(m) << m.error().to_string();
    EXPECT_EQ(*m, frame);
    output.insert(output.end(), pcm.begin(), pcm.end());
  }
  // Around the recovered frame the tone goes on: compare 3 frames centred on it.
  const std::size_t max_lag = static_cast<std::size_t>(rate / 50);
  const auto a =
      best_alignment(input, output, (lost_index - 1) * frame, 3 * frame - max_lag, max_lag);
  report("opus_fec_recovered", a);
  EXPECT_GT(a.correlation, 0.5);
}

TEST(OpusEncoder, RejectsBadRateAndFrameSize) {
  auto bad_rate = OpusEncoder::create({.sample_rate_hz = 44100});
  ASSERT_FALSE(bad_rate);
  EXPECT_EQ(bad_rate.error().where, "sample_rate_hz");
  EXPECT_FALSE(OpusDecoder::create(11025));
  auto enc = OpusEncoder::create({.sample_rate_hz = 16000});
  ASSERT_TRUE(enc);
  std::vector<int16_t> short_frame(100);
  std::vector<uint8_t> packet(kOpusMaxPacketBytes);
  EXPECT_FALSE(enc->encode(short_frame, packet));
  EXPECT_FALSE(enc->set_bitrate(-5));
  EXPECT_TRUE(enc->set_bitrate(24000));
}

TEST(OpusEncoder, DtxSendsTinyPacketsInSilence) {
  auto enc = OpusEncoder::create({.sample_rate_hz = 16000, .dtx = true});
  ASSERT_TRUE(enc);
  std::vector<int16_t> silence(enc->frame_samples(), 0);
  std::vector<uint8_t> packet(kOpusMaxPacketBytes);
  std::size_t last = 0;
  for (int f = 0; f < 50; ++f) {
    auto n = enc->encode(silence, packet);
    ASSERT_TRUE(n);
    last = *n;
  }
  EXPECT_LE(last, 2u);  // opus_encode(): 1 or 2 bytes means "do not transmit"
}

TEST(G722RoundTrip, SineSurvivesAt64kbps) {
  auto enc = G722Encoder::create();
  auto dec = G722Decoder::create();
  ASSERT_TRUE(enc && dec);
  const std::size_t frame = 320;  // 20 ms at 16 kHz; 160 RTP timestamp units
  const std::size_t frames = 50;
  const auto input = sine(1000.0, kG722SampleRateHz, frame * frames);
  std::vector<int16_t> output;
  std::vector<uint8_t> bytes(g722_encoded_bytes(frame));
  std::vector<int16_t> pcm(frame);
  for (std::size_t f = 0; f < frames; ++f) {
    auto n = enc->encode(std::span(input).subspan(f * frame, frame), bytes);
    ASSERT_TRUE(n) << n.error().to_string();
    ASSERT_EQ(*n, 160u);
    auto m = dec->decode(std::span(bytes).first(*n), pcm);
    ASSERT_TRUE(m) << m.error().to_string();
    ASSERT_EQ(*m, frame);
    output.insert(output.end(), pcm.begin(), pcm.end());
  }
  const std::size_t skip = 1600;  // 100 ms for the ADPCM to adapt
  const std::size_t max_lag = 160;
  const auto a = best_alignment(input, output, skip, output.size() - skip - max_lag, max_lag);
  report("g722_64kbps", a);
  EXPECT_GT(a.correlation, 0.9);
}

TEST(G722, RtpClockIsHalfTheSampleRate) {
  static_assert(kG722RtpClockRateHz * 2 == kG722SampleRateHz);
  EXPECT_EQ(g722_rtp_timestamp_units(320), 160u);  // 20 ms
  EXPECT_EQ(g722_encoded_bytes(320), 160u);
}

TEST(G722Encoder, RejectsOddSampleCountAndShortOutput) {
  auto enc = G722Encoder::create();
  ASSERT_TRUE(enc);
  std::vector<int16_t> odd(321);
  std::vector<uint8_t> out(200);
  EXPECT_FALSE(enc->encode(odd, out));
  std::vector<int16_t> even(320);
  std::vector<uint8_t> small(10);
  EXPECT_FALSE(enc->encode(even, small));
  auto dec = G722Decoder::create();
  ASSERT_TRUE(dec);
  std::vector<int16_t> pcm(10);
  EXPECT_FALSE(dec->decode(out, pcm));
}

}  // namespace
}  // namespace sb::media::codec
