// app/config/media_section.cc: the `media:` section (see media_settings.h).
#include <fmt/format.h>

#include <arpa/inet.h>

#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

void read_media(YamlReader& reader, const Field& field, MediaSettings& out) {
  auto s = Section::open(reader, field, {"address", "public_address", "rtp_port_min", "rtp_port_max",
                                          "threads", "media_timeout", "recordings_dir"});
  if (!s) return;
  for (auto [key, value] : {std::pair{"address", &out.address}, std::pair{"public_address", &out.public_address}}) {
    if (s->read_string(key, *value) && !is_ip(*value)) {
      reader.error(*s->get(key), fmt::format("expected a numeric IPv4 or IPv6 address, got \"{}\"", *value));
    }
  }
  int min = out.rtp_port_min;
  int max = out.rtp_port_max;
  s->read_int("rtp_port_min", 1024, 65534, min);
  s->read_int("rtp_port_max", 1025, 65535, max);
  // RTP takes an even port and RTCP the odd one above it (RFC 3550 §11).
  const int first_even = min + (min % 2);
  if (first_even + 1 > max && (s->has("rtp_port_min") || s->has("rtp_port_max"))) {
    reader.error(*s->get(s->has("rtp_port_max") ? "rtp_port_max" : "rtp_port_min"),
                 fmt::format("the RTP port range {}-{} holds no RTP/RTCP pair", min, max));
  }
  out.rtp_port_min = static_cast<uint16_t>(min);
  out.rtp_port_max = static_cast<uint16_t>(max);
  s->read_int("threads", 1, 64, out.threads);
  s->read_duration("media_timeout", out.media_timeout);
  s->read_string("recordings_dir", out.recordings_dir);
}

}  // namespace sb::app
