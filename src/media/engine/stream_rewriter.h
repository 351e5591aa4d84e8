// media/engine/stream_rewriter.h: keeps the RTP stream a leg sends continuous while what
// feeds it changes: packets relayed from one caller, then another after a transfer, then
// frames we generate (a prompt, music on hold), then relayed packets again. The far end sees
// one SSRC whose sequence numbers and timestamps never jump back (RFC 3550 §5.1; RFC 7160 on
// what receivers make of clock jumps). Pure: time is passed in.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace sb::media::engine {

struct RewrittenHeader {
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  bool marker = false;  // set on the first packet after a change of source
};

class StreamRewriter {
 public:
  StreamRewriter(uint32_t ssrc, uint16_t first_sequence, uint32_t first_timestamp,
                 uint32_t clock_rate);

  // A relayed packet from stream `source_ssrc`. Within one source, sequence and timestamp
  // keep their spacing (so gaps and reordering stay visible to the far end's jitter buffer);
  // on a new source the offsets are chosen so the stream continues after the last packet
  // sent, the timestamp advanced by the wall time elapsed since then.
  RewrittenHeader relay(uint32_t source_ssrc, uint16_t sequence, uint32_t timestamp,
                        bool marker, TimePoint now);

  // A packet we generate carrying `rtp_units` of audio.
  RewrittenHeader generate(uint32_t rtp_units, TimePoint now);

  // The timestamp a packet starting now would carry (an RFC 4733 event's start).
  uint32_t timestamp_at(TimePoint now) const;
  // A telephone-event packet: the next sequence number, the event's own timestamp (constant
  // for all its packets). What follows is placed by the wall time elapsed, like a new source.
  RewrittenHeader event(uint32_t event_timestamp, TimePoint now);

  // A codec change with another RTP clock (re-INVITE from G.711 to Opus).
  void set_clock_rate(uint32_t clock_rate) { clock_rate_ = clock_rate; }
  uint32_t ssrc() const { return ssrc_; }
  uint64_t packets() const { return packets_; }
  // Timestamp of the last packet sent, and when (for RTCP sender reports).
  uint32_t last_timestamp() const { return last_timestamp_; }
  TimePoint last_sent() const { return last_sent_; }

 private:
  uint32_t elapsed_units(TimePoint now) const;
  void note_sent(uint16_t sequence, uint32_t timestamp, TimePoint now);

  uint32_t ssrc_;
  uint32_t clock_rate_;
  std::optional<uint32_t> source_;  // the relayed stream we follow; none while generating
  uint16_t sequence_offset_ = 0;
  uint32_t timestamp_offset_ = 0;
  uint16_t last_sequence_;
  uint32_t last_timestamp_;
  TimePoint last_sent_{};
  uint64_t packets_ = 0;
  uint32_t pending_generate_units_ = 0;  // units of the last generated packet
  bool rebase_next_ = false;             // after an event: place the next packet by time
};

}  // namespace sb::media::engine
