// media/engine/endpoint.cc
#include "media/engine/endpoint.h"

#include <algorithm>
#include <chrono>

#include "media/dtmf/telephone_event.h"
#include "media/quality/leg_quality.h"
#include "media/rtp/byte_io.h"
#include "media/rtp/rtcp_packet.h"
#include "media/rtp/rtp_packet.h"

namespace sb::media::engine {
namespace {

constexpr Duration kRtcpInterval = std::chrono::seconds(5);  // RFC 3550 §6.2's minimum
constexpr std::size_t kMaxPendingPcm = 3 * kFrameSamples;    // cap on decoded backlog
constexpr std::string_view kCname = "switchboard";

std::chrono::nanoseconds arrival_ns(TimePoint t) { return t.time_since_epoch(); }

// 64-bit NTP time (seconds since 1900 in 32.32) for a wall-clock TimePoint.
uint64_t to_ntp(TimePoint t) {
  constexpr uint64_t kUnixToNtp = 2208988800ULL;
  auto us = static_cast<uint64_t>(t.time_since_epoch().count());
  uint64_t seconds = us / 1'000'000 + kUnixToNtp;
  uint64_t fraction = ((us % 1'000'000) << 32) / 1'000'000;
  return (seconds << 32) | fraction;
}

void put_header(std::span<uint8_t> p, bool marker, int payload_type, uint16_t sequence,
                uint32_t timestamp, uint32_t ssrc) {
  p[1] = static_cast<uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7F));
  p[2] = static_cast<uint8_t>(sequence >> 8);
  p[3] = static_cast<uint8_t>(sequence);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<uint8_t>(timestamp >> (24 - 8 * i));
    p[8 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  }
}

}  // namespace

Endpoint::Endpoint(EndpointId id, LocalEndpoint local, UdpSocket rtp, UdpSocket rtcp,
                   uint32_t ssrc, Duration media_timeout)
    : id_(id),
      local_(std::move(local)),
      rtp_(std::move(rtp)),
      rtcp_(std::move(rtcp)),
      timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(media_timeout)),
      out_(ssrc, static_cast<uint16_t>(ssrc >> 7), ssrc * 2654435761U, 8000) {}

