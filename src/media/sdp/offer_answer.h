// media/sdp/offer_answer.h: the RFC 3264 offer/answer model as pure functions: our offer from
// local capabilities, the answer to a remote offer, and what an offer/answer pair negotiated.
// No I/O and no randomness: ports, addresses, session ids and SRTP keys come from the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "media/sdp/attributes.h"
#include "media/sdp/session_description.h"

namespace sb::media::sdp {

// One codec we can run, in preference order.
struct CodecCapability {
  std::string encoding;  // matched case-insensitively: "PCMU", "opus"
  uint32_t clock_rate = 8000;
  uint32_t channels = 1;
  std::optional<int> static_pt;  // RFC 3551 number (0 PCMU, 8 PCMA, 9 G722); else dynamic
  std::string fmtp;              // our a=fmtp parameters, empty for none
};

// What this media engine supports; the same for every call.
struct LocalCapabilities {
  std::vector<CodecCapability> codecs;  // preference order; must not be empty to accept
  bool telephone_event = true;          // RFC 4733 DTMF
  int telephone_event_pt = 101;         // the PT we use in our own offers
  std::string telephone_event_events = "0-16";
  std::vector<std::string> protos = {"RTP/AVP"};  // e.g. add "RTP/SAVP" for SDES-SRTP
  bool accept_srtp = false;  // SDES (RFC 4568); also needs the SAVP proto in `protos`
  std::vector<std::string> crypto_suites = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"};
  bool rtcp_mux = true;              // accept rtcp-mux when offered; offer it ourselves
  std::optional<uint32_t> ptime_ms;  // put in our offers; answers echo the offer's
  std::string session_name = "Switchboard";
  std::string username = "switchboard";
};

// Where this call's media lives on our side, and what we want to do with it.
struct LocalEndpoint {
  Connection address;                         // our RTP address ("IN IP4 192.0.2.10")
  uint16_t rtp_port = 0;                      // for the one audio stream we accept
  std::string session_id = "1";               // used when there is no previous local description
  Direction direction = Direction::SendRecv;  // SendOnly/Inactive to hold the remote side
  std::string srtp_inline_key;  // base64 key||salt for our a=crypto line, when SRTP is used
  bool offer_srtp = false;      // make_offer: RTP/SAVP with a=crypto instead of RTP/AVP
};

// RFC 3264 §6.1: the direction an answerer uses for an offered direction, narrowed by what
// the answerer itself wants (`local`).
Direction answer_direction(Direction offered, Direction local);

// The direction a description effectively states for a stream: its a= direction (media over
// session), but RFC 3264 §8.4 old-style hold (c=0.0.0.0) means its sender cannot receive:
// sendrecv becomes sendonly, recvonly becomes inactive.
Direction effective_direction(const SessionDescription& sdp, const Media& media);

// Our offer: one audio m-line with our codecs in preference order (static PTs where they
// have one, dynamic from 96 up otherwise), telephone-event, ptime, rtcp-mux, direction.
// With `previous` (the last description we sent in this session) the session id is kept and
// the version is previous + 1 if anything changed, else the same (RFC 3264 §8).
SessionDescription make_offer(const LocalCapabilities& caps, const LocalEndpoint& local,
                              const SessionDescription* previous = nullptr);

// The answer to `offer`: the same number of m-lines in the same order (RFC 3264 §6). The first
// audio stream with a supported proto and a common codec is accepted with the codecs in common
// in the offer's order and the offer's payload type numbers, plus telephone-event if both
// have it; every other stream is rejected with port 0. Fails only when the offer has no
// m-lines (nothing can be answered); an answer that rejects everything is a value, not an error.
Result<SessionDescription> build_answer(const SessionDescription& offer,
                                        const LocalCapabilities& caps, const LocalEndpoint& local,
                                        const SessionDescription* previous = nullptr);

// Sets `next.origin` from `previous` (RFC 3264 §8: same session id and username, version
// incremented only when the description changed). Without `previous`, leaves it as is.
void apply_origin_version(SessionDescription& next, const SessionDescription* previous);

// One side's RTP transport as the other side must address it.
struct RtpEndpoint {
  std::string address;
  uint16_t rtp_port = 0;
  uint16_t rtcp_port = 0;  // a=rtcp if given, the RTP port with rtcp-mux, else RTP port + 1
};

// What an offer/answer pair agreed for the first accepted audio stream.
struct Negotiated {
  size_t m_line = 0;
  RtpMap codec;                           // first common codec; offerer's PT number
  std::optional<int> telephone_event_pt;  // when both listed telephone-event
  Direction offerer_direction = Direction::SendRecv;
  Direction answerer_direction = Direction::SendRecv;
  RtpEndpoint offerer;
  RtpEndpoint answerer;
  uint32_t ptime_ms = 20;                // the answer's, else the offer's, else 20
  bool rtcp_mux = false;                 // both sides listed it
  std::optional<Crypto> offerer_crypto;  // SDES: the offer's line with the answered tag
  std::optional<Crypto> answerer_crypto;
};

// Reads the result of an offer/answer exchange. Fails when the m-line counts differ or no
// audio stream was accepted with a codec from the offer.
Result<Negotiated> negotiated(const SessionDescription& offer, const SessionDescription& answer);

}  // namespace sb::media::sdp
