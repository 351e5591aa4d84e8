// media/dtmf/dtmf_receiver.cc: RFC 4733 §2.5.2 receiver procedure.
#include "media/dtmf/dtmf_receiver.h"

#include "media/dtmf/telephone_event.h"

namespace sb::media::dtmf {

namespace {
// RFC 3550 serial order for 32-bit timestamps and 16-bit sequence numbers.
bool timestamp_newer(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) > 0;
}
bool sequence_newer(std::uint16_t a, std::uint16_t b) {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)) > 0;
}
}  // namespace

DtmfReceiver::DtmfReceiver(DtmfReceiverConfig config) : config_(config) {
  if (config_.clock_rate == 0) {
    config_.clock_rate = 8000;  // never divide by zero on the media thread
  }
}

Duration DtmfReceiver::end_timeout() const {
  return config_.end_timeout > Duration{0} ? config_.end_timeout : 3 * config_.packet_interval;
}

DtmfNotice DtmfReceiver::started(const Active& a) const {
  DtmfNotice n;
  n.kind = DtmfNotice::Kind::Started;
  n.event = a.event;
  n.digit = event_to_digit(a.event).value_or('\0');
  n.timestamp = a.first_timestamp;
  return n;
}

DtmfNotice DtmfReceiver::ended(const Active& a, bool end_seen) {
  DtmfNotice n = started(a);
  n.kind = DtmfNotice::Kind::Ended;
  n.duration = a.previous_segments + a.duration;
  n.duration_time = Duration{static_cast<Duration::rep>(n.duration * 1'000'000 /
                                                        config_.clock_rate)};
  n.end_seen = end_seen;
  ++stats_.events;
  return n;
}

bool DtmfReceiver::is_segment_continuation(const Active& a, std::uint8_t event, bool marker,
                                           std::uint32_t timestamp) const {
  // RFC 4733 §2.5.1.3: a long event goes on as a new "event" whose timestamp is where the
  // previous segment reached 0xFFFF, with the same code and no marker.
  if (event != a.event || marker) {
    return false;
  }
  const std::uint64_t step =
      static_cast<std::uint64_t>(config_.packet_interval.count()) * config_.clock_rate /
      1'000'000;
  const std::uint64_t delta = static_cast<std::uint32_t>(timestamp - a.segment_timestamp);
  return delta >= a.duration && delta + 4 * step >= kMaxDuration && delta <= kMaxDuration + step;
}

std::vector<DtmfNotice> DtmfReceiver::on_tick(TimePoint now) {
  std::vector<DtmfNotice> out;
  if (active_ && now - active_->last_arrival >= end_timeout()) {
    // RFC 4733 §2.5.2.2: all end packets lost; end the event after a timeout.
    out.push_back(ended(*active_, false));
    ++stats_.ended_by_timeout;
    active_.reset();
  }
  return out;
}

std::optional<TimePoint> DtmfReceiver::next_deadline() const {
  if (!active_) {
    return std::nullopt;
  }
  return active_->last_arrival + end_timeout();
}

std::vector<DtmfNotice> DtmfReceiver::reset() {
  std::vector<DtmfNotice> out;
  if (active_) {
    out.push_back(ended(*active_, false));
    active_.reset();
  }
  last_timestamp_.reset();
  return out;
}

std::vector<DtmfNotice> DtmfReceiver::on_packet(const DtmfRtpPacket& packet) {
  ++stats_.packets;
  std::vector<DtmfNotice> out = on_tick(packet.arrival);
  auto blocks = decode_telephone_events(packet.payload);
  if (!blocks) {
    ++stats_.malformed;
    return out;
  }
  const TelephoneEvent block = blocks->back();
  const std::uint32_t ts = packet.timestamp;

  if (active_ && ts == active_->segment_timestamp) {
    Active& a = *active_;
    if (block.event != a.event) {
      ++stats_.ignored;
      return out;
    }
    a.last_arrival = packet.arrival;
    const bool newer = sequence_newer(packet.sequence, a.last_sequence);
    if (!newer && !block.end) {
      // A duplicate or a reordered update: nothing new.
      ++stats_.ignored;
      return out;
    }
    if (newer && block.duration < a.duration && a.duration >= 0xC000 &&
        block.duration < 0x4000) {
      // Some senders let the 16-bit duration wrap instead of segmenting (§2.5.1.3 says
      // they must not); a big drop on a newer sequence number is a wrap, not a reorder.
      a.previous_segments += 0x10000;
      a.duration = block.duration;
    } else if (block.duration > a.duration) {
      a.duration = block.duration;
    }
    if (newer) {
      a.last_sequence = packet.sequence;
    }
    if (block.end) {
      out.push_back(ended(a, true));
      active_.reset();
    }
    return out;
  }

  if (active_ && is_segment_continuation(*active_, block.event, packet.marker, ts)) {
    Active& a = *active_;
    a.previous_segments += static_cast<std::uint32_t>(ts - a.segment_timestamp);
    a.segment_timestamp = ts;
    a.duration = block.duration;
    a.last_sequence = packet.sequence;
    a.last_arrival = packet.arrival;
    last_timestamp_ = ts;
    if (block.end) {
      out.push_back(ended(a, true));
      active_.reset();
    }
    return out;
  }

  if (last_timestamp_ && !timestamp_newer(ts, *last_timestamp_)) {
    // End retransmits, duplicates and late packets of events already reported.
    ++stats_.ignored;
    return out;
  }
  if (active_) {
    // RFC 4733 §2.5.2.2: a new timestamp ends the previous event even without its E bit.
    out.push_back(ended(*active_, false));
    ++stats_.ended_by_new_event;
    active_.reset();
  }
  Active a;
  a.event = block.event;
  a.first_timestamp = ts;
  a.segment_timestamp = ts;
  a.duration = block.duration;
  a.last_sequence = packet.sequence;
  a.last_arrival = packet.arrival;
  last_timestamp_ = ts;
  out.push_back(started(a));
  if (block.end) {
    out.push_back(ended(a, true));
  } else {
    active_ = a;
  }
  return out;
}

}  // namespace sb::media::dtmf
