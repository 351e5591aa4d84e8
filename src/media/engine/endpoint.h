// media/engine/endpoint.h: one leg's RTP endpoint as its media thread sees it: the socket
// pair, the far end (latched for symmetric RTP), what arrives (statistics, RFC 4733 digits,
// decoded audio when anything needs it) and what it sends (relayed packets rewritten into
// our own stream, or frames we encode). Owned and used by exactly one media thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "media/dtmf/dtmf_receiver.h"
#include "media/dtmf/dtmf_sender.h"
#include "media/dtmf/inband_detector.h"
#include "media/engine/audio_codec.h"
#include "media/engine/media_types.h"
#include "media/engine/stream_rewriter.h"
#include "media/engine/udp_socket.h"
#include "media/frame.h"
#include "media/jitter/jitter_buffer.h"
#include "media/quality/media_timeout.h"
#include "media/rtp/receiver_stats.h"
#include "media/srtp/srtp_session.h"

namespace sb::media::engine {

// A frame producer that replaces what a leg hears (a prompt, music on hold, a tone).
class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Fills 20 ms; false when finished (nothing written).
  virtual bool next_frame(Frame& out) = 0;
  // A digit from the far end; returns true when it stopped the source (barge-in).
  virtual bool on_dtmf(char digit) = 0;
  // The digit that stopped it, or '\0' when it ran to its end.
  virtual char interrupted_by() const { return '\0'; }
};

// A consumer of the decoded audio of a bridge (the recorder): caller left, agent right.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void on_frames(const Frame& left, const Frame& right) = 0;
  // Pause/resume: the sink keeps its timeline (the recorder writes silence and marks the gap).
  virtual void set_paused(bool /*paused*/) {}
};

struct EndpointCounters {
  uint64_t received = 0;         // RTP packets accepted
  uint64_t relayed = 0;          // forwarded to the bridged leg without decoding
  uint64_t sent = 0;             // packets sent by this endpoint (relayed into it or encoded)
  uint64_t rejected = 0;         // not RTP, wrong payload type, failed checks
  uint64_t from_unexpected = 0;  // from an address other than the latched one
  uint64_t decode_errors = 0;
  uint64_t srtp_refused = 0;     // failed authentication or replayed
};

class Endpoint {
 public:
  Endpoint(EndpointId id, LocalEndpoint local, UdpSocket rtp, UdpSocket rtcp, uint32_t ssrc,
           Duration media_timeout);

  EndpointId id() const { return id_; }
  const LocalEndpoint& local() const { return local_; }
  const UdpSocket& rtp_socket() const { return rtp_; }
  const UdpSocket& rtcp_socket() const { return rtcp_; }

  // Applies (or re-applies, on a re-INVITE) what SDP negotiated. Keeps the outgoing stream:
  // the far end sees the same SSRC and continuous sequence numbers across the change.
  Result<void> configure(const EndpointMedia& media);
  bool configured() const { return media_.has_value(); }
  const EndpointMedia& media() const { return *media_; }

  // The bridged partner whose audio this endpoint sends; kNoEndpoint when none.
  EndpointId peer() const { return peer_; }
  void set_peer(EndpointId peer) {
    peer_ = peer;
    wake();
  }

  // In a mix (conference, supervision): hears the mixer's output for it, not its partner.
  void set_mixing(bool on) {
    mixing_ = on;
    wake();
  }
  bool mixing() const { return mixing_; }

  // Whether packets from `source` can be forwarded into this endpoint without decoding.
  bool relays_from(const Endpoint& source) const;
  // Whether this endpoint's arriving audio must be decoded (set by the media thread from the
  // bridge, the recorder and in-band detection).
  void set_decoding(bool on);
  bool decoding() const { return decoding_ || (media_ && media_->detect_inband_dtmf); }

  // A datagram on the RTP socket. Returns the parsed packet's payload when it is audio to be
  // relayed (the caller then calls relay_into on the partner), with `events` filled with any
  // digits that completed.
  struct Received {
    bool audio = false;          // an audio packet of the negotiated payload type
    bool telephone_event = false;
    uint32_t ssrc = 0;
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    std::size_t length = 0;
  };
  // `datagram` is decrypted in place on an SRTP leg; Received::length is the plain length.
  Received on_rtp(std::span<uint8_t> datagram, const UdpAddress& from, TimePoint now,
                  std::vector<MediaEvent>& events);
  void on_rtcp(std::span<uint8_t> datagram, const UdpAddress& from, TimePoint now);

  // Forwards an RTP packet received by the partner (the first `length` bytes of `buffer`,
  // already decrypted) out of this endpoint, with our SSRC, sequence, timestamp and payload
  // type, protected when this leg uses SRTP. Rewrites the buffer in place; `buffer` must have
  // room for the SRTP trailer after the packet.
  void relay_into(std::span<uint8_t> buffer, std::size_t length, const Received& header,
                  bool telephone_event, SendQueue& queue, TimePoint now);

