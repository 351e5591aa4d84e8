// media/dtmf/telephone_event.cc: RFC 4733 §2.3 block encoding and decoding.
#include "media/dtmf/telephone_event.h"

#include <algorithm>

namespace sb::media::dtmf {

std::array<std::uint8_t, kTelephoneEventSize> encode_telephone_event(const TelephoneEvent& e) {
  const std::uint8_t volume = std::min(e.volume, kMaxVolume);
  return {
      e.event,
      static_cast<std::uint8_t>((e.end ? 0x80 : 0x00) | (e.reserved ? 0x40 : 0x00) | volume),
      static_cast<std::uint8_t>(e.duration >> 8),
      static_cast<std::uint8_t>(e.duration & 0xFF),
  };
}

std::vector<std::uint8_t> encode_telephone_events(std::span<const TelephoneEvent> events) {
  std::vector<std::uint8_t> out;
  out.reserve(events.size() * kTelephoneEventSize);
  for (const TelephoneEvent& e : events) {
    const auto block = encode_telephone_event(e);
    out.insert(out.end(), block.begin(), block.end());
  }
  return out;
}

namespace {
TelephoneEvent decode_block(std::span<const std::uint8_t> b) {
  TelephoneEvent e;
  e.event = b[0];
  e.end = (b[1] & 0x80) != 0;
  e.reserved = (b[1] & 0x40) != 0;
  e.volume = static_cast<std::uint8_t>(b[1] & 0x3F);
  e.duration = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
  return e;
}
}  // namespace

Result<TelephoneEvent> decode_telephone_event(std::span<const std::uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) {
    return Error{"telephone-event payload shorter than 4 bytes", "payload"};
  }
  return decode_block(payload.first(kTelephoneEventSize));
}

Result<std::vector<TelephoneEvent>> decode_telephone_events(
    std::span<const std::uint8_t> payload) {
  if (payload.empty() || payload.size() % kTelephoneEventSize != 0) {
    return Error{"telephone-event payload is not a non-empty multiple of 4 bytes", "payload"};
  }
  std::vector<TelephoneEvent> events;
  events.reserve(payload.size() / kTelephoneEventSize);
  for (std::size_t i = 0; i < payload.size(); i += kTelephoneEventSize) {
    events.push_back(decode_block(payload.subspan(i, kTelephoneEventSize)));
  }
  return events;
}

std::optional<char> event_to_digit(std::uint8_t event) {
  static constexpr char kDigits[] = "0123456789*#ABCD";
  if (event > 15) {
    return std::nullopt;
  }
  return kDigits[event];
}

std::optional<std::uint8_t> digit_to_event(char digit) {
  if (digit >= '0' && digit <= '9') {
    return static_cast<std::uint8_t>(digit - '0');
  }
  if (digit == '*') {
    return std::uint8_t{10};
  }
  if (digit == '#') {
    return std::uint8_t{11};
  }
  if (digit >= 'A' && digit <= 'D') {
    return static_cast<std::uint8_t>(12 + (digit - 'A'));
  }
  if (digit >= 'a' && digit <= 'd') {
    return static_cast<std::uint8_t>(12 + (digit - 'a'));
  }
  return std::nullopt;
}

}  // namespace sb::media::dtmf