Result<void> Endpoint::configure(const EndpointMedia& media) {
  wake();
  if (media.ptime_ms < 10 || media.ptime_ms > 120 || media.ptime_ms % 10 != 0) {
    return Error{"ptime " + std::to_string(media.ptime_ms) + " ms is not 10..120 in 10s", ""};
  }
  // SRTP sessions follow the keys; a re-INVITE with new keys starts new sessions.
  if (media.srtp_send_key.has_value() != media.srtp_receive_key.has_value()) {
    return Error{"SRTP needs both a send and a receive key", "srtp"};
  }
  if (!media.srtp_send_key) {
    srtp_in_.reset();
    srtp_out_.reset();
  } else if (!media_ || media_->srtp_send_key != media.srtp_send_key ||
             media_->srtp_receive_key != media.srtp_receive_key) {
    auto in = srtp::SrtpSession::create(srtp::SrtpDirection::Inbound, *media.srtp_receive_key);
    if (!in) return in.error();
    auto out = srtp::SrtpSession::create(srtp::SrtpDirection::Outbound, *media.srtp_send_key);
    if (!out) return out.error();
    srtp_in_.emplace(std::move(*in));
    srtp_out_.emplace(std::move(*out));
  }
  const bool codec_changed = !media_ || media_->codec != media.codec;
  if (codec_changed) {
    auto decoder = make_decoder(media.codec);
    if (!decoder) return decoder.error();
    auto encoder = make_encoder(media.codec);
    if (!encoder) return encoder.error();
    decoder_ = std::move(*decoder);
    encoder_ = std::move(*encoder);
    out_.set_clock_rate(rtp_clock_rate(media.codec));
  }
  const uint32_t clock = rtp_clock_rate(media.codec);
  if (codec_changed || !media_ || media_->ptime_ms != media.ptime_ms) {
    frame_units_ = clock / 1000 * static_cast<uint32_t>(media.ptime_ms);
    media_ = media;
    reset_jitter_buffer();
    stats_ = std::make_unique<rtp::ReceiverStats>(clock);
    remote_ssrc_.reset();
  }
  // An RFC 2543 hold (c=0.0.0.0) or port 0: nowhere to send (until symmetric RTP latches).
  UdpAddress rtp_to;
  UdpAddress rtcp_to;
  if (media.remote_rtp_port != 0 && media.remote_ip != "0.0.0.0" && media.remote_ip != "::") {
    auto a = UdpAddress::parse(media.remote_ip, media.remote_rtp_port);
    if (!a) return a.error();
    rtp_to = *a;
    uint16_t rtcp_port = media.rtcp_mux ? media.remote_rtp_port
                         : media.remote_rtcp_port != 0
                             ? media.remote_rtcp_port
                             : static_cast<uint16_t>(media.remote_rtp_port + 1);
    rtcp_to = *UdpAddress::parse(media.remote_ip, rtcp_port);
  }
  // A new address in SDP (re-INVITE to another device) starts latching again.
  if (!media_ || !(rtp_to == signalled_rtp_) || !latched_) {
    signalled_rtp_ = rtp_to;
    remote_rtp_ = rtp_to;
    remote_rtcp_ = rtcp_to;
    latched_ = false;
  }
  if (media.detect_inband_dtmf && !inband_) {
    auto detector = dtmf::InbandDetector::create();
    if (!detector) return detector.error();
    inband_.emplace(std::move(*detector));
  } else if (!media.detect_inband_dtmf) {
    inband_.reset();
  }
  media_ = media;
  // Silence is expected from a leg we do not receive from (we hold it, or it holds us).
  timeout_.set_paused(!receives(media.direction) || media.direction == MediaDirection::Inactive);
  return {};
}

bool Endpoint::can_send() const {
  return media_ && sends(media_->direction) && remote_rtp_.valid();
}

bool Endpoint::relays_from(const Endpoint& source) const {
  return media_ && source.media_ && relayable(source.media_->codec, media_->codec) &&
         source.media_->ptime_ms == media_->ptime_ms && !source_ && !mixing_ && !source.mixing_;
}

void Endpoint::set_decoding(bool on) {
  decoding_ = on;
  wake();
}

void Endpoint::latch(const UdpAddress& from, std::vector<MediaEvent>& events) {
  latched_ = true;
  if (!media_->symmetric || from == remote_rtp_) return;
  remote_rtp_ = from;
  if (media_->rtcp_mux) {
    remote_rtcp_ = from;
  } else {
    remote_rtcp_ = from;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&remote_rtcp_.storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&remote_rtcp_.storage);
    uint16_t port = static_cast<uint16_t>(from.port() + 1);
    if (from.storage.ss_family == AF_INET) v4->sin_port = htons(port);
    if (from.storage.ss_family == AF_INET6) v6->sin6_port = htons(port);
  }
  MediaEvent e;
  e.kind = MediaEvent::Kind::RemoteLatched;
  e.endpoint = id_;
  e.text = from.to_string();
  events.push_back(std::move(e));
}

