// media/rtp/rtp_packet.cc: RTP header parsing and building (RFC 3550 §5.1, §5.3.1; RFC 8285).
#include "media/rtp/rtp_packet.h"

#include <string>
#include <utility>

#include "media/rtp/byte_io.h"

namespace sb::media::rtp {

uint32_t RtpPacket::csrc(std::size_t i) const { return read_u32(csrcs, i * 4); }

sb::Result<RtpPacket> parse_rtp(std::span<const uint8_t> datagram) {
  if (datagram.size() < kRtpFixedHeaderSize) {
    return sb::Error{"RTP packet shorter than the 12-byte fixed header", "rtp"};
  }
  const uint8_t b0 = datagram[0];
  if ((b0 >> 6) != kRtpVersion) {
    return sb::Error{"RTP version is " + std::to_string(b0 >> 6) + ", not 2", "rtp.version"};
  }
  RtpPacket p;
  const bool padding = (b0 & 0x20) != 0;
  p.has_extension = (b0 & 0x10) != 0;
  const std::size_t cc = b0 & 0x0F;
  p.marker = (datagram[1] & 0x80) != 0;
  p.payload_type = datagram[1] & 0x7F;
  p.sequence_number = read_u16(datagram, 2);
  p.timestamp = read_u32(datagram, 4);
  p.ssrc = read_u32(datagram, 8);

  std::size_t at = kRtpFixedHeaderSize;
  if (datagram.size() - at < cc * 4) {
    return sb::Error{"RTP CSRC list runs past the end of the packet", "rtp.csrc"};
  }
  p.csrcs = datagram.subspan(at, cc * 4);
  at += cc * 4;

  if (p.has_extension) {
    if (datagram.size() - at < 4) {
      return sb::Error{"RTP header extension header runs past the end", "rtp.extension"};
    }
    p.extension_profile = read_u16(datagram, at);
    // RFC 3550 §5.3.1: the length counts 32-bit words after the 4-byte extension header.
    const std::size_t words = read_u16(datagram, at + 2);
    at += 4;
    if ((datagram.size() - at) / 4 < words) {
      return sb::Error{"RTP header extension runs past the end of the packet", "rtp.extension"};
    }
    p.extension_data = datagram.subspan(at, words * 4);
    at += words * 4;
  }

  std::size_t end = datagram.size();
  if (padding) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included.
    const uint8_t count = datagram[end - 1];
    if (count == 0) {
      return sb::Error{"RTP padding count is 0", "rtp.padding"};
    }
    if (count > end - at) {
      return sb::Error{"RTP padding is longer than the payload", "rtp.padding"};
    }
    p.padding_size = count;
    end -= count;
  }
  p.payload = datagram.subspan(at, end - at);
  return p;
}

sb::Result<std::vector<RtpExtensionElement>> parse_extension_elements(const RtpPacket& packet) {
  std::vector<RtpExtensionElement> out;
  const auto body = packet.extension_data;
  if (!packet.has_extension) {
    return out;
  }
  if (packet.extension_profile == kOneByteExtensionProfile) {
    // RFC 8285 §4.2: ID (4 bits), L (4 bits) = length - 1; ID 0 is a padding byte, ID 15 stops.
    std::size_t at = 0;
    while (at < body.size()) {
      const uint8_t id = body[at] >> 4;
      if (id == 0) {
        ++at;
        continue;
      }
      if (id == 15) {
        break;
      }
      const std::size_t len = (body[at] & 0x0F) + 1u;
      ++at;
      if (body.size() - at < len) {
        return sb::Error{"RTP one-byte extension element runs past the extension", "rtp.extension"};
      }
      out.push_back({id, body.subspan(at, len)});
      at += len;
    }
    return out;
  }
  if ((packet.extension_profile & kTwoByteExtensionProfileMask) == kTwoByteExtensionProfile) {
    // RFC 8285 §4.3: ID (8 bits), length (8 bits, may be 0); ID 0 is a padding byte.
    std::size_t at = 0;
    while (at < body.size()) {
      const uint8_t id = body[at];
      if (id == 0) {
        ++at;
        continue;
      }
      if (body.size() - at < 2) {
        return sb::Error{"RTP two-byte extension element header runs past the extension",
                         "rtp.extension"};
      }
      const std::size_t len = body[at + 1];
      at += 2;
      if (body.size() - at < len) {
        return sb::Error{"RTP two-byte extension element runs past the extension", "rtp.extension"};
      }
      out.push_back({id, body.subspan(at, len)});
      at += len;
    }
    return out;
  }
  return sb::Error{"RTP header extension is not in the RFC 8285 one-byte or two-byte form",
                   "rtp.extension"};
}

