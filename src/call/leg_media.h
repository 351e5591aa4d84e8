// call/leg_media.h: one call leg's RTP endpoint and its SDP: answering a leg's offer (the
// caller's INVITE), offering to a leg (the agent's INVITE) and taking its answer. The SDP
// negotiation is media/sdp's; this puts it together with an engine endpoint so that the call
// code deals in legs, not in m-lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "media/engine/media_control.h"
#include "media/sdp/session_description.h"

namespace sb::call {

struct LegMediaSettings {
  std::string bind_address = "127.0.0.1";  // RTP sockets bind here
  std::string public_address;              // what SDP advertises; empty: bind_address
  // Codecs for this leg, in preference order ("PCMA", "opus"; case-insensitive): a carrier
  // that takes only some. Empty: everything the engine does.
  std::vector<std::string> codecs;
};

struct LegMedia {
  media::engine::EndpointId endpoint = media::engine::kNoEndpoint;
  media::sdp::SessionDescription local;  // the last description we sent
  std::string codec;                      // agreed codec name, once negotiated
  std::string srtp_key;                   // our SDES key, kept across re-INVITEs
};

// Answers `offer_text` on a fresh endpoint (thread chosen by `affinity`, the call), with a new
// SDES key when the offer asks for SRTP. The endpoint is configured and ready; `answer_text`
// is the SDP to send. Fails (endpoint freed) on an offer that does not parse or shares
// no codec (ErrorCode::Unsupported, answered 488), or when no port is left (Unavailable, 503).
struct Answered {
  LegMedia leg;
  std::string answer_text;
};
Result<Answered> answer_offer(media::engine::MediaControl& engine, const LegMediaSettings& settings,
                              std::string_view offer_text, uint64_t affinity);

// An offer from a fresh endpoint, for a leg we call. The endpoint stays unconfigured (silent)
// until apply_answer().
struct Offered {
  LegMedia leg;
  std::string offer_text;
};
Result<Offered> make_offer(media::engine::MediaControl& engine, const LegMediaSettings& settings, uint64_t affinity);

// Configures the endpoint of `leg` from the far end's answer to our offer.
Result<void> apply_answer(media::engine::MediaControl& engine, LegMedia& leg, std::string_view answer_text);

// A re-INVITE's offer on an existing leg (hold, resume, a new device after a transfer): the
// endpoint is reconfigured, `answer_text` keeps our address and session version rules.
Result<std::string> answer_reoffer(media::engine::MediaControl& engine, const LegMediaSettings& settings,
                                   LegMedia& leg, std::string_view offer_text);

// The far end's direction in an offer (sendonly or inactive: it put us on hold).
bool offer_is_hold(std::string_view offer_text);

}  // namespace sb::call
