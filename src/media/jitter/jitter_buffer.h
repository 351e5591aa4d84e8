// media/jitter/jitter_buffer.h: adaptive jitter buffer in front of a decoder. Pure: packets
// in with their arrival time, frames out at playout time; no RTP parsing, no threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/clock.h"

namespace sb::media::jitter {

struct JitterBufferConfig {
  std::uint32_t clock_rate = 8000;
  std::uint32_t frame_samples = 160;        // timestamp units per packet (20 ms at 8 kHz)
  Duration min_delay = Duration{40'000};
  Duration max_delay = Duration{200'000};
  // The target delay covers the spread of transit times over this many packets; a spike
  // raises it at once, and it comes down only when the spike leaves the window.
  std::size_t window_packets = 100;
  // While talking, drop at most one frame this often to shrink towards the target; zero
  // shrinks only between talkspurts.
  Duration shrink_drop_interval = Duration{1'000'000};
  // A bigger jump, confirmed by the next packet in sequence, is a new stream: resync.
  std::uint16_t max_sequence_jump = 1000;
  Duration max_timestamp_jump = Duration{60'000'000};
  std::size_t capacity = 64;                // packets held; beyond it the oldest goes
};

struct JitterPacket {
  std::uint32_t ssrc = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;           // start of a talkspurt (RFC 3551 §4.1)
  TimePoint arrival{};
  std::vector<std::uint8_t> payload;
};

enum class PushResult {
  Accepted,
  Duplicate,
  Late,      // its playout time has passed
  Resynced,  // accepted as the first packet of a new stream (SSRC change or confirmed jump)
  Stray,     // a big jump not (yet) confirmed by the next packet: dropped
};

enum class FrameKind {
  Audio,    // a packet: decode it
  Conceal,  // a packet is missing at its playout time: run loss concealment
  Stretch,  // inserted to grow the delay: conceal/expand, nothing was lost
  Silence,  // between talkspurts (the timestamps jumped, no sequence number missing)
};

struct PlayoutFrame {
  FrameKind kind = FrameKind::Audio;
  std::uint32_t timestamp = 0;   // RTP timestamp the frame stands for
  std::uint16_t sequence = 0;    // Audio only
  TimePoint play_time{};
  std::vector<std::uint8_t> payload;  // Audio only
};

struct JitterStats {
  std::uint64_t received = 0;
  std::uint64_t late = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t lost = 0;          // Conceal frames produced
  std::uint64_t stretched = 0;     // Stretch frames produced
  std::uint64_t shrink_drops = 0;  // frames dropped to shrink the delay while talking
  std::uint64_t overflow = 0;      // packets dropped because the buffer was full
  std::uint64_t resyncs = 0;       // SSRC changes and confirmed big jumps
  std::uint64_t stray = 0;         // big jumps dropped while unconfirmed
  Duration jitter{};               // RFC 3550 §6.4.1 interarrival jitter estimate
  Duration current_delay{};
  Duration target_delay{};
};

// Single-threaded (the media thread of one stream).
class JitterBuffer {
 public:
  explicit JitterBuffer(JitterBufferConfig config = {});

  // Takes a packet. Duplicates and packets whose playout time has passed are dropped and
  // counted; a new SSRC, or a jump beyond the limits confirmed by the packet after it,
  // flushes the buffer and restarts the schedule (the target delay is kept).
  PushResult push(JitterPacket packet);

  // Every frame whose playout time is at or before `now`, in order. Nothing while idle
  // (before the first packet, between talkspurts, after an underrun): the decoder plays
  // silence or comfort noise then.
  std::vector<PlayoutFrame> pull(TimePoint now);

  // The playout time of the next frame, while playing.
  std::optional<TimePoint> next_playout() const;

  const JitterStats& stats() const { return stats_; }
  std::size_t size() const { return buffer_.size(); }

 private:
  struct Stored {
    std::int64_t ext_sequence = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    bool marker = false;
    std::vector<std::uint8_t> payload;
  };

  void restart_stream(const JitterPacket& packet);
  bool is_big_jump(std::int64_t ext_sequence, std::int64_t ext_timestamp) const;
  void observe_transit(std::int64_t ext_timestamp, TimePoint arrival);
  void anchor(std::int64_t ext_timestamp, TimePoint arrival);
  std::int64_t timestamp_us(std::int64_t ext_timestamp) const;
  Duration frame_duration() const;
  void play_slot(std::vector<PlayoutFrame>& out);

  JitterBufferConfig config_;
  std::optional<std::uint32_t> ssrc_;
  std::int64_t highest_sequence_ = 0;   // extended, RFC 3550 style
  std::int64_t highest_timestamp_ = 0;  // extended
  std::map<std::int64_t, Stored> buffer_;  // by extended timestamp
  std::set<std::int64_t> seen_;            // recent extended sequence numbers
  std::optional<std::uint16_t> probation_sequence_;  // confirms a big jump if it comes next

  bool playing_ = false;
  bool played_in_spurt_ = false;
  std::int64_t next_ts_ = 0;               // extended timestamp of the next slot
  TimePoint next_play_time_{};
  std::optional<std::int64_t> played_until_;     // first timestamp not yet played
  std::optional<std::int64_t> last_audio_sequence_;
  std::optional<TimePoint> last_shrink_drop_;
  std::optional<TimePoint> last_output_time_;

  std::deque<std::int64_t> transits_us_;   // arrival minus media time, the window
  std::optional<std::int64_t> last_transit_us_;
  double jitter_us_ = 0;
  Duration current_delay_{};
  Duration target_delay_{};

  JitterStats stats_;
};

}  // namespace sb::media::jitter
