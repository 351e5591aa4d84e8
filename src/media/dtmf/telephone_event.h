// media/dtmf/telephone_event.h: the RFC 4733 telephone-event payload (the 4-byte block) and
// the event code <-> digit mapping. Pure byte work: no RTP header, no state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace sb::media::dtmf {

// RFC 4733 §2.3: one event block.
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// |     event     |E|R| volume    |          duration             |
struct TelephoneEvent {
  std::uint8_t event = 0;
  bool end = false;         // E bit
  bool reserved = false;    // R bit: sent as zero, ignored on receipt (§2.3.3)
  std::uint8_t volume = 0;  // 0..63, power level in -dBm0 (§2.3.4)
  std::uint16_t duration = 0;  // in RTP timestamp units since the event's timestamp

  bool operator==(const TelephoneEvent&) const = default;
};

inline constexpr std::size_t kTelephoneEventSize = 4;
inline constexpr std::uint8_t kMaxVolume = 63;
inline constexpr std::uint16_t kMaxDuration = 0xFFFF;

// The 4-byte block. A volume above 63 is clamped to 63 (it has only 6 bits).
std::array<std::uint8_t, kTelephoneEventSize> encode_telephone_event(const TelephoneEvent& e);

// Several blocks back to back (RFC 4733 §2.5.1.5 / RFC 2198 payloads carry more than one).
std::vector<std::uint8_t> encode_telephone_events(std::span<const TelephoneEvent> events);

// The first block of a payload. Fails when the payload is shorter than 4 bytes.
Result<TelephoneEvent> decode_telephone_event(std::span<const std::uint8_t> payload);

// Every block of a payload. Fails when the payload is empty or not a multiple of 4 bytes.
Result<std::vector<TelephoneEvent>> decode_telephone_events(
    std::span<const std::uint8_t> payload);

// RFC 4733 §3.2 DTMF events: 0-9 -> '0'-'9', 10 -> '*', 11 -> '#', 12-15 -> 'A'-'D'.
// Other codes (tones, line events) have no digit: nullopt.
std::optional<char> event_to_digit(std::uint8_t event);
// The inverse; accepts lower-case 'a'-'d'. nullopt for any other character.
std::optional<std::uint8_t> digit_to_event(char digit);

}  // namespace sb::media::dtmf
