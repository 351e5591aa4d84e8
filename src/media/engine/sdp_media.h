// media/engine/sdp_media.h: from what SDP offer/answer negotiated to what an endpoint runs,
// and the codecs this engine offers. The bridge between media/sdp (pure text) and the engine.
#pragma once

#include "common/result.h"
#include "media/engine/media_types.h"
#include "media/sdp/offer_answer.h"

namespace sb::media::engine {

// Our codecs in preference order: Opus and G.722 (wideband) first, then G.711 for everything
// else; RFC 4733 events; rtcp-mux accepted; SDES-SRTP accepted when offered (the caller puts
// a fresh key in LocalEndpoint::srtp_inline_key, see srtp::generate_key).
sdp::LocalCapabilities engine_capabilities();

// The endpoint settings for our side of `n`. `local_is_offerer`: we sent the offer (so the
// far end is the answerer). Fails when the agreed codec is not one the engine runs.
Result<EndpointMedia> endpoint_media(const sdp::Negotiated& n, bool local_is_offerer);

}  // namespace sb::media::engine
