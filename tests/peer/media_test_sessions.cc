// app/media_test_sessions.cc
#include "peer/media_test_sessions.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "media/dtmf/sip_info_dtmf.h"
#include "media/engine/recording_sink.h"
#include "media/engine/sdp_media.h"
#include "media/sdp/offer_answer.h"
#include "media/srtp/srtp_keys.h"
#include "sip/parse/uri.h"
#include "sip/stack/sip_stack.h"

namespace sb::peer {

namespace engine = media::engine;

MediaTestSessions::MediaTestSessions(sip::SessionHandler& fallback, engine::MediaEngine& engine,
                                     media::recorder::RecordingWriter& writer, app::MediaSettings settings)
    : fallback_(fallback), engine_(engine), writer_(writer), settings_(std::move(settings)) {}

void MediaTestSessions::on_invite(sip::SipStack& stack, sip::ServerTransactionId tx,
                                  const sip::Message& invite, const sip::Peer& source) {
  auto uri = sip::parse_uri(invite.request_uri());
  if (!uri || uri->user != "record") {
    fallback_.on_invite(stack, tx, invite, source);
    return;
  }
  auto offer = media::sdp::parse(invite.body());
  if (!offer) {
    stack.reply(tx, 488, "Not Acceptable Here");
    return;
  }
  std::string call_id(invite.call_id());
  auto local = engine_.create_endpoint(settings_.address, std::hash<std::string>{}(call_id));
  if (!local) {
    spdlog::warn("media: {}", local.error().to_string());
    stack.reply(tx, 503, "Service Unavailable");
    return;
  }
  media::sdp::LocalEndpoint where;
  const std::string& advertised = settings_.public_address.empty() ? settings_.address : settings_.public_address;
  where.address = {"IN", advertised.find(':') == std::string::npos ? "IP4" : "IP6", advertised};
  where.rtp_port = local->rtp_port;
  // A fresh SDES key for every call; used only if the offer is RTP/SAVP with a=crypto.
  if (auto key = media::srtp::generate_key(media::srtp::CryptoSuite::AesCm128HmacSha1_80)) {
    where.srtp_inline_key = media::srtp::base64_encode(key->key_salt);
  }
  auto answer = media::sdp::build_answer(*offer, engine::engine_capabilities(), where);
  auto agreed = answer ? media::sdp::negotiated(*offer, *answer) : Result<media::sdp::Negotiated>(answer.error());
  auto settings = agreed ? engine::endpoint_media(*agreed, false) : Result<engine::EndpointMedia>(agreed.error());
  if (!settings) {
    engine_.destroy(local->id);
    stack.reply(tx, 488, "Not Acceptable Here");
    return;
  }
  engine_.configure(local->id, *settings);

  std::filesystem::create_directories(settings_.recordings_dir);
  std::string base = settings_.recordings_dir + "/" + call_id;
  media::recorder::RecordingSpec spec;
  spec.path = base + ".wav";
  spec.on_done = [](const media::recorder::RecordingResult& r) {
    if (r.error) spdlog::warn("media: recording {}: {}", r.path, r.error->to_string());
    else spdlog::info("media: recorded {} ({} frames)", r.path, r.frames_written);
  };
  if (auto recorder = media::recorder::Recorder::open(writer_, spec)) {
    engine_.record(local->id, engine::kNoEndpoint,
                   std::make_unique<engine::RecordingSink>(std::move(*recorder)));
  }
  calls_[call_id] = Call{local->id, base + ".digits"};
  std::ofstream(base + ".digits", std::ios::trunc).flush();

  sip::ResponseParts parts;
  parts.content_type = "application/sdp";
  parts.body = media::sdp::serialize(*answer);
  stack.accept_invite(tx, source, 200, "OK", parts);
  spdlog::info("media: call {} on RTP port {} ({} PT {})", call_id, local->rtp_port,
               engine::codec_name(settings->codec), settings->payload_type);
}

void MediaTestSessions::on_cancelled(sip::SipStack& stack, sip::ServerTransactionId tx) {
  fallback_.on_cancelled(stack, tx);
}

void MediaTestSessions::on_dialog_request(sip::SipStack& stack, sip::ServerTransactionId tx,
                                          sip::Dialog& dialog, const sip::Message& request) {
  auto it = calls_.find(dialog.id().call_id);
  if (it != calls_.end() && request.method() == sip::Method::Info) {
    auto type = request.first(sip::HeaderName::ContentType);
    if (auto d = media::dtmf::parse_info_dtmf(type.value_or(""), request.body())) {
      note_digit(it->second, d->digit, "SIP INFO");
      stack.answer_in_dialog(tx, dialog, 200, "OK");
    } else {
      stack.answer_in_dialog(tx, dialog, 415, "Unsupported Media Type");
    }
    return;
  }
  fallback_.on_dialog_request(stack, tx, dialog, request);
}

void MediaTestSessions::on_ack(sip::SipStack& stack, sip::Dialog& dialog, const sip::Message& ack) {
  if (calls_.count(dialog.id().call_id) == 0) {
    fallback_.on_ack(stack, dialog, ack);
  }
}

void MediaTestSessions::on_dialog_ended(sip::SipStack& stack, sip::Dialog& dialog) {
  auto it = calls_.find(dialog.id().call_id);
  if (it == calls_.end()) {
    fallback_.on_dialog_ended(stack, dialog);
    return;
  }
  engine_.stop_recording(it->second.endpoint);
  engine_.destroy(it->second.endpoint);
  calls_.erase(it);
}

void MediaTestSessions::on_media_event(const engine::MediaEvent& event) {
  for (const auto& [call_id, call] : calls_) {
    if (call.endpoint != event.endpoint) continue;
    switch (event.kind) {
      case engine::MediaEvent::Kind::Dtmf:
        note_digit(call, event.digit, event.inband ? "in-band" : "RFC 4733");
        break;
      case engine::MediaEvent::Kind::MediaTimeout:
        spdlog::info("media: call {}: no RTP for {} s", call_id,
                     std::chrono::duration_cast<std::chrono::seconds>(settings_.media_timeout).count());
        break;
      case engine::MediaEvent::Kind::RemoteLatched:
        spdlog::info("media: call {}: RTP from {}", call_id, event.text);
        break;
      default:
        break;
    }
  }
  if (event.kind == engine::MediaEvent::Kind::Quality) {
    spdlog::info("media: leg {} ended: {} packets in, {} lost ({:.2f} %), jitter {:.1f} ms, {} out",
                 event.endpoint, event.quality.packets_received, event.quality.packets_lost,
                 event.quality.loss_percent, event.quality.jitter_ms, event.quality.packets_sent);
  }
}

void MediaTestSessions::note_digit(const Call& call, char digit, std::string_view how) {
  std::ofstream(call.digits_path, std::ios::app) << digit;
  spdlog::info("media: digit {} ({})", digit, how);
}

}  // namespace sb::peer