Endpoint::Received Endpoint::on_rtp(std::span<uint8_t> datagram, const UdpAddress& from,
                                    TimePoint now, std::vector<MediaEvent>& events) {
  Received r;
  if (!media_) {
    ++counters_.rejected;
    return r;
  }
  if (rtp::is_rtcp(datagram)) {  // rtcp-mux (RFC 5761 §4 demultiplexing)
    on_rtcp(datagram, from, now);
    return r;
  }
  if (srtp_in_) {
    auto plain = srtp_in_->unprotect_rtp(datagram);
    if (!plain) {
      ++counters_.srtp_refused;
      return r;
    }
    datagram = datagram.first(*plain);
  }
  r.length = datagram.size();
  auto packet = rtp::parse_rtp(datagram);
  if (!packet) {
    ++counters_.rejected;
    return r;
  }
  // Once latched, another source takes over only if it is the address SDP signalled, or if
  // it brings a new SSRC after the latched source has gone quiet (the phone moved behind its
  // NAT). Anything else is somebody injecting into the call: dropped and counted.
  if (latched_ && media_->symmetric && !(from == remote_rtp_)) {
    constexpr Duration kSourceQuiet = std::chrono::seconds(1);
    const bool signalled = from == signalled_rtp_;
    const bool moved = remote_ssrc_ != packet->ssrc && now - latched_heard_ >= kSourceQuiet;
    if (!signalled && !moved) {
      ++counters_.from_unexpected;
      return r;
    }
    latched_ = false;
  }
  if (!latched_) latch(from, events);
  latched_heard_ = now;
  if (!receives(media_->direction)) return r;  // we put the leg on hold: ignore its media
  if (remote_ssrc_ != packet->ssrc) {
    if (remote_ssrc_) check_dtmf(dtmf_.reset(), events);
    remote_ssrc_ = packet->ssrc;
    stats_ = std::make_unique<rtp::ReceiverStats>(rtp_clock_rate(media_->codec));
  }
  r.ssrc = packet->ssrc;
  r.sequence = packet->sequence_number;
  r.timestamp = packet->timestamp;
  r.marker = packet->marker;
  timeout_.on_packet(now);
  if (packet->payload_type == media_->payload_type) {
    ++counters_.received;
    stats_->on_packet(*packet, arrival_ns(now));
    if (decoding()) {
      learn_packet_duration(packet->sequence_number, packet->timestamp);
      jitter::JitterPacket jp;
      jp.ssrc = packet->ssrc;
      jp.sequence = packet->sequence_number;
      jp.timestamp = packet->timestamp;
      jp.marker = packet->marker;
      jp.arrival = now;
      jp.payload.assign(packet->payload.begin(), packet->payload.end());
      jitter_->push(std::move(jp));
    }
    r.audio = true;
  } else if (media_->telephone_event_pt && packet->payload_type == *media_->telephone_event_pt) {
    ++counters_.received;
    dtmf::DtmfRtpPacket dp;
    dp.timestamp = packet->timestamp;
    dp.sequence = packet->sequence_number;
    dp.marker = packet->marker;
    dp.payload = packet->payload;
    dp.arrival = now;
    check_dtmf(dtmf_.on_packet(dp), events);
    r.telephone_event = true;
    wake();  // the digit's end may need a tick to be seen (dtmf_.on_tick)
  } else {
    ++counters_.rejected;  // comfort noise and payload types we did not agree on
  }
  return r;
}

void Endpoint::check_dtmf(std::vector<dtmf::DtmfNotice> notices,
                          std::vector<MediaEvent>& events) {
  for (const auto& n : notices) {
    if (n.kind != dtmf::DtmfNotice::Kind::Ended || n.digit == '\0') continue;
    MediaEvent e;
    e.kind = MediaEvent::Kind::Dtmf;
    e.endpoint = id_;
    e.digit = n.digit;
    e.duration_ms = static_cast<int>(n.duration_time.count() / 1000);
    events.push_back(std::move(e));
  }
}

void Endpoint::relay_into(std::span<uint8_t> buffer, std::size_t length, const Received& header,
                          bool telephone_event, SendQueue& queue, TimePoint now) {
  if (!can_send() || sending_dtmf()) return;
  std::span<uint8_t> datagram = buffer.first(length);
  int pt = media_->payload_type;
  if (telephone_event) {
    if (!media_->telephone_event_pt) return;  // this leg cannot take RFC 4733: drop
    pt = *media_->telephone_event_pt;
  }
  auto h = out_.relay(header.ssrc, header.sequence, header.timestamp, header.marker, now);
  put_header(datagram, h.marker, pt, h.sequence, h.timestamp, out_.ssrc());
  octets_sent_ += datagram.size() - rtp::kRtpFixedHeaderSize;
  if (srtp_out_) {
    auto protected_length = srtp_out_->protect_rtp(buffer, length);
    if (!protected_length) return;
    datagram = buffer.first(*protected_length);
  }
  queue.push(rtp_.fd(), remote_rtp_, datagram);
  ++counters_.sent;
  ++counters_.relayed;
}

