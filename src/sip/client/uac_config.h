// sip/client/uac_config.h: how a Uac labels what it sends: the Via sent-by per transport,
// Max-Forwards, User-Agent, and the seeds that make its identifiers predictable in tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/clock.h"
#include "sip/auth/digest_client.h"
#include "sip/transport/peer.h"

namespace sb::sip::client {

struct UacConfig {
  // Via sent-by ("host[:port]") per transport, as the peer must reach us: the public address
  // behind a NAT, the TLS port for TLS. A transport not listed falls back to the destination
  // Peer's `local` address when that is a specific one (not 0.0.0.0 / ::); otherwise send()
  // fails.
  std::map<Transport, std::string> sent_by;
  bool rport = true;       // RFC 3581: ask for the source port in the response's Via
  int max_forwards = 70;   // RFC 3261 §8.1.1.6
  std::string user_agent;  // empty: no User-Agent header
  // Host part of the Call-IDs made here (RFC 3261 §8.1.1.4); empty: none.
  std::string call_id_host;
  // Seeds the Call-ID and From tag generator; nullopt draws one from std::random_device.
  std::optional<uint64_t> id_seed;
  // The cnonce of digest answers; empty: 16 random bytes in hex. Tests set it.
  auth::DigestClient::CnonceSource cnonce;
  // Bound on 401/407 answered for one request, stale nonces and proxy + registrar chains
  // included; a further challenge is delivered to the callback.
  int max_auth_rounds = 4;
  // How long an INVITE stays known after its first 2xx so that retransmitted and forked 2xx
  // still reach the callback (the client transaction's Accepted state, RFC 6026 timer M =
  // 64*T1). When it elapses while the layer still holds the transaction, it is extended.
  Duration invite_linger = std::chrono::seconds(32);
};

}  // namespace sb::sip::client
