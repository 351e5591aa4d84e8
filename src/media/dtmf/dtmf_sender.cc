// media/dtmf/dtmf_sender.cc: RFC 4733 §2.5.1 sender procedure.
#include "media/dtmf/dtmf_sender.h"

#include <algorithm>

namespace sb::media::dtmf {

DtmfSender::DtmfSender(DtmfSenderConfig config, std::uint16_t first_sequence)
    : config_(config), next_sequence_(first_sequence) {
  if (config_.clock_rate == 0) {
    config_.clock_rate = 8000;  // never divide by zero on the media thread
  }
}

namespace {
std::uint64_t to_units(Duration d, std::uint32_t clock_rate) {
  return static_cast<std::uint64_t>(d.count()) * clock_rate / 1'000'000;
}
Duration to_duration(std::uint64_t units, std::uint32_t clock_rate) {
  return Duration{static_cast<Duration::rep>(units * 1'000'000 / clock_rate)};
}
}  // namespace

std::vector<DtmfPacket> DtmfSender::packets_for_event(std::uint8_t event,
                                                      std::uint32_t start_timestamp,
                                                      Duration length) {
  const std::uint64_t step = std::max<std::uint64_t>(1, to_units(config_.packet_interval,
                                                                 config_.clock_rate));
  const std::uint64_t total = std::max(step, to_units(length, config_.clock_rate));
  std::vector<DtmfPacket> out;
  std::uint64_t segment_start = 0;  // units since start_timestamp
  bool first = true;

  auto emit = [&](std::uint16_t duration, bool end, Duration offset) {
    DtmfPacket p;
    p.timestamp = static_cast<std::uint32_t>(start_timestamp + segment_start);
    p.sequence = next_sequence_++;
    p.marker = first;
    first = false;
    p.payload = encode_telephone_event(
        TelephoneEvent{event, end, false, config_.volume, duration});
    p.send_offset = offset;
    out.push_back(p);
  };
  // RFC 4733 §2.5.1.3: close the segment with 0xFFFF (no E bit) once it would overflow.
  auto roll_segments = [&](std::uint64_t elapsed) {
    while (elapsed - segment_start > kMaxDuration) {
      emit(kMaxDuration, false, to_duration(segment_start + kMaxDuration,
                                                     config_.clock_rate));
      segment_start += kMaxDuration;
    }
  };

  emit(0, false, Duration{0});
  for (std::uint64_t elapsed = step; elapsed < total; elapsed += step) {
    roll_segments(elapsed);
    emit(static_cast<std::uint16_t>(elapsed - segment_start), false,
         to_duration(elapsed, config_.clock_rate));
  }
  roll_segments(total);
  const auto final_duration = static_cast<std::uint16_t>(total - segment_start);
  for (int i = 0; i < config_.end_repeats; ++i) {
    // §2.5.1.4: the retransmissions keep timestamp and duration, new sequence numbers.
    emit(final_duration, true,
         to_duration(total, config_.clock_rate) + i * config_.packet_interval);
  }
  return out;
}

}  // namespace sb::media::dtmf
