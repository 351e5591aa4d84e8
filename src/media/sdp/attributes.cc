// media/sdp/attributes.cc: typed attribute readers and writers.
#include "media/sdp/attributes.h"

#include "media/sdp/sdp_text.h"

#include <algorithm>
#include <charconv>

namespace sb::media::sdp {
namespace {


std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + 1;
  }
}

std::optional<int> payload_type_number(std::string_view s) {
  auto pt = parse_number<uint32_t>(s);
  if (!pt || *pt > 127) {
    return std::nullopt;
  }
  return static_cast<int>(*pt);
}

}  // namespace

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> direction_from_name(std::string_view name) {
  for (Direction d :
       {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    if (name == direction_name(d)) {
      return d;
    }
  }
  return std::nullopt;
}

bool same_encoding(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::optional<RtpMap> parse_rtpmap(std::string_view value) {
  auto f = split_blanks(value);
  if (f.size() != 2) {
    return std::nullopt;
  }
  auto pt = payload_type_number(f[0]);
  auto parts = split(f[1], '/');
  if (!pt || parts.size() < 2 || parts.size() > 3 || parts[0].empty()) {
    return std::nullopt;
  }
  auto rate = parse_number<uint32_t>(parts[1]);
  if (!rate || *rate == 0) {
    return std::nullopt;
  }
  RtpMap map{*pt, std::string(parts[0]), *rate, 1};
  if (parts.size() == 3) {
    auto channels = parse_number<uint32_t>(parts[2]);
    if (!channels || *channels == 0) {
      return std::nullopt;
    }
    map.channels = *channels;
  }
  return map;
}

std::string format_rtpmap(const RtpMap& map) {
  std::string out =
      std::to_string(map.payload_type) + ' ' + map.encoding + '/' + std::to_string(map.clock_rate);
  if (map.channels != 1) {
    out += '/' + std::to_string(map.channels);
  }
  return out;
}

std::optional<Fmtp> parse_fmtp(std::string_view value) {
  size_t i = 0;
  while (i < value.size() && !is_blank(value[i])) {
    ++i;
  }
  auto pt = payload_type_number(value.substr(0, i));
  if (!pt) {
    return std::nullopt;
  }
  while (i < value.size() && is_blank(value[i])) {
    ++i;
  }
  return Fmtp{*pt, std::string(value.substr(i))};
}

std::optional<Rtcp> parse_rtcp(std::string_view value) {
  auto f = split_blanks(value);
  if (f.size() != 1 && f.size() != 4) {
    return std::nullopt;
  }
  auto port = parse_number<uint32_t>(f[0]);
  if (!port || *port > 65535) {
    return std::nullopt;
  }
  Rtcp r{static_cast<uint16_t>(*port), std::nullopt};
  if (f.size() == 4) {
    r.address = Connection{std::string(f[1]), std::string(f[2]), std::string(f[3])};
  }
  return r;
}

std::optional<Crypto> parse_crypto(std::string_view value) {
  auto f = split_blanks(value);
  if (f.size() < 3) {
    return std::nullopt;
  }
  auto tag = parse_number<uint32_t>(f[0]);
  if (!tag || f[0].size() > 9) {  // RFC 4568 §9.1: 1*9DIGIT
    return std::nullopt;
  }
  Crypto c{*tag, std::string(f[1]), {}, {}};
  for (auto kp : split(f[2], ';')) {
    if (kp.empty()) {
      return std::nullopt;
    }
    c.key_params.emplace_back(kp);
  }
  for (size_t i = 3; i < f.size(); ++i) {
    c.session_params.emplace_back(f[i]);
  }
  return c;
}

std::string format_crypto(const Crypto& crypto) {
  std::string out = std::to_string(crypto.tag) + ' ' + crypto.suite + ' ';
  for (size_t i = 0; i < crypto.key_params.size(); ++i) {
    out += (i ? ";" : "") + crypto.key_params[i];
  }
  for (const auto& p : crypto.session_params) {
    out += ' ' + p;
  }
  return out;
}

std::optional<RtpMap> static_payload_type(int payload_type) {
  // RFC 3551 §6, table 4: the audio entries a telephone peer may leave without an rtpmap.
  switch (payload_type) {
    case 0:
      return RtpMap{0, "PCMU", 8000, 1};
    case 3:
      return RtpMap{3, "GSM", 8000, 1};
    case 4:
      return RtpMap{4, "G723", 8000, 1};
    case 8:
      return RtpMap{8, "PCMA", 8000, 1};
    case 9:
      return RtpMap{9, "G722", 8000, 1};  // RFC 3551 §4.5.2: 8000 despite 16 kHz sampling
    case 13:
      return RtpMap{13, "CN", 8000, 1};
    case 18:
      return RtpMap{18, "G729", 8000, 1};
    default:
      return std::nullopt;
  }
}

const Attribute* find_attribute(const std::vector<Attribute>& attributes, std::string_view name) {
  for (const auto& a : attributes) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

bool has_attribute(const std::vector<Attribute>& attributes, std::string_view name) {
  return find_attribute(attributes, name) != nullptr;
}

std::optional<RtpMap> codec(const Media& media, int payload_type) {
  for (const auto& a : media.attributes) {
    if (a.name == "rtpmap" && a.value) {
      auto map = parse_rtpmap(*a.value);
      if (map && map->payload_type == payload_type) {
        return map;
      }
    }
  }
  return static_payload_type(payload_type);
}

CodecTable codec_table(const Media& media) {
  CodecTable table;
  std::array<bool, 128> mapped{};
  for (const auto& a : media.attributes) {
    if (a.name == "rtpmap" && a.value) {
      auto map = parse_rtpmap(*a.value);
      if (map && !mapped[map->payload_type]) {  // the first rtpmap wins, as in codec()
        mapped[map->payload_type] = true;
        table[map->payload_type] = std::move(map);
      }
    }
  }
  for (int pt = 0; pt < 128; ++pt) {
    if (!mapped[pt]) {
      table[pt] = static_payload_type(pt);
    }
  }
  return table;
}

std::optional<int> payload_type_of(std::string_view format) { return payload_type_number(format); }

std::vector<RtpMap> codecs(const Media& media) {
  std::vector<RtpMap> out;
  CodecTable table = codec_table(media);
  for (const auto& f : media.formats) {
    auto pt = payload_type_number(f);
    if (pt && table[*pt]) {
      out.push_back(*table[*pt]);
    }
  }
  return out;
}

std::optional<Fmtp> fmtp(const Media& media, int payload_type) {
  for (const auto& a : media.attributes) {
    if (a.name == "fmtp" && a.value) {
      auto f = parse_fmtp(*a.value);
      if (f && f->payload_type == payload_type) {
        return f;
      }
    }
  }
  return std::nullopt;
}

namespace {
std::optional<uint32_t> millis(const Media& media, std::string_view name) {
  const Attribute* a = find_attribute(media.attributes, name);
  if (!a || !a->value) {
    return std::nullopt;
  }
  // Some phones write "a=ptime:20.0"; the fraction is dropped.
  std::string_view v = *a->value;
  v = v.substr(0, v.find('.'));
  auto n = parse_number<uint32_t>(v);
  if (!n || *n == 0) {
    return std::nullopt;
  }
  return n;
}
}  // namespace

std::optional<uint32_t> ptime_ms(const Media& media) { return millis(media, "ptime"); }
std::optional<uint32_t> maxptime_ms(const Media& media) { return millis(media, "maxptime"); }

std::optional<Direction> direction_attribute(const std::vector<Attribute>& attributes) {
  for (const auto& a : attributes) {
    if (!a.value) {
      if (auto d = direction_from_name(a.name)) {
        return d;
      }
    }
  }
  return std::nullopt;
}

Direction direction(const SessionDescription& sdp, const Media& media) {
  if (auto d = direction_attribute(media.attributes)) {
    return *d;
  }
  return direction_attribute(sdp.attributes).value_or(Direction::SendRecv);
}

std::optional<Rtcp> rtcp(const Media& media) {
  const Attribute* a = find_attribute(media.attributes, "rtcp");
  if (!a || !a->value) {
    return std::nullopt;
  }
  return parse_rtcp(*a->value);
}

bool has_rtcp_mux(const Media& media) { return has_attribute(media.attributes, "rtcp-mux"); }

std::vector<RtpMap> telephone_events(const Media& media) {
  std::vector<RtpMap> out;
  for (const auto& c : codecs(media)) {
    if (same_encoding(c.encoding, "telephone-event")) {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::vector<uint8_t>> telephone_event_range(const Media& media, int payload_type) {
  auto f = fmtp(media, payload_type);
  return parse_event_list(f ? std::string_view(f->parameters) : std::string_view("0-15"));
}

std::vector<Crypto> cryptos(const Media& media) {
  std::vector<Crypto> out;
  for (const auto& a : media.attributes) {
    if (a.name == "crypto" && a.value) {
      if (auto c = parse_crypto(*a.value)) {
        out.push_back(std::move(*c));
      }
    }
  }
  return out;
}

const Connection* connection(const SessionDescription& sdp, const Media& media) {
  if (!media.connections.empty()) {
    return &media.connections.front();
  }
  return sdp.connection ? &*sdp.connection : nullptr;
}

std::optional<std::vector<uint8_t>> parse_event_list(std::string_view list) {
  std::vector<uint8_t> events;
  for (auto part : split(list, ',')) {
    while (!part.empty() && is_blank(part.front())) {
      part.remove_prefix(1);
    }
    while (!part.empty() && is_blank(part.back())) {
      part.remove_suffix(1);
    }
    size_t dash = part.find('-');
    auto lo = parse_number<uint32_t>(part.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : parse_number<uint32_t>(part.substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *hi > 255) {
      return std::nullopt;
    }
    for (uint32_t e = *lo; e <= *hi; ++e) {
      events.push_back(static_cast<uint8_t>(e));
    }
  }
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  return events;
}

std::string format_event_list(const std::vector<uint8_t>& events) {
  std::string out;
  size_t i = 0;
  while (i < events.size()) {
    size_t j = i;
    while (j + 1 < events.size() && events[j + 1] == events[j] + 1) {
      ++j;
    }
    if (!out.empty()) {
      out += ',';
    }
    out += std::to_string(events[i]);
    if (j > i) {
      out += '-' + std::to_string(events[j]);
    }
    i = j + 1;
  }
  return out;
}

}  // namespace sb::media::sdp
