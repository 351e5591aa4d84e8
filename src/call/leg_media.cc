// call/leg_media.cc
#include "call/leg_media.h"

#include <strings.h>

#include "media/engine/sdp_media.h"
#include "media/sdp/offer_answer.h"
#include "media/srtp/srtp_keys.h"

namespace sb::call {

namespace engine = media::engine;
namespace sdp = media::sdp;

namespace {

sdp::LocalEndpoint where_for(const LegMediaSettings& settings, uint16_t rtp_port) {
  const std::string& advertised = settings.public_address.empty() ? settings.bind_address : settings.public_address;
  sdp::LocalEndpoint where;
  where.address = {"IN", advertised.find(':') == std::string::npos ? "IP4" : "IP6", advertised};
  where.rtp_port = rtp_port;
  return where;
}

// The engine's capabilities narrowed to the leg's codec list, in the list's order.
media::sdp::LocalCapabilities capabilities_for(const LegMediaSettings& settings) {
  auto caps = engine::engine_capabilities();
  if (settings.codecs.empty()) return caps;
  std::vector<media::sdp::CodecCapability> chosen;
  for (const std::string& wanted : settings.codecs) {
    for (const auto& codec : caps.codecs) {
      if (strcasecmp(codec.encoding.c_str(), wanted.c_str()) == 0) chosen.push_back(codec);
    }
  }
  caps.codecs = std::move(chosen);
  return caps;
}

uint16_t local_port(const sdp::SessionDescription& local) {
  return local.media.empty() ? 0 : local.media.front().port;
}

// Settings from an agreed offer/answer pair, applied to the leg's endpoint.
Result<void> configure(engine::MediaControl& engine, LegMedia& leg, const sdp::SessionDescription& offer,
                       const sdp::SessionDescription& answer, bool local_is_offerer) {
  auto agreed = sdp::negotiated(offer, answer);
  if (!agreed) return Error{agreed.error().message, "offer", ErrorCode::Unsupported};
  auto settings = engine::endpoint_media(*agreed, local_is_offerer);
  if (!settings) return Error{settings.error().message, "offer", ErrorCode::Unsupported};
  leg.codec = std::string(engine::codec_name(settings->codec));
  engine.configure(leg.endpoint, *settings);
  return {};
}

}  // namespace

Result<Answered> answer_offer(engine::MediaControl& engine, const LegMediaSettings& settings,
                              std::string_view offer_text, uint64_t affinity) {
  auto offer = sdp::parse(offer_text);
  if (!offer) return Error{"the offer does not parse: " + offer.error().to_string(), "offer", ErrorCode::Unsupported};
  auto local = engine.create_endpoint(settings.bind_address, affinity);
  if (!local) return Error{local.error().to_string(), "media", ErrorCode::Unavailable};
  sdp::LocalEndpoint where = where_for(settings, local->rtp_port);
  // A fresh SDES key for every leg; used only when the offer is RTP/SAVP with a=crypto.
  if (auto key = media::srtp::generate_key(media::srtp::CryptoSuite::AesCm128HmacSha1_80)) {
    where.srtp_inline_key = media::srtp::base64_encode(key->key_salt);
  }
  auto answer = sdp::build_answer(*offer, capabilities_for(settings), where);
  if (!answer) {
    engine.destroy(local->id);
    return Error{answer.error().message, "offer", ErrorCode::Unsupported};
  }
  Answered out;
  out.leg.endpoint = local->id;
  out.leg.srtp_key = where.srtp_inline_key;
  if (auto done = configure(engine, out.leg, *offer, *answer, false); !done) {
    engine.destroy(local->id);
    return done.error();
  }
  out.leg.local = *answer;
  out.answer_text = sdp::serialize(*answer);
  return out;
}

Result<Offered> make_offer(engine::MediaControl& engine, const LegMediaSettings& settings, uint64_t affinity) {
  auto local = engine.create_endpoint(settings.bind_address, affinity);
  if (!local) return Error{local.error().to_string(), "media", ErrorCode::Unavailable};
  Offered out;
  out.leg.endpoint = local->id;
  out.leg.local = sdp::make_offer(capabilities_for(settings), where_for(settings, local->rtp_port));
  out.offer_text = sdp::serialize(out.leg.local);
  return out;
}

Result<void> apply_answer(engine::MediaControl& engine, LegMedia& leg, std::string_view answer_text) {
  auto answer = sdp::parse(answer_text);
  if (!answer) return Error{"the answer does not parse: " + answer.error().to_string(), "answer", ErrorCode::Unsupported};
  return configure(engine, leg, leg.local, *answer, true);
}

Result<std::string> answer_reoffer(engine::MediaControl& engine, const LegMediaSettings& settings, LegMedia& leg,
                                   std::string_view offer_text) {
  auto offer = sdp::parse(offer_text);
  if (!offer) return Error{"the offer does not parse: " + offer.error().to_string(), "offer", ErrorCode::Unsupported};
  sdp::LocalEndpoint where = where_for(settings, local_port(leg.local));
  where.session_id = leg.local.origin.session_id;
  where.srtp_inline_key = leg.srtp_key;
  auto answer = sdp::build_answer(*offer, capabilities_for(settings), where, &leg.local);
  if (!answer) return Error{answer.error().message, "offer", ErrorCode::Unsupported};
  if (auto done = configure(engine, leg, *offer, *answer, false); !done) return done.error();
  leg.local = *answer;
  return sdp::serialize(*answer);
}

bool offer_is_hold(std::string_view offer_text) {
  auto offer = sdp::parse(offer_text);
  if (!offer) return false;
  for (const auto& m : offer->media) {
    if (m.media != "audio" || m.port == 0) continue;
    auto d = sdp::effective_direction(*offer, m);
    return d == sdp::Direction::SendOnly || d == sdp::Direction::Inactive;
  }
  return false;
}

}  // namespace sb::call