sb::Result<std::vector<uint8_t>> build_rtp(const RtpHeaderFields& header,
                                           std::span<const uint8_t> payload) {
  if (header.csrcs.size() > 15) {
    return sb::Error{"RTP packet can carry at most 15 CSRCs", "rtp.csrc"};
  }
  if (header.payload_type > 127) {
    return sb::Error{"RTP payload type must be below 128", "rtp.payload_type"};
  }
  const std::size_t ext_words = (header.extension_data.size() + 3) / 4;
  if (header.has_extension && ext_words > 0xFFFF) {
    return sb::Error{"RTP header extension is longer than 65535 words", "rtp.extension"};
  }
  std::vector<uint8_t> out;
  out.reserve(kRtpFixedHeaderSize + header.csrcs.size() * 4 + 4 + ext_words * 4 + payload.size() +
              header.padding_size);
  put_u8(out, static_cast<uint8_t>((kRtpVersion << 6) | (header.padding_size ? 0x20 : 0) |
                                   (header.has_extension ? 0x10 : 0) | header.csrcs.size()));
  put_u8(out, static_cast<uint8_t>((header.marker ? 0x80 : 0) | header.payload_type));
  put_u16(out, header.sequence_number);
  put_u32(out, header.timestamp);
  put_u32(out, header.ssrc);
  for (const uint32_t c : header.csrcs) {
    put_u32(out, c);
  }
  if (header.has_extension) {
    put_u16(out, header.extension_profile);
    put_u16(out, static_cast<uint16_t>(ext_words));
    out.insert(out.end(), header.extension_data.begin(), header.extension_data.end());
    out.resize(out.size() + (ext_words * 4 - header.extension_data.size()), 0);
  }
  out.insert(out.end(), payload.begin(), payload.end());
  if (header.padding_size > 0) {
    out.resize(out.size() + header.padding_size - 1, 0);
    out.push_back(header.padding_size);
  }
  return out;
}

sb::Result<bool> set_extension_elements(RtpHeaderFields& header,
                                        std::span<const RtpExtensionElement> elements) {
  bool one_byte = true;
  for (const auto& e : elements) {
    if (e.id == 0) {
      return sb::Error{"RTP extension element id 0 is reserved for padding", "rtp.extension"};
    }
    if (e.data.size() > 255) {
      return sb::Error{"RTP extension element longer than 255 bytes", "rtp.extension"};
    }
    if (e.id >= 15 || e.data.empty() || e.data.size() > 16) {
      one_byte = false;
    }
  }
  std::vector<uint8_t> body;
  for (const auto& e : elements) {
    if (one_byte) {
      body.push_back(static_cast<uint8_t>((e.id << 4) | (e.data.size() - 1)));
    } else {
      body.push_back(e.id);
      body.push_back(static_cast<uint8_t>(e.data.size()));
    }
    body.insert(body.end(), e.data.begin(), e.data.end());
  }
  header.has_extension = true;
  header.extension_profile = one_byte ? kOneByteExtensionProfile : kTwoByteExtensionProfile;
  header.extension_data = std::move(body);
  return one_byte;
}

}  // namespace sb::media::rtp
