// sip/dialog/id_generator.h: the random identifiers a UA makes for dialogs: From/To tags
// (RFC 3261 §19.3), Call-IDs (§8.1.1.4) and the random Retry-After of §14.2. Seedable, so tests
// predict them; not a cryptographic generator, so nothing here may serve as a secret (nonces).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace sb::sip {

class IdGenerator {
 public:
  // The same seed gives the same sequence of identifiers.
  explicit IdGenerator(uint64_t seed) : engine_(seed) {}
  // A seed from std::random_device, for the live server (so two processes do not collide).
  static uint64_t random_seed();

  // 16 lowercase hex digits: 64 random bits, twice the 32 that RFC 3261 §19.3 asks for.
  std::string tag();
  // 32 lowercase hex digits (128 random bits), then "@host" when `host` is not empty
  // (RFC 3261 §8.1.1.4 suggests the host to make the identifier globally unique).
  std::string call_id(std::string_view host = {});
  // A whole number of seconds in [low, high], uniformly.
  uint32_t uniform(uint32_t low, uint32_t high);

 private:
  std::mt19937_64 engine_;
};

}  // namespace sb::sip
