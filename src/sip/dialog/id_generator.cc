// sip/dialog/id_generator.cc
#include "sip/dialog/id_generator.h"

namespace sb::sip {
namespace {

void append_hex(std::string& out, uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) {
    out.push_back(kDigits[(value >> shift) & 0xf]);
  }
}

}  // namespace

uint64_t IdGenerator::random_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

std::string IdGenerator::tag() {
  std::string out;
  out.reserve(16);
  append_hex(out, engine_());
  return out;
}

std::string IdGenerator::call_id(std::string_view host) {
  std::string out;
  out.reserve(33 + host.size());
  append_hex(out, engine_());
  append_hex(out, engine_());
  if (!host.empty()) {
    out.push_back('@');
    out.append(host);
  }
  return out;
}

uint32_t IdGenerator::uniform(uint32_t low, uint32_t high) {
  if (high <= low) {
    return low;
  }
  // The engine's raw output, reduced: the same numbers on every standard library (the
  // distributions of <random> are implementation-defined). The bias is below 2^-32.
  const uint64_t span = static_cast<uint64_t>(high - low) + 1;
  return low + static_cast<uint32_t>(engine_() % span);
}

}  // namespace sb::sip
