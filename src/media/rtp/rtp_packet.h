// media/rtp/rtp_packet.h: the RTP fixed header (RFC 3550 §5.1) as a zero-copy view over a received
// datagram, its header extension (RFC 3550 §5.3.1, RFC 8285 elements), and a builder.
// Not here: SRTP, payload formats, sequence tracking (sequence.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace sb::media::rtp {

inline constexpr std::size_t kRtpFixedHeaderSize = 12;
inline constexpr uint8_t kRtpVersion = 2;
// RFC 8285 §4.2 and §4.3: the "defined by profile" values of the two element forms.
inline constexpr uint16_t kOneByteExtensionProfile = 0xBEDE;
inline constexpr uint16_t kTwoByteExtensionProfileMask = 0xFFF0;
inline constexpr uint16_t kTwoByteExtensionProfile = 0x1000;

// A parsed RTP packet. The spans point into the buffer given to parse_rtp(), which must outlive
// the view.
struct RtpPacket {
  bool marker = false;
  uint8_t payload_type = 0;  // 7 bits
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  std::span<const uint8_t> csrcs;  // csrc_count() * 4 bytes, big-endian identifiers
  bool has_extension = false;
  uint16_t extension_profile = 0;           // "defined by profile", when has_extension
  std::span<const uint8_t> extension_data;  // the extension body, without its 4-byte header
  std::span<const uint8_t> payload;         // without the padding
  uint8_t padding_size = 0;                 // 0 when the P bit is clear

  std::size_t csrc_count() const { return csrcs.size() / 4; }
  uint32_t csrc(std::size_t i) const;  // i < csrc_count()
};

// Parses a datagram as RTP. Fails, without reading outside `datagram`, when it is shorter than
// its header says, the version is not 2, the padding count is 0 or larger than the room after the
// header. Accepts any payload type (demultiplexing RTCP on one port is the caller's job,
// RFC 5761 §4).
sb::Result<RtpPacket> parse_rtp(std::span<const uint8_t> datagram);

// One element of an RFC 8285 header extension.
struct RtpExtensionElement {
  uint8_t id = 0;                 // 1..14 (one-byte form) or 1..255 (two-byte form)
  std::span<const uint8_t> data;  // a view into the packet
};

// The elements of an RFC 8285 one-byte (0xBEDE) or two-byte (0x100X) extension, in order,
// skipping padding bytes. One-byte: id 15 stops parsing (§4.2). Fails when an element runs past
// the extension body or the profile is neither form (a plain RFC 3550 extension has no elements).
sb::Result<std::vector<RtpExtensionElement>> parse_extension_elements(const RtpPacket& packet);

// What build_rtp() writes. The extension body is padded with zero bytes to a multiple of 4.
struct RtpHeaderFields {
  bool marker = false;
  uint8_t payload_type = 0;  // must be < 128
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  std::vector<uint32_t> csrcs;  // at most 15
  bool has_extension = false;
  uint16_t extension_profile = 0;
  std::vector<uint8_t> extension_data;
  uint8_t padding_size = 0;  // 0, or the total padding bytes including the count byte
};

// Serializes a packet. Fails on more than 15 CSRCs, a payload type above 127 or an extension body
// longer than 65535 words.
sb::Result<std::vector<uint8_t>> build_rtp(const RtpHeaderFields& header,
                                           std::span<const uint8_t> payload);

// Serializes RFC 8285 elements into an extension body: the one-byte form when every id is 1..14
// and every element is 1..16 bytes, else the two-byte form. Sets profile and data on `header`.
// Fails on id 0 or an element longer than 255 bytes. Returns true when the one-byte form was used.
sb::Result<bool> set_extension_elements(RtpHeaderFields& header,
                                        std::span<const RtpExtensionElement> elements);

}  // namespace sb::media::rtp
