// media/rtp/rtcp_packet.cc: RTCP compound parsing and building (RFC 3550 §6.4-§6.6).
#include "media/rtp/rtcp_packet.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

#include "media/rtp/byte_io.h"

namespace sb::media::rtp {

namespace {

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::size_t kMaxCount = 31;

sb::Error fail(std::string message, std::string where = "rtcp") {
  return sb::Error{std::move(message), std::move(where)};
}

ReportBlock read_report_block(std::span<const uint8_t> b, std::size_t at) {
  ReportBlock r;
  r.ssrc = read_u32(b, at);
  r.fraction_lost = b[at + 4];
  // 24-bit two's complement, sign-extended.
  const uint32_t raw = read_u24(b, at + 5);
  r.cumulative_lost =
      (raw & 0x800000) ? static_cast<int32_t>(raw) - 0x1000000 : static_cast<int32_t>(raw);
  r.highest_sequence = read_u32(b, at + 8);
  r.jitter = read_u32(b, at + 12);
  r.lsr = read_u32(b, at + 16);
  r.dlsr = read_u32(b, at + 20);
  return r;
}

sb::Result<std::vector<ReportBlock>> read_report_blocks(std::span<const uint8_t> body,
                                                        std::size_t at, std::size_t count) {
  if ((body.size() - at) / kReportBlockSize < count) {
    return fail("RTCP report blocks run past the packet", "rtcp.report_block");
  }
  std::vector<ReportBlock> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(read_report_block(body, at + i * kReportBlockSize));
  }
  // Anything after the blocks is a profile-specific extension (§6.4.1); it is skipped.
  return out;
}

sb::Result<RtcpPacket> parse_sr(std::span<const uint8_t> body, std::size_t count) {
  if (body.size() < 24) {
    return fail("RTCP SR shorter than its sender info", "rtcp.sr");
  }
  SenderReport sr;
  sr.ssrc = read_u32(body, 0);
  sr.ntp_timestamp = read_u64(body, 4);
  sr.rtp_timestamp = read_u32(body, 12);
  sr.packet_count = read_u32(body, 16);
  sr.octet_count = read_u32(body, 20);
  auto blocks = read_report_blocks(body, 24, count);
  if (!blocks) {
    return blocks.error();
  }
  sr.reports = std::move(*blocks);
  return RtcpPacket{std::move(sr)};
}

sb::Result<RtcpPacket> parse_rr(std::span<const uint8_t> body, std::size_t count) {
  if (body.size() < 4) {
    return fail("RTCP RR shorter than its SSRC", "rtcp.rr");
  }
  ReceiverReport rr;
  rr.ssrc = read_u32(body, 0);
  auto blocks = read_report_blocks(body, 4, count);
  if (!blocks) {
    return blocks.error();
  }
  rr.reports = std::move(*blocks);
  return RtcpPacket{std::move(rr)};
}

std::string_view as_text(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

sb::Result<RtcpPacket> parse_sdes(std::span<const uint8_t> body, std::size_t count) {
  SourceDescription sdes;
  std::size_t at = 0;
  for (std::size_t c = 0; c < count; ++c) {
    if (body.size() - at < 4) {
      return fail("RTCP SDES chunk runs past the packet", "rtcp.sdes");
    }
    SdesChunk chunk;
    chunk.ssrc = read_u32(body, at);
    at += 4;
    // §6.5: items until a null octet, then null octets to the next 32-bit boundary.
    while (true) {
      if (at >= body.size()) {
        return fail("RTCP SDES chunk has no terminating null item", "rtcp.sdes");
      }
      const uint8_t type = body[at];
      if (type == 0) {
        break;
      }
      if (body.size() - at < 2) {
        return fail("RTCP SDES item header runs past the packet", "rtcp.sdes");
      }
      const std::size_t len = body[at + 1];
      at += 2;
      if (body.size() - at < len) {
        return fail("RTCP SDES item text runs past the packet", "rtcp.sdes");
      }
      chunk.items.push_back({static_cast<SdesType>(type), as_text(body.subspan(at, len))});
      at += len;
    }
    // `at` is on the null octet: step past it and pad to the boundary.
    at = (at + 4) & ~std::size_t{3};
    if (at > body.size()) {
      return fail("RTCP SDES chunk padding runs past the packet", "rtcp.sdes");
    }
    sdes.chunks.push_back(std::move(chunk));
  }
  return RtcpPacket{std::move(sdes)};
}

sb::Result<RtcpPacket> parse_bye(std::span<const uint8_t> body, std::size_t count) {
  if (body.size() / 4 < count) {
    return fail("RTCP BYE SSRC list runs past the packet", "rtcp.bye");
  }
  Goodbye bye;
  for (std::size_t i = 0; i < count; ++i) {
    bye.ssrcs.push_back(read_u32(body, i * 4));
  }
  const std::size_t at = count * 4;
  if (at < body.size()) {
    const std::size_t len = body[at];
    if (body.size() - at - 1 < len) {
      return fail("RTCP BYE reason runs past the packet", "rtcp.bye");
    }
    bye.reason = as_text(body.subspan(at + 1, len));
  }
  return RtcpPacket{std::move(bye)};
}

// Writes the 4-byte header with a placeholder length, returns where it starts.
std::size_t begin_packet(std::vector<uint8_t>& out, std::size_t count, RtcpType type) {
  const std::size_t start = out.size();
  put_u8(out, static_cast<uint8_t>(0x80 | count));
  put_u8(out, static_cast<uint8_t>(type));
  put_u16(out, 0);
  return start;
}

// Pads to 32 bits with zeros (the SDES way) and fills in the length in words minus one.
std::size_t end_packet(std::vector<uint8_t>& out, std::size_t start) {
  while ((out.size() - start) % 4 != 0) {
    out.push_back(0);
  }
  const std::size_t words = (out.size() - start) / 4 - 1;
  out[start + 2] = static_cast<uint8_t>(words >> 8);
  out[start + 3] = static_cast<uint8_t>(words);
  return out.size() - start;
}

void put_report_block(std::vector<uint8_t>& out, const ReportBlock& r) {
  put_u32(out, r.ssrc);
  put_u8(out, r.fraction_lost);
  // Clamp to the 24-bit signed range (RFC 3550 A.3).
  const int32_t lost = std::clamp<int32_t>(r.cumulative_lost, -0x800000, 0x7FFFFF);
  put_u24(out, static_cast<uint32_t>(lost) & 0xFFFFFF);
  put_u32(out, r.highest_sequence);
  put_u32(out, r.jitter);
  put_u32(out, r.lsr);
  put_u32(out, r.dlsr);
}

}  // namespace

sb::Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const uint8_t> datagram) {
  if (datagram.empty()) {
    return fail("RTCP datagram is empty");
  }
  std::vector<RtcpPacket> out;
  std::size_t at = 0;
  while (at < datagram.size()) {
    if (datagram.size() - at < kHeaderSize) {
      return fail("RTCP packet header runs past the datagram");
    }
    const uint8_t b0 = datagram[at];
    if ((b0 >> 6) != 2) {
      return fail("RTCP version is " + std::to_string(b0 >> 6) + ", not 2", "rtcp.version");
    }
    const bool padding = (b0 & 0x20) != 0;
    const std::size_t count = b0 & 0x1F;
    const uint8_t type = datagram[at + 1];
    const std::size_t size = (std::size_t{read_u16(datagram, at + 2)} + 1) * 4;
    if (datagram.size() - at < size) {
      return fail("RTCP packet length runs past the datagram", "rtcp.length");
    }
    auto body = datagram.subspan(at + kHeaderSize, size - kHeaderSize);
    if (padding) {
      // RFC 3550 A.2: only the last packet of a compound may be padded.
      if (at + size != datagram.size()) {
        return fail("RTCP padding on a packet that is not the last", "rtcp.padding");
      }
      const uint8_t pad = body.empty() ? 0 : body.back();
      if (pad == 0 || pad > body.size()) {
        return fail("RTCP padding count is 0 or longer than the packet", "rtcp.padding");
      }
      body = body.first(body.size() - pad);
    }
    sb::Result<RtcpPacket> packet =
        RtcpPacket{RtcpUnknown{type, static_cast<uint8_t>(count), body}};
    switch (static_cast<RtcpType>(type)) {
      case RtcpType::SR:
        packet = parse_sr(body, count);
        break;
      case RtcpType::RR:
        packet = parse_rr(body, count);
        break;
      case RtcpType::SDES:
        packet = parse_sdes(body, count);
        break;
      case RtcpType::BYE:
        packet = parse_bye(body, count);
        break;
      default:
        break;
    }
    if (!packet) {
      return packet.error();
    }
    out.push_back(std::move(*packet));
    at += size;
  }
  return out;
}

