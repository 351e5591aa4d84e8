// sip/transaction/token_generator.cc
#include "sip/transaction/token_generator.h"

#include <random>

namespace sb::sip {
namespace {

std::string hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[v & 0xf];
    v >>= 4;
  }
  return out;
}

}  // namespace

uint64_t TokenGenerator::random_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

// SplitMix64: the state steps by an odd constant (a full 2^64 cycle) and the output function is
// a bijection, so outputs never repeat before the state does.
uint64_t TokenGenerator::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string TokenGenerator::branch() { return "z9hG4bK" + hex16(next()); }

std::string TokenGenerator::tag() { return hex16(next()); }

}  // namespace sb::sip
