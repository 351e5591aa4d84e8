// media/quality/media_timeout.cc: the silence episode state machine.
#include "media/quality/media_timeout.h"

namespace sb::media::quality {

void MediaTimeout::on_packet(TimePoint now) {
  since_ = now;
  fired_ = false;
}

bool MediaTimeout::check(TimePoint now) {
  if (paused_) {
    return false;
  }
  if (!since_) {
    since_ = now;
    return false;
  }
  if (fired_ || now - *since_ < timeout_) {
    return false;
  }
  fired_ = true;
  return true;
}

std::optional<MediaTimeout::TimePoint> MediaTimeout::next_deadline() const {
  if (timeout_.count() <= 0 || paused_ || fired_) {
    return std::nullopt;  // no timeout configured, on hold, or reported already
  }
  if (!since_) {
    return TimePoint{};
  }
  return *since_ + timeout_;
}

void MediaTimeout::set_paused(bool paused) {
  if (paused_ && !paused) {
    // Off hold: the remote needs a moment to start sending again; the silence during hold
    // does not count, and an episode that fired before the hold does not block a new one.
    since_.reset();
    fired_ = false;
  }
  paused_ = paused;
}

}  // namespace sb::media::quality
