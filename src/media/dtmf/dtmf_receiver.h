// media/dtmf/dtmf_receiver.h: turns received RFC 4733 telephone-event packets into digits,
// each exactly once. Pure: time is the caller's arrival time; no RTP parsing, no SSRC.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/clock.h"

namespace sb::media::dtmf {

struct DtmfReceiverConfig {
  std::uint32_t clock_rate = 8000;
  Duration packet_interval = Duration{20'000};
  // An event with no packets for this long ends without its E bit; zero means
  // 3 x packet_interval (the sender's update interval, RFC 4733 §2.5.2.2).
  Duration end_timeout{0};
};

// What the receiver reports. A Started and later exactly one Ended per event.
struct DtmfNotice {
  enum class Kind { Started, Ended };
  Kind kind = Kind::Started;
  std::uint8_t event = 0;
  char digit = '\0';             // '\0' for codes that are not DTMF digits (16..255)
  std::uint32_t timestamp = 0;   // RTP timestamp of the event's first segment
  std::uint64_t duration = 0;    // Ended: total duration in timestamp units, all segments
  Duration duration_time{};      // the same in time
  bool end_seen = false;         // Ended: true when an E-bit packet arrived
};

// One received telephone-event packet (RTP header fields + payload + arrival time).
struct DtmfRtpPacket {
  std::uint32_t timestamp = 0;
  std::uint16_t sequence = 0;
  bool marker = false;
  std::span<const std::uint8_t> payload;
  TimePoint arrival{};
};

struct DtmfReceiverStats {
  std::uint64_t packets = 0;
  std::uint64_t malformed = 0;     // payload not decodable
  std::uint64_t ignored = 0;       // duplicates, end retransmits, stale or reordered packets
  std::uint64_t events = 0;        // Ended notices
  std::uint64_t ended_by_timeout = 0;
  std::uint64_t ended_by_new_event = 0;
};

// Single-threaded; one instance per RTP stream (call reset() when the SSRC changes).
class DtmfReceiver {
 public:
  explicit DtmfReceiver(DtmfReceiverConfig config = {});

  // Feeds one packet. First checks the end timeout against the packet's arrival time.
  // A payload with several blocks is judged by its last block (the current event; the
  // earlier ones are redundancy for events already reported or lost with their timestamps).
  std::vector<DtmfNotice> on_packet(const DtmfRtpPacket& packet);

  // Ends the current event if nothing arrived for end_timeout before `now`.
  std::vector<DtmfNotice> on_tick(TimePoint now);

  // When the caller should call on_tick next, if an event is in progress.
  std::optional<TimePoint> next_deadline() const;

  // Forgets the stream (new SSRC). An event in progress ends as if timed out.
  std::vector<DtmfNotice> reset();

  bool in_event() const { return active_.has_value(); }
  const DtmfReceiverStats& stats() const { return stats_; }

 private:
  struct Active {
    std::uint8_t event = 0;
    std::uint32_t first_timestamp = 0;
    std::uint32_t segment_timestamp = 0;
    std::uint64_t previous_segments = 0;  // units in completed segments (and wraps)
    std::uint16_t duration = 0;           // latest duration in the current segment
    std::uint16_t last_sequence = 0;
    TimePoint last_arrival{};
  };

  Duration end_timeout() const;
  DtmfNotice started(const Active& a) const;
  DtmfNotice ended(const Active& a, bool end_seen);
  bool is_segment_continuation(const Active& a, std::uint8_t event, bool marker,
                               std::uint32_t timestamp) const;

  DtmfReceiverConfig config_;
  std::optional<Active> active_;
  // The newest event timestamp seen; packets not newer (RFC 3550 serial order) are old.
  std::optional<std::uint32_t> last_timestamp_;
  DtmfReceiverStats stats_;
};

}  // namespace sb::media::dtmf
