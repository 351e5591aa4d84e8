// media/rtp/rtcp_packet.h: RTCP compound packets (RFC 3550 §6.4-§6.6): SR, RR, SDES, BYE parsed
// into values (SDES text and BYE reason as views into the datagram) and built back.
// Not here: APP and feedback semantics (kept as RtcpUnknown), SRTCP, the sending schedule.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace sb::media::rtp {

enum class RtcpType : uint8_t { SR = 200, RR = 201, SDES = 202, BYE = 203, APP = 204 };
enum class SdesType : uint8_t {
  End = 0,
  CNAME = 1,
  NAME = 2,
  EMAIL = 3,
  PHONE = 4,
  LOC = 5,
  TOOL = 6,
  NOTE = 7,
  PRIV = 8
};

// RFC 3550 §6.4.1: one reception report block (24 bytes).
struct ReportBlock {
  uint32_t ssrc = 0;
  uint8_t fraction_lost = 0;      // fixed point, lost / expected * 256 in the last interval
  int32_t cumulative_lost = 0;    // 24-bit signed on the wire: -8388608..8388607
  uint32_t highest_sequence = 0;  // extended highest sequence number received
  uint32_t jitter = 0;            // interarrival jitter, RTP timestamp units
  uint32_t lsr = 0;               // middle 32 bits of the last SR's NTP timestamp, 0 if none
  uint32_t dlsr = 0;              // delay since that SR, 1/65536 s
  bool operator==(const ReportBlock&) const = default;
};

struct SenderReport {
  uint32_t ssrc = 0;
  uint64_t ntp_timestamp = 0;  // 32.32 fixed point seconds since 1900
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  std::vector<ReportBlock> reports;  // at most 31
  bool operator==(const SenderReport&) const = default;
};

struct ReceiverReport {
  uint32_t ssrc = 0;
  std::vector<ReportBlock> reports;  // at most 31
  bool operator==(const ReceiverReport&) const = default;
};

struct SdesItem {
  SdesType type = SdesType::CNAME;
  std::string_view text;  // at most 255 bytes; for PRIV, the prefix length byte and both strings
  bool operator==(const SdesItem&) const = default;
};
struct SdesChunk {
  uint32_t ssrc = 0;
  std::vector<SdesItem> items;
  bool operator==(const SdesChunk&) const = default;
};
struct SourceDescription {
  std::vector<SdesChunk> chunks;  // at most 31
  bool operator==(const SourceDescription&) const = default;
};

struct Goodbye {
  std::vector<uint32_t> ssrcs;  // at most 31
  std::string_view reason;      // empty when absent; at most 255 bytes
  bool operator==(const Goodbye&) const = default;
};

// Any other packet type (APP, RTPFB, PSFB, XR...): the header fields and the body after the
// 4-byte header, without padding.
struct RtcpUnknown {
  uint8_t packet_type = 0;
  uint8_t count = 0;  // the 5-bit RC/SC/subtype field
  std::span<const uint8_t> body;
  bool operator==(const RtcpUnknown& o) const {
    return packet_type == o.packet_type && count == o.count &&
           std::equal(body.begin(), body.end(), o.body.begin(), o.body.end());
  }
};

using RtcpPacket =
    std::variant<SenderReport, ReceiverReport, SourceDescription, Goodbye, RtcpUnknown>;

// Parses a compound RTCP datagram into its packets, in order. Views in the result point into
// `datagram`. Fails, without reading outside it, on an empty datagram, a version other than 2, a
// length field that runs past the end, a packet body too short for its count, an SDES item
// running past its chunk, padding on any but the last packet or a bad padding count.
// RFC 3550 §6.1 wants SR or RR first; that is not enforced (RFC 5506 reduced-size RTCP).
sb::Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const uint8_t> datagram);

// Appends one packet to `out` (a compound datagram is several appends). Fails, leaving `out`
// unchanged, when a count exceeds 31 or an SDES text or BYE reason exceeds 255 bytes, or a
// RtcpUnknown body is not a multiple of 4 bytes. Returns the number of bytes appended.
sb::Result<std::size_t> append_rtcp(std::vector<uint8_t>& out, const RtcpPacket& packet);

// RFC 5761 §4: on a port shared by RTP and RTCP, a datagram whose second byte (marker bit and
// payload type together) is 192..223 is RTCP; version 2 is required as well.
constexpr bool is_rtcp(std::span<const uint8_t> datagram) {
  return datagram.size() >= 2 && (datagram[0] >> 6) == 2 && datagram[1] >= 192 &&
         datagram[1] <= 223;
}

// The middle 32 bits of a 64-bit NTP timestamp, as LSR carries it (RFC 3550 §6.4.1).
constexpr uint32_t ntp_middle32(uint64_t ntp) { return static_cast<uint32_t>(ntp >> 16); }

}  // namespace sb::media::rtp