void Endpoint::reset_jitter_buffer() {
  jitter::JitterBufferConfig jc;
  jc.clock_rate = rtp_clock_rate(media_->codec);
  jc.frame_samples = frame_units_;
  jitter_ = std::make_unique<jitter::JitterBuffer>(jc);
}

void Endpoint::learn_packet_duration(uint16_t sequence, uint32_t timestamp) {
  if (last_audio_ && static_cast<uint16_t>(last_audio_->first + 1) == sequence) {
    uint32_t delta = timestamp - last_audio_->second;
    const uint32_t max_units = rtp_clock_rate(media_->codec) / 1000 * 120;
    if (delta != frame_units_ && delta > 0 && delta <= max_units) {
      // Three in a row: the sender's packet size, not a talkspurt gap or a lost packet.
      if (++duration_mismatches_ >= 3) {
        frame_units_ = delta;
        duration_mismatches_ = 0;
        reset_jitter_buffer();
      }
    } else {
      duration_mismatches_ = 0;
    }
  }
  last_audio_ = {sequence, timestamp};
}

void Endpoint::decode_due(TimePoint now) {
  const uint32_t units = frame_units_;
  for (auto& f : jitter_->pull(now)) {
    switch (f.kind) {
      case jitter::FrameKind::Audio:
        if (!decoder_->decode(f.payload, pcm_)) {
          ++counters_.decode_errors;
          decoder_->conceal(units, pcm_);
        }
        break;
      case jitter::FrameKind::Conceal:
      case jitter::FrameKind::Stretch:
        decoder_->conceal(units, pcm_);
        break;
      case jitter::FrameKind::Silence:
        pcm_.insert(pcm_.end(), std::size_t{units} * kMixRateHz / rtp_clock_rate(media_->codec),
                    int16_t{0});
        break;
    }
  }
  if (pcm_.size() > kMaxPendingPcm) {
    pcm_.erase(pcm_.begin(), pcm_.end() - static_cast<std::ptrdiff_t>(kMaxPendingPcm));
  }
  has_input_ = pcm_.size() >= kFrameSamples;
  if (has_input_) {
    std::copy_n(pcm_.begin(), kFrameSamples, input_.begin());
    pcm_.erase(pcm_.begin(), pcm_.begin() + static_cast<std::ptrdiff_t>(kFrameSamples));
  }
}

void Endpoint::pull_input(TimePoint now, std::vector<MediaEvent>& events) {
  has_input_ = false;
  if (!media_) return;
  if (decoding()) decode_due(now);
  if (inband_ && has_input_) {
    for (const auto& d : inband_->feed(input_)) {
      MediaEvent e;
      e.kind = MediaEvent::Kind::Dtmf;
      e.endpoint = id_;
      e.digit = d.digit;
      e.inband = true;
      events.push_back(std::move(e));
    }
  }
  check_dtmf(dtmf_.on_tick(now), events);
  if (timeout_.timeout().count() > 0 && timeout_.check(now)) {
    MediaEvent e;
    e.kind = MediaEvent::Kind::MediaTimeout;
    e.endpoint = id_;
    events.push_back(std::move(e));
  }
}

void Endpoint::send_frame(const Frame& frame, SendQueue& queue, TimePoint now) {
  if (!can_send()) return;
  if (!encoder_->encode(frame, payload_)) return;
  auto h = out_.generate(encoder_->frame_rtp_units(), now);
  packet_.resize(rtp::kRtpFixedHeaderSize + payload_.size());
  packet_[0] = 0x80;
  put_header(packet_, h.marker, media_->payload_type, h.sequence, h.timestamp, out_.ssrc());
  std::copy(payload_.begin(), payload_.end(), packet_.begin() + rtp::kRtpFixedHeaderSize);
  if (srtp_out_ && !srtp_out_->protect_rtp(packet_)) return;
  queue.push(rtp_.fd(), remote_rtp_, packet_);
  ++counters_.sent;
  octets_sent_ += payload_.size();
}

