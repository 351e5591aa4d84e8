// media/codec/g711.h: ITU-T G.711 µ-law and A-law companding between 16-bit linear PCM and 8-bit
// codes, as the reference implementations do it (decode by table, encode by bit arithmetic).
// Not here: packetisation, resampling, PLC (G.711 Appendix I).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sb::media::codec {

// One sample. µ-law: the code 0xFF (and its negative twin 0x7F) is 0, 0x00 is -32124, 0x80 is
// +32124. A-law (even bits inverted, ITU's "alternate mark inversion"): 0xD5 is +8, 0x55 is -8,
// 0xAA is +32256, 0x2A is -32256.
uint8_t linear_to_ulaw(int16_t sample);
int16_t ulaw_to_linear(uint8_t code);
uint8_t linear_to_alaw(int16_t sample);
int16_t alaw_to_linear(uint8_t code);

// Whole buffers. `out` must be at least as long as `in`; returns the number of samples written,
// which is in.size().
std::size_t encode_ulaw(std::span<const int16_t> in, std::span<uint8_t> out);
std::size_t decode_ulaw(std::span<const uint8_t> in, std::span<int16_t> out);
std::size_t encode_alaw(std::span<const int16_t> in, std::span<uint8_t> out);
std::size_t decode_alaw(std::span<const uint8_t> in, std::span<int16_t> out);

}  // namespace sb::media::codec
