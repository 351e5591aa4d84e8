// media/engine/media_types.h: the vocabulary between the control plane and the media
// threads: endpoint ids, what SDP negotiated for a leg, and the events sent back up.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "media/engine/audio_codec.h"
#include "media/srtp/srtp_keys.h"

namespace sb::media::engine {

// Which media thread owns an endpoint is kept in the low byte, so commands need no lookup.
using EndpointId = uint64_t;
inline constexpr EndpointId kNoEndpoint = 0;
inline std::size_t thread_of(EndpointId id) { return static_cast<std::size_t>(id & 0xFF); }

enum class MediaDirection { SendRecv, SendOnly, RecvOnly, Inactive };
inline bool sends(MediaDirection d) {
  return d == MediaDirection::SendRecv || d == MediaDirection::SendOnly;
}
inline bool receives(MediaDirection d) {
  return d == MediaDirection::SendRecv || d == MediaDirection::RecvOnly;
}

// What offer/answer settled for one leg, from our side: `direction` is ours (we send when it
// says SendRecv/SendOnly).
struct EndpointMedia {
  AudioCodec codec = AudioCodec::Pcmu;
  int payload_type = 0;
  std::optional<int> telephone_event_pt;  // RFC 4733 payload type both sides agreed
  int ptime_ms = 20;
  std::string remote_ip;                  // from c=; "0.0.0.0" on an RFC 2543 hold
  uint16_t remote_rtp_port = 0;
  uint16_t remote_rtcp_port = 0;          // 0: RTP port + 1, or the RTP port with rtcp-mux
  bool rtcp_mux = false;
  MediaDirection direction = MediaDirection::SendRecv;
  // Symmetric RTP: send to where the far end's packets come from, not to what its SDP says
  // (the SDP of a phone behind NAT names its private address).
  bool symmetric = true;
  bool detect_inband_dtmf = false;        // for trunks that send tones instead of RFC 4733
  // SDES-SRTP (RFC 4568): the key in our a=crypto protects what we send, the far end's key
  // authenticates and decrypts what arrives. Both or neither.
  std::optional<srtp::SrtpKey> srtp_send_key;
  std::optional<srtp::SrtpKey> srtp_receive_key;
};

struct LocalEndpoint {
  EndpointId id = kNoEndpoint;
  std::string ip;
  uint16_t rtp_port = 0;
  uint16_t rtcp_port = 0;
};

struct LegQualityReport {
  uint64_t packets_received = 0;
  uint64_t packets_sent = 0;
  int64_t packets_lost = 0;
  double loss_percent = 0;
  double jitter_ms = 0;
  std::optional<double> rtt_ms;
  double r_factor = 0;
  double mos = 0;
};

struct MediaEvent {
  enum class Kind {
    Dtmf,             // digit: a key press ended (RFC 4733 or in-band)
    PlaybackDone,     // interrupted_by: the digit that barged in, or '\0'
    MediaTimeout,     // no RTP for the configured time
    RemoteLatched,    // text: the address symmetric RTP latched to
    RecordingDone,    // text: path, or the error
    Quality,          // quality: a snapshot (sent when the endpoint is destroyed)
  };
  Kind kind = Kind::Dtmf;
  EndpointId endpoint = kNoEndpoint;
  char digit = '\0';
  int duration_ms = 0;
  bool inband = false;
  std::string text;
  uint64_t playback = 0;  // PlaybackDone: the id MediaEngine::play() returned for the source
  LegQualityReport quality;
};

// Called on a media thread: the receiver posts the event to its own thread.
using MediaEventSink = std::function<void(MediaEvent)>;

}  // namespace sb::media::engine