void Endpoint::queue_dtmf(std::string_view digits, Duration tone) {
  for (char d : digits) {
    if (dtmf::digit_to_event(d)) dtmf_out_.push_back(d);
  }
  dtmf_tone_ = tone;
}

void Endpoint::send_due_dtmf(TimePoint now, SendQueue& queue) {
  constexpr Duration kGap = std::chrono::milliseconds(50);
  if (!media_ || !media_->telephone_event_pt || !can_send()) {
    dtmf_out_.clear();  // the far end did not agree to RFC 4733: nothing to send digits with
    dtmf_packets_.clear();
    return;
  }
  if (dtmf_packets_.empty()) {
    if (dtmf_out_.empty() || now < dtmf_gap_until_) return;
    dtmf::DtmfSenderConfig config;
    config.packet_interval = std::chrono::milliseconds(media_->ptime_ms);
    dtmf::DtmfSender sender(config, 0);
    dtmf_packets_ = sender.packets_for_event(*dtmf::digit_to_event(dtmf_out_.front()),
                                             out_.timestamp_at(now), dtmf_tone_);
    dtmf_out_.pop_front();
    dtmf_next_ = 0;
    dtmf_start_ = now;
  }
  while (dtmf_next_ < dtmf_packets_.size() &&
         dtmf_start_ + dtmf_packets_[dtmf_next_].send_offset <= now) {
    const auto& p = dtmf_packets_[dtmf_next_++];
    auto h = out_.event(p.timestamp, now);
    packet_.assign(rtp::kRtpFixedHeaderSize + p.payload.size(), 0);
    packet_[0] = 0x80;
    put_header(packet_, p.marker, *media_->telephone_event_pt, h.sequence, h.timestamp, out_.ssrc());
    std::copy(p.payload.begin(), p.payload.end(), packet_.begin() + rtp::kRtpFixedHeaderSize);
    if (srtp_out_ && !srtp_out_->protect_rtp(packet_)) continue;
    queue.push(rtp_.fd(), remote_rtp_, packet_);
    ++counters_.sent;
  }
  if (dtmf_next_ == dtmf_packets_.size()) {
    dtmf_packets_.clear();
    dtmf_gap_until_ = now + kGap;
  }
}

void Endpoint::on_rtcp(std::span<uint8_t> datagram, const UdpAddress& /*from*/, TimePoint now) {
  if (srtp_in_) {
    auto plain = srtp_in_->unprotect_rtcp(datagram);
    if (!plain) {
      ++counters_.srtp_refused;
      return;
    }
    datagram = datagram.first(*plain);
  }
  auto packets = rtp::parse_rtcp(datagram);
  if (!packets) return;
  for (const auto& p : *packets) {
    const std::vector<rtp::ReportBlock>* blocks = nullptr;
    if (const auto* sr = std::get_if<rtp::SenderReport>(&p)) {
      if (stats_ && remote_ssrc_ == sr->ssrc) stats_->on_sender_report(sr->ntp_timestamp, arrival_ns(now));
      blocks = &sr->reports;
    } else if (const auto* rr = std::get_if<rtp::ReceiverReport>(&p)) {
      blocks = &rr->reports;
    }
    if (blocks == nullptr) continue;
    for (const auto& b : *blocks) {
      if (b.ssrc != out_.ssrc()) continue;
      if (auto rtt = rtp::round_trip_time(b, rtp::ntp_middle32(to_ntp(now)))) {
        rtt_ms_ = static_cast<double>(rtt->count()) / 1000.0;
      }
    }
  }
}

