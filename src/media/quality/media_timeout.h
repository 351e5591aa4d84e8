// media/quality/media_timeout.h: detects a leg whose RTP has stopped ("dead air" after a
// network loss or a crashed phone) so the call can be torn down. Pure: times come in, the
// caller polls. Not here: timers, what to do on a timeout.
#pragma once

#include "common/clock.h"

#include <chrono>
#include <optional>

namespace sb::media::quality {

// Fires once per silence episode: check() is true the first time `timeout` has passed with no
// packet, then false until a packet re-arms it. While paused (the remote put us on hold:
// sendonly or inactive, so silence is expected) it never fires. The silence clock starts at
// the first on_packet() or check(), and again at the first check() after un-pausing, so a
// call that never gets media still times out and a resumed call gets a full timeout.
// Not thread-safe; the leg's media thread owns it.
class MediaTimeout {
 public:
  using TimePoint = sb::TimePoint;  // the media thread's clock (common/clock.h)

  explicit MediaTimeout(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  void on_packet(TimePoint now);
  // True exactly once per silence episode, when `timeout` has passed without a packet.
  bool check(TimePoint now);
  void set_paused(bool paused);

  bool paused() const { return paused_; }
  // When check() could next return true; nullopt when it cannot (no timeout, paused, or fired
  // already for this silence). Before the first packet or check, now: check() must start the clock.
  std::optional<TimePoint> next_deadline() const;
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  std::chrono::milliseconds timeout_;
  std::optional<TimePoint> since_;  // start of the current silence; unset until first seen
  bool fired_ = false;
  bool paused_ = false;
};

}  // namespace sb::media::quality