sb::Result<std::size_t> append_rtcp(std::vector<uint8_t>& out, const RtcpPacket& packet) {
  const std::size_t before = out.size();
  auto written = std::visit(
      [&out](const auto& p) -> sb::Result<std::size_t> {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, SenderReport>) {
          if (p.reports.size() > kMaxCount) {
            return fail("RTCP SR can carry at most 31 report blocks", "rtcp.sr");
          }
          const auto start = begin_packet(out, p.reports.size(), RtcpType::SR);
          put_u32(out, p.ssrc);
          put_u64(out, p.ntp_timestamp);
          put_u32(out, p.rtp_timestamp);
          put_u32(out, p.packet_count);
          put_u32(out, p.octet_count);
          for (const auto& r : p.reports) {
            put_report_block(out, r);
          }
          return end_packet(out, start);
        } else if constexpr (std::is_same_v<T, ReceiverReport>) {
          if (p.reports.size() > kMaxCount) {
            return fail("RTCP RR can carry at most 31 report blocks", "rtcp.rr");
          }
          const auto start = begin_packet(out, p.reports.size(), RtcpType::RR);
          put_u32(out, p.ssrc);
          for (const auto& r : p.reports) {
            put_report_block(out, r);
          }
          return end_packet(out, start);
        } else if constexpr (std::is_same_v<T, SourceDescription>) {
          if (p.chunks.size() > kMaxCount) {
            return fail("RTCP SDES can carry at most 31 chunks", "rtcp.sdes");
          }
          for (const auto& chunk : p.chunks) {
            for (const auto& item : chunk.items) {
              if (item.text.size() > 255 || item.type == SdesType::End) {
                return fail("RTCP SDES item is longer than 255 bytes or has type 0", "rtcp.sdes");
              }
            }
          }
          const auto start = begin_packet(out, p.chunks.size(), RtcpType::SDES);
          for (const auto& chunk : p.chunks) {
            put_u32(out, chunk.ssrc);
            for (const auto& item : chunk.items) {
              put_u8(out, static_cast<uint8_t>(item.type));
              put_u8(out, static_cast<uint8_t>(item.text.size()));
              out.insert(out.end(), item.text.begin(), item.text.end());
            }
            // §6.5: at least one null octet ends the item list, then pad to 32 bits.
            out.push_back(0);
            while ((out.size() - start) % 4 != 0) {
              out.push_back(0);
            }
          }
          return end_packet(out, start);
        } else if constexpr (std::is_same_v<T, Goodbye>) {
          if (p.ssrcs.size() > kMaxCount || p.reason.size() > 255) {
            return fail("RTCP BYE has more than 31 SSRCs or a reason over 255 bytes", "rtcp.bye");
          }
          const auto start = begin_packet(out, p.ssrcs.size(), RtcpType::BYE);
          for (const uint32_t s : p.ssrcs) {
            put_u32(out, s);
          }
          if (!p.reason.empty()) {
            put_u8(out, static_cast<uint8_t>(p.reason.size()));
            out.insert(out.end(), p.reason.begin(), p.reason.end());
          }
          return end_packet(out, start);
        } else {
          if (p.count > kMaxCount || p.body.size() % 4 != 0) {
            return fail("RTCP packet count above 31 or body not a multiple of 4 bytes");
          }
          const std::size_t start = out.size();
          put_u8(out, static_cast<uint8_t>(0x80 | p.count));
          put_u8(out, p.packet_type);
          put_u16(out, 0);
          out.insert(out.end(), p.body.begin(), p.body.end());
          return end_packet(out, start);
        }
      },
      packet);
  // The length field counts at most 65536 words (an SDES with many long items could need more).
  if (written && *written > 0x10000 * 4) {
    out.resize(before);
    return fail("RTCP packet longer than 65536 words");
  }
  return written;
}

}  // namespace sb::media::rtp