void Endpoint::rest_until_due(TimePoint now) {
  // Before its first report is scheduled (or with nowhere to send it) there is no RTCP duty.
  TimePoint until = next_rtcp_ > now ? next_rtcp_ : now + kRtcpInterval;
  if (auto d = timeout_.next_deadline()) {
    until = std::min(until, *d);
  }
  if (auto d = dtmf_.next_deadline()) {
    until = std::min(until, *d);
  }
  quiet_until_ = until;
}

void Endpoint::maybe_send_rtcp(TimePoint now) {
  if (!can_send() && !(media_ && remote_rtcp_.valid())) return;
  if (next_rtcp_ == TimePoint{}) next_rtcp_ = now + kRtcpInterval;
  if (now < next_rtcp_ || !remote_rtcp_.valid()) return;
  next_rtcp_ = now + kRtcpInterval;
  std::vector<rtp::ReportBlock> blocks;
  if (stats_ && remote_ssrc_) blocks.push_back(stats_->make_report_block(*remote_ssrc_, arrival_ns(now)));
  std::vector<uint8_t> out;
  if (out_.packets() > 0) {
    rtp::SenderReport sr;
    sr.ssrc = out_.ssrc();
    sr.ntp_timestamp = to_ntp(now);
    sr.rtp_timestamp = out_.last_timestamp() +
                       static_cast<uint32_t>((now - out_.last_sent()).count() *
                                             rtp_clock_rate(media_->codec) / 1'000'000);
    sr.packet_count = static_cast<uint32_t>(counters_.sent);
    sr.octet_count = static_cast<uint32_t>(octets_sent_);
    sr.reports = std::move(blocks);
    (void)rtp::append_rtcp(out, sr);
  } else {
    rtp::ReceiverReport rr;
    rr.ssrc = out_.ssrc();
    rr.reports = std::move(blocks);
    (void)rtp::append_rtcp(out, rr);
  }
  rtp::SourceDescription sdes;
  sdes.chunks.push_back({out_.ssrc(), {{rtp::SdesType::CNAME, kCname}}});
  (void)rtp::append_rtcp(out, sdes);
  if (srtp_out_ && !srtp_out_->protect_rtcp(out)) return;
  UdpSocket& via = media_->rtcp_mux ? rtp_ : rtcp_;
  (void)via.send_to(remote_rtcp_, out);
}

LegQualityReport Endpoint::quality() const {
  quality::LegQualityInput in;
  in.packets_sent = counters_.sent;
  in.rtt_ms = rtt_ms_;
  if (media_) {
    const uint32_t clock = rtp_clock_rate(media_->codec);
    in.packetisation_ms = static_cast<double>(frame_units_) * 1000.0 / clock;
    in.codec = media_->codec == AudioCodec::G722   ? quality::CodecKind::G722
               : media_->codec == AudioCodec::Opus ? quality::CodecKind::Opus
                                                   : quality::CodecKind::G711;
    if (stats_) {
      in.packets_expected = stats_->expected();
      in.packets_lost = stats_->cumulative_lost();
      in.jitter_ms = quality::jitter_ms(stats_->jitter(), clock);
    }
    if (jitter_ && decoding()) {
      in.packets_late = jitter_->stats().late;
      in.jitter_buffer_ms = static_cast<double>(jitter_->stats().current_delay.count()) / 1000.0;
    } else {
      in.jitter_buffer_ms = 0;  // relayed: the far end's buffer, unknown to us
    }
  }
  auto leg = quality::leg_quality(in);
  LegQualityReport q;
  q.packets_received = counters_.received;
  q.packets_sent = leg.packets_sent;
  q.packets_lost = static_cast<int64_t>(leg.packets_lost);
  q.loss_percent = leg.loss_percent;
  q.jitter_ms = leg.jitter_ms;
  q.rtt_ms = leg.rtt_ms;
  q.r_factor = leg.r;
  q.mos = leg.mos;
  return q;
}

}  // namespace sb::media::engine
