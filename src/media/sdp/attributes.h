// media/sdp/attributes.h: typed readers for the attributes a call center negotiates: rtpmap,
// fmtp, ptime, direction, rtcp (RFC 3605), rtcp-mux, telephone-event, crypto (RFC 4568).
// Readers only look; a malformed attribute reads as absent, never as an error.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/session_description.h"

namespace sb::media::sdp {

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
struct RtpMap {
  int payload_type = 0;
  std::string encoding;  // as written ("PCMU", "opus", "telephone-event")
  uint32_t clock_rate = 8000;
  uint32_t channels = 1;
  bool operator==(const RtpMap&) const = default;
};

// a=fmtp:<payload type> <parameters>
struct Fmtp {
  int payload_type = 0;
  std::string parameters;
  bool operator==(const Fmtp&) const = default;
};

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

// a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605)
struct Rtcp {
  uint16_t port = 0;
  std::optional<Connection> address;
  bool operator==(const Rtcp&) const = default;
};

// a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] (RFC 4568 SDES), kept as data.
struct Crypto {
  uint32_t tag = 0;
  std::string suite;                    // "AES_CM_128_HMAC_SHA1_80"
  std::vector<std::string> key_params;  // "inline:<key||salt>[|lifetime][|MKI:len]", split on ';'
  std::vector<std::string> session_params;  // "UNENCRYPTED_SRTCP", "KDR=..."
  bool operator==(const Crypto&) const = default;
};

std::string_view direction_name(Direction d);
std::optional<Direction> direction_from_name(std::string_view name);

std::optional<RtpMap> parse_rtpmap(std::string_view value);
std::optional<Fmtp> parse_fmtp(std::string_view value);
std::optional<Rtcp> parse_rtcp(std::string_view value);
std::optional<Crypto> parse_crypto(std::string_view value);
std::string format_rtpmap(const RtpMap& map);
std::string format_crypto(const Crypto& crypto);

// RFC 3551 §6 static payload types (PCMU 0, GSM 3, G723 4, PCMA 8, G722 9, ...).
std::optional<RtpMap> static_payload_type(int payload_type);

// Case-insensitive equality for encoding names.
bool same_encoding(std::string_view a, std::string_view b);

// The first attribute with that name, or nullptr.
const Attribute* find_attribute(const std::vector<Attribute>& attributes, std::string_view name);
bool has_attribute(const std::vector<Attribute>& attributes, std::string_view name);

// The codec behind a payload type of an m-line: its rtpmap, else the static table.
std::optional<RtpMap> codec(const Media& media, int payload_type);
// The codec of every payload type 0..127 (rtpmap, else static), in one pass over the
// attributes; use it instead of codec() in loops over formats.
using CodecTable = std::array<std::optional<RtpMap>, 128>;
CodecTable codec_table(const Media& media);
// The payload type a format names ("8", "08"), or nullopt for a non-RTP or bad format.
std::optional<int> payload_type_of(std::string_view format);
// Every format of the m-line that is a payload type with a known codec, in m-line order.
std::vector<RtpMap> codecs(const Media& media);
std::optional<Fmtp> fmtp(const Media& media, int payload_type);
std::optional<uint32_t> ptime_ms(const Media& media);
std::optional<uint32_t> maxptime_ms(const Media& media);
std::optional<Direction> direction_attribute(const std::vector<Attribute>& attributes);
// RFC 8866 §6.7: the media direction overrides the session's; sendrecv when neither says.
Direction direction(const SessionDescription& sdp, const Media& media);
std::optional<Rtcp> rtcp(const Media& media);
bool has_rtcp_mux(const Media& media);
// The telephone-event payload types (RFC 4733) with their clock rates.
std::vector<RtpMap> telephone_events(const Media& media);
// The events a telephone-event payload type carries: its a=fmtp list, else 0-15 (RFC 4733
// §7.1.1); nullopt when the fmtp list is malformed.
std::optional<std::vector<uint8_t>> telephone_event_range(const Media& media, int payload_type);
std::vector<Crypto> cryptos(const Media& media);
// The media's connection (its first c=), else the session's; nullptr when neither has one.
const Connection* connection(const SessionDescription& sdp, const Media& media);

// Parses "0-15,16" style event lists (RFC 4733 §2.4.1) into the event codes, sorted and
// unique; nullopt when malformed. Events are 0..255.
std::optional<std::vector<uint8_t>> parse_event_list(std::string_view list);
std::string format_event_list(const std::vector<uint8_t>& events);

}  // namespace sb::media::sdp
