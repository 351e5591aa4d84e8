// sip/session/sdp_direction.cc: a line scan of an SDP body for its direction attributes.
#include "sip/session/sdp_direction.h"

#include <optional>

namespace sb::sip::session {
namespace {

std::optional<MediaDirection> direction_attribute(std::string_view line) {
  if (line == "a=sendrecv") {
    return MediaDirection::SendRecv;
  }
  if (line == "a=sendonly") {
    return MediaDirection::SendOnly;
  }
  if (line == "a=recvonly") {
    return MediaDirection::RecvOnly;
  }
  if (line == "a=inactive") {
    return MediaDirection::Inactive;
  }
  return std::nullopt;
}

bool is_null_connection(std::string_view line) {
  return line == "c=IN IP4 0.0.0.0" || line == "c=IN IP6 ::";
}

}  // namespace

std::string_view media_direction_name(MediaDirection direction) {
  switch (direction) {
    case MediaDirection::SendRecv: return "sendrecv";
    case MediaDirection::SendOnly: return "sendonly";
    case MediaDirection::RecvOnly: return "recvonly";
    case MediaDirection::Inactive: return "inactive";
  }
  return "sendrecv";
}

MediaDirection media_direction(std::string_view sdp) {
  std::optional<MediaDirection> session_level;
  std::optional<MediaDirection> media_level;
  bool null_connection = false;
  bool in_audio = false;
  bool seen_media = false;
  while (!sdp.empty()) {
    const size_t end = sdp.find('\n');
    std::string_view line = sdp.substr(0, end);
    sdp = end == std::string_view::npos ? std::string_view() : sdp.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.starts_with("m=")) {
      if (in_audio) {
        break;  // only the first audio stream counts
      }
      in_audio = line.starts_with("m=audio ");
      seen_media = true;
      continue;
    }
    if (seen_media && !in_audio) {
      continue;
    }
    if (auto d = direction_attribute(line)) {
      (in_audio ? media_level : session_level) = *d;
    } else if (is_null_connection(line)) {
      null_connection = true;
    }
  }
  MediaDirection d = media_level.value_or(session_level.value_or(MediaDirection::SendRecv));
  if (null_connection && d == MediaDirection::SendRecv) {
    d = MediaDirection::SendOnly;
  }
  return d;
}

}  // namespace sb::sip::session
