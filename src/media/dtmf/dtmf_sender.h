// media/dtmf/dtmf_sender.h: the RFC 4733 packet sequence for one digit, as data. It does not
// send: the caller stamps SSRC and payload type and transmits each packet at its offset.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "media/dtmf/telephone_event.h"

namespace sb::media::dtmf {

struct DtmfSenderConfig {
  std::uint32_t clock_rate = 8000;               // RTP clock of the telephone-event format
  Duration packet_interval = Duration{20'000};   // ptime between updates
  std::uint8_t volume = 10;                      // -dBm0
  int end_repeats = 3;                           // RFC 4733 §2.5.1.4: E packet sent 3 times
};

// One telephone-event RTP packet: header fields the caller needs plus the payload.
struct DtmfPacket {
  std::uint32_t timestamp = 0;   // the event (segment) start, constant for its packets
  std::uint16_t sequence = 0;
  bool marker = false;           // only on the first packet of the event
  std::array<std::uint8_t, kTelephoneEventSize> payload{};
  Duration send_offset{};        // when to send, from the start of the digit
};

// Produces packet sequences; remembers the next sequence number across digits.
class DtmfSender {
 public:
  DtmfSender(DtmfSenderConfig config, std::uint16_t first_sequence);

  // Packets for `event` (0..255) lasting `length` (rounded down to timestamp units, at
  // least one packet interval), starting at RTP timestamp `start_timestamp`:
  // a first packet with the marker and duration 0, an update every packet interval, and
  // end_repeats packets with the E bit and the final duration. Events longer than 0xFFFF
  // units are split into segments (RFC 4733 §2.5.1.3): a packet with duration 0xFFFF and no
  // E bit ends a segment, the next segment's timestamp is 0xFFFF later, without marker.
  std::vector<DtmfPacket> packets_for_event(std::uint8_t event, std::uint32_t start_timestamp,
                                            Duration length);

  std::uint16_t next_sequence() const { return next_sequence_; }

 private:
  DtmfSenderConfig config_;
  std::uint16_t next_sequence_;
};

}  // namespace sb::media::dtmf