  // Once per 20 ms tick: decode what is due into input(); end overdue digits; media timeout.
  void pull_input(TimePoint now, std::vector<MediaEvent>& events);
  const Frame& input() const { return input_; }
  bool has_input() const { return has_input_; }

  // Encodes and sends one frame (a prompt, or a transcoded partner's audio).
  void send_frame(const Frame& frame, SendQueue& queue, TimePoint now);

  // RFC 4733 digits to send, in order, `tone` long with a 50 ms gap. While digits go out the
  // leg's audio (relayed or encoded) pauses, so the far end hears only the events.
  void queue_dtmf(std::string_view digits, Duration tone);
  bool sending_dtmf() const { return !dtmf_out_.empty() || !dtmf_packets_.empty(); }
  void send_due_dtmf(TimePoint now, SendQueue& queue);

  // RTCP sender/receiver report when due (every 5 s).
  void maybe_send_rtcp(TimePoint now);

  // An endpoint that only relays (or sends nothing) needs no tick until a time-based duty is
  // due (RTCP, the media timeout, the end of a digit): the media thread skips it until then.
  // Anything that changes what it does (configure, a new peer, mixing, decoding, a digit
  // arriving) wakes it; a source or digits to send keep it awake.
  bool quiet_at(TimePoint now) const {
    return now < quiet_until_ && !decoding() && !sending_dtmf() && !source_ && !mixing_;
  }
  void wake() { quiet_until_ = TimePoint{}; }
  // After a tick in which it only relayed: skip it until its next duty.
  void rest_until_due(TimePoint now);

  // What replaces the partner's audio for this leg, if anything.
  void set_source(std::unique_ptr<FrameSource> source, uint64_t playback = 0) {
    source_ = std::move(source);
    playback_ = playback;
  }
  uint64_t playback() const { return playback_; }  // the id play() gave the current source
  FrameSource* source() { return source_.get(); }
  std::unique_ptr<FrameSource> take_source() { return std::move(source_); }

  bool can_send() const;
  const EndpointCounters& counters() const { return counters_; }
  LegQualityReport quality() const;

 private:
  void latch(const UdpAddress& from, std::vector<MediaEvent>& events);
  void decode_due(TimePoint now);
  void learn_packet_duration(uint16_t sequence, uint32_t timestamp);
  void reset_jitter_buffer();
  void check_dtmf(std::vector<dtmf::DtmfNotice> notices, std::vector<MediaEvent>& events);

  EndpointId id_;
  LocalEndpoint local_;
  UdpSocket rtp_;
  UdpSocket rtcp_;
  std::optional<EndpointMedia> media_;
  UdpAddress remote_rtp_;
  UdpAddress remote_rtcp_;
  UdpAddress signalled_rtp_;        // what SDP said, before latching
  bool latched_ = false;
  TimePoint latched_heard_{};       // last packet from the latched source
  EndpointId peer_ = kNoEndpoint;
  bool decoding_ = false;
  bool mixing_ = false;

  // Receiving.
  std::optional<uint32_t> remote_ssrc_;
  std::unique_ptr<rtp::ReceiverStats> stats_;
  dtmf::DtmfReceiver dtmf_;
  std::optional<dtmf::InbandDetector> inband_;  // when the leg's media says so
  std::unique_ptr<AudioDecoder> decoder_;
  std::unique_ptr<jitter::JitterBuffer> jitter_;
  // Timestamp units per packet: from ptime, then from what actually arrives (a phone that
  // sends 30 ms packets after agreeing to 20 is common enough to handle, not refuse).
  uint32_t frame_units_ = 160;
  std::optional<std::pair<uint16_t, uint32_t>> last_audio_;  // sequence, timestamp
  int duration_mismatches_ = 0;
  std::vector<int16_t> pcm_;  // decoded, not yet taken into a frame
  Frame input_{};
  bool has_input_ = false;
  quality::MediaTimeout timeout_;
  std::optional<double> rtt_ms_;

  std::optional<srtp::SrtpSession> srtp_in_;
  std::optional<srtp::SrtpSession> srtp_out_;

  // Sending.
  StreamRewriter out_;
  std::unique_ptr<AudioEncoder> encoder_;
  std::vector<uint8_t> payload_;
  std::vector<uint8_t> packet_;
  std::unique_ptr<FrameSource> source_;
  uint64_t playback_ = 0;
  std::deque<char> dtmf_out_;                    // digits not started yet
  Duration dtmf_tone_{};
  std::vector<dtmf::DtmfPacket> dtmf_packets_;  // the digit being sent
  std::size_t dtmf_next_ = 0;
  TimePoint dtmf_start_{};
  TimePoint dtmf_gap_until_{};
  TimePoint next_rtcp_{};
  TimePoint quiet_until_{};
  uint64_t octets_sent_ = 0;

  EndpointCounters counters_;
};

}  // namespace sb::media::engine
