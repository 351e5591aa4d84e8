// sip/transaction/token_generator.h: Via branches (RFC 3261 §8.1.1.7) and From/To tags
// (§19.3) that do not repeat. Deterministic for a given seed, so tests can predict them; the
// server seeds it from std::random_device so two processes do not collide.
#pragma once

#include <cstdint>
#include <string>

namespace sb::sip {

class TokenGenerator {
 public:
  explicit TokenGenerator(uint64_t seed) : state_(seed) {}
  static uint64_t random_seed();

  // "z9hG4bK" and 16 hex digits. No repeat within 2^64 calls (tags and branches share the
  // sequence); across processes, as unique as the seeds.
  std::string branch();
  // 16 hex digits.
  std::string tag();

 private:
  uint64_t next();
  uint64_t state_;
};

}  // namespace sb::sip
