// sip/session/sdp_direction.h: the one thing the session layer reads inside a session
// description: whether the far end is putting the call on hold (RFC 3264 §8.4: a=sendonly or
// a=inactive; RFC 2543's c=0.0.0.0 still sent by old phones). Not an SDP parser: bodies stay
// opaque to sip/, and media/ decides what to answer.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::sip::session {

enum class MediaDirection : uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view media_direction_name(MediaDirection direction);

// The direction of the first audio stream of `sdp` as its sender states it: the media-level
// attribute, else the session-level one, else sendrecv. A connection address of 0.0.0.0
// reads as sendonly (the far end will not receive).
MediaDirection media_direction(std::string_view sdp);

// The sender of `sdp` holds the call: it will not receive our media.
inline bool is_hold(MediaDirection direction) {
  return direction == MediaDirection::SendOnly || direction == MediaDirection::Inactive;
}

}  // namespace sb::sip::session
