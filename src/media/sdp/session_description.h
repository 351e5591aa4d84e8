// media/sdp/session_description.h: the SDP model (RFC 8866, formerly RFC 4566), its parser and
// serializer. Plain data and pure functions; no offer/answer logic (see offer_answer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sb::media::sdp {

// c= and the address part of o=: "IN IP4 192.0.2.1". The address keeps any "/ttl/count"
// multicast suffix as text.
struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";  // "IP4" or "IP6"; others are carried through
  std::string address;

  bool is_ipv6() const { return addr_type == "IP6"; }
  // RFC 3264 §8.4: the pre-3264 way of putting a stream on hold.
  bool is_hold_address() const { return address == "0.0.0.0" || address == "::"; }
  bool operator==(const Connection&) const = default;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";
  std::string session_id = "0";  // a numeric string; may exceed 64 bits in the wild
  uint64_t session_version = 0;
  Connection address;
  bool operator==(const Origin&) const = default;
};

// b=<bwtype>:<bandwidth>
struct Bandwidth {
  std::string type;  // "AS", "CT", "TIAS", ...
  uint64_t value = 0;
  bool operator==(const Bandwidth&) const = default;
};

// t=<start> <stop>, with its r= lines kept as text.
struct Timing {
  uint64_t start = 0;
  uint64_t stop = 0;
  std::vector<std::string> repeats;
  bool operator==(const Timing&) const = default;
};

// a=<name>[:<value>]: a property attribute has no value; "a=x:" has an empty one.
struct Attribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Attribute&) const = default;
};

// A line whose type letter this model does not know, carried through unchanged.
struct OtherLine {
  char type = 'x';
  std::string value;
  bool operator==(const OtherLine&) const = default;
};

// m=<media> <port>[/<count>] <proto> <fmt> ... and the lines that follow it.
struct Media {
  std::string media = "audio";  // "audio", "video", "application", "text", ...
  uint16_t port = 0;            // 0 rejects or disables the stream (RFC 3264 §6)
  std::optional<uint32_t> port_count;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;  // RTP payload type numbers for RTP protos
  std::optional<std::string> title;  // i=
  std::vector<Connection> connections;
  std::vector<Bandwidth> bandwidths;
  std::optional<std::string> key;  // k= (obsolete, carried)
  std::vector<Attribute> attributes;
  std::vector<OtherLine> other_lines;

  bool is_rtp() const { return proto.find("RTP/") != std::string::npos; }
  bool is_srtp() const { return proto.find("RTP/SAVP") != std::string::npos; }
  bool operator==(const Media&) const = default;
};

struct SessionDescription {
  Origin origin;
  std::string session_name = "-";
  std::optional<std::string> info;  // i=
  std::optional<std::string> uri;   // u=
  std::vector<std::string> emails;  // e=
  std::vector<std::string> phones;  // p=
  std::optional<Connection> connection;
  std::vector<Bandwidth> bandwidths;
  std::vector<Timing> timings;      // at least one after a successful parse
  std::optional<std::string> zone;  // z=, as text
  std::optional<std::string> key;   // k=
  std::vector<Attribute> attributes;
  std::vector<OtherLine> other_lines;
  std::vector<Media> media;

  bool operator==(const SessionDescription&) const = default;
};

// Parses an SDP body. Tolerates LF-only line ends, trailing blanks, blank lines, lines out of
// RFC order within a section and unknown line types and attributes (carried through). Fails on
// what a peer cannot have meant: v= not first or not 0, missing o=, s= or t=, a malformed o=,
// c=, m=, t=, b= line, a duplicate single line. The error's `where` is "line N".
Result<SessionDescription> parse(std::string_view text);

// Writes the description with CRLF line ends in RFC 8866 §5 order. parse(serialize(x)) == x
// for any x that parse() returned.
std::string serialize(const SessionDescription& sdp);

}  // namespace sb::media::sdp
