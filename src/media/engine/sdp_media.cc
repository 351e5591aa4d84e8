// media/engine/sdp_media.cc
#include "media/engine/sdp_media.h"

namespace sb::media::engine {
namespace {

MediaDirection to_engine(sdp::Direction d) {
  switch (d) {
    case sdp::Direction::SendRecv: return MediaDirection::SendRecv;
    case sdp::Direction::SendOnly: return MediaDirection::SendOnly;
    case sdp::Direction::RecvOnly: return MediaDirection::RecvOnly;
    case sdp::Direction::Inactive: return MediaDirection::Inactive;
  }
  return MediaDirection::SendRecv;
}

}  // namespace

sdp::LocalCapabilities engine_capabilities() {
  sdp::LocalCapabilities caps;
  caps.codecs = {
      {"opus", 48000, 2, std::nullopt, "useinbandfec=1;minptime=10"},
      {"G722", 8000, 1, 9, ""},
      {"PCMU", 8000, 1, 0, ""},
      {"PCMA", 8000, 1, 8, ""},
  };
  // SDES-SRTP when the far end offers it (RTP/SAVP with a=crypto); plain RTP otherwise.
  caps.protos = {"RTP/AVP", "RTP/SAVP"};
  caps.accept_srtp = true;
  return caps;
}

Result<EndpointMedia> endpoint_media(const sdp::Negotiated& n, bool local_is_offerer) {
  auto codec = codec_from_rtpmap(n.codec.encoding, n.codec.clock_rate);
  if (!codec) {
    return Error{"no engine codec for " + n.codec.encoding + "/" + std::to_string(n.codec.clock_rate),
                 "sdp"};
  }
  const sdp::RtpEndpoint& remote = local_is_offerer ? n.answerer : n.offerer;
  EndpointMedia m;
  m.codec = *codec;
  m.payload_type = n.codec.payload_type;
  m.telephone_event_pt = n.telephone_event_pt;
  m.ptime_ms = static_cast<int>(n.ptime_ms);
  m.remote_ip = remote.address;
  m.remote_rtp_port = remote.rtp_port;
  m.remote_rtcp_port = remote.rtcp_port;
  m.rtcp_mux = n.rtcp_mux;
  m.direction = to_engine(local_is_offerer ? n.offerer_direction : n.answerer_direction);
  if (n.offerer_crypto && n.answerer_crypto) {
    auto send = srtp::key_from_crypto(local_is_offerer ? *n.offerer_crypto : *n.answerer_crypto);
    if (!send) return send.error();
    auto receive = srtp::key_from_crypto(local_is_offerer ? *n.answerer_crypto : *n.offerer_crypto);
    if (!receive) return receive.error();
    m.srtp_send_key = *send;
    m.srtp_receive_key = *receive;
  }
  return m;
}

}  // namespace sb::media::engine
