// media/codec/g711.cc: G.711 companding. The decode tables are built at compile time from the
// same formulas as the classic Sun/CCITT reference code; encode finds the segment with a
// count-leading-zeros instead of a search loop.
#include "media/codec/g711.h"

#include <array>
#include <bit>
#include <cassert>

namespace sb::media::codec {

namespace {

// µ-law works on the linear value plus a bias of 0x84 (33 on the 14-bit scale, shifted by 2), so
// every segment starts at a power of two.
constexpr int kUlawBias = 0x84;
// A-law inverts the even bits of every code (G.711 §3, "alternate digit inversion").
constexpr uint8_t kAlawInvert = 0x55;

constexpr int16_t ulaw_decode(uint8_t code) {
  const int u = static_cast<uint8_t>(~code);
  const int exponent = (u & 0x70) >> 4;
  const int t = (((u & 0x0F) << 3) + kUlawBias) << exponent;
  return static_cast<int16_t>((u & 0x80) ? (kUlawBias - t) : (t - kUlawBias));
}

constexpr int16_t alaw_decode(uint8_t code) {
  const int a = code ^ kAlawInvert;
  const int segment = (a & 0x70) >> 4;
  int magnitude = (a & 0x0F) << 4;
  // Segment 0 and 1 share a step of 16; the decoded value is the middle of the step.
  magnitude = segment == 0 ? magnitude + 8 : (magnitude + 0x108) << (segment - 1);
  return static_cast<int16_t>((a & 0x80) ? magnitude : -magnitude);
}

constexpr std::array<int16_t, 256> make_table(int16_t (*decode)(uint8_t)) {
  std::array<int16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    t[static_cast<std::size_t>(i)] = decode(static_cast<uint8_t>(i));
  }
  return t;
}

constexpr auto kUlawTable = make_table(ulaw_decode);
constexpr auto kAlawTable = make_table(alaw_decode);

static_assert(kUlawTable[0xFF] == 0 && kUlawTable[0x7F] == 0);
static_assert(kUlawTable[0x00] == -32124 && kUlawTable[0x80] == 32124);
static_assert(kAlawTable[0xD5] == 8 && kAlawTable[0x55] == -8);
static_assert(kAlawTable[0xAA] == 32256 && kAlawTable[0x2A] == -32256);

// The index of the highest set bit of v (v > 0).
inline int top_bit(unsigned v) { return std::bit_width(v) - 1; }

}  // namespace

uint8_t linear_to_ulaw(int16_t sample) {
  // Sign-magnitude: the magnitude plus the bias is in 0x84..0x8083; the sign picks the mask
  // (positive codes have the top bit set after the final inversion). Negative samples use the
  // one's complement (-1 - s), as the ITU-T G.191 reference does ((~x) >> 2), so that -1..-4
  // give the negative zero 0x7F and the output is bit-exact with it.
  const int s = sample;
  const int negative = s < 0;
  const unsigned biased = static_cast<unsigned>((negative ? -1 - s : s) + kUlawBias);
  const uint8_t mask = negative ? 0x7F : 0xFF;
  // biased >= 0x84, so the top bit is 7..15: segment 0..8, where 8 is overload.
  const int segment = top_bit(biased | 0xFF) - 7;
  if (segment >= 8) {
    return static_cast<uint8_t>(0x7F ^ mask);
  }
  const unsigned mantissa = (biased >> (segment + 3)) & 0x0F;
  return static_cast<uint8_t>(((static_cast<unsigned>(segment) << 4) | mantissa) ^ mask);
}

int16_t ulaw_to_linear(uint8_t code) { return kUlawTable[code]; }

uint8_t linear_to_alaw(int16_t sample) {
  const int s = sample;
  const int negative = s < 0;
  // -1 - s maps -1..-32768 onto 0..32767, so the negative side needs no overload case (the
  // one's complement of the ITU-T G.191 reference, ((~x) >> 4)).
  const unsigned magnitude = static_cast<unsigned>(negative ? -1 - s : s);
  const uint8_t mask = negative ? kAlawInvert : (kAlawInvert | 0x80);
  const int segment = top_bit(magnitude | 0xFF) - 7;  // 0..7: magnitude <= 32767
  const int shift = segment == 0 ? 4 : segment + 3;
  const unsigned mantissa = (magnitude >> shift) & 0x0F;
  return static_cast<uint8_t>(((static_cast<unsigned>(segment) << 4) | mantissa) ^ mask);
}

int16_t alaw_to_linear(uint8_t code) { return kAlawTable[code]; }

std::size_t encode_ulaw(std::span<const int16_t> in, std::span<uint8_t> out) {
  assert(out.size() >= in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i] = linear_to_ulaw(in[i]);
  }
  return in.size();
}

std::size_t decode_ulaw(std::span<const uint8_t> in, std::span<int16_t> out) {
  assert(out.size() >= in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i] = kUlawTable[in[i]];
  }
  return in.size();
}

std::size_t encode_alaw(std::span<const int16_t> in, std::span<uint8_t> out) {
  assert(out.size() >= in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i] = linear_to_alaw(in[i]);
  }
  return in.size();
}

std::size_t decode_alaw(std::span<const uint8_t> in, std::span<int16_t> out) {
  assert(out.size() >= in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i] = kAlawTable[in[i]];
  }
  return in.size();
}

}  // namespace sb::media::codec
