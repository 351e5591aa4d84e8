// call/call_center_config.h: what the call layer needs from the config file, as plain values:
// inbound routes, per-queue media policy (recording, music on hold), where files go, and the
// phones' digest accounts. `switchboard serve` fills it from the loaded config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "call/e164.h"
#include "call/leg_media.h"
#include "common/address_filter.h"
#include "common/clock.h"
#include "sip/auth/digest_account.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/client/request_spec.h"
#include "sip/session/session_timer.h"
#include "sip/transport/peer.h"

namespace sb::call {

// RFC 4028 lives in the SIP session layer; the call layer still applies it itself.
// TODO(#13): the invite session owns the timers and call/ stops naming them.
using sip::session::decide_session_timer;
using sip::session::Refresher;
using sip::session::session_timer_of_answer;
using sip::session::SessionTimer;
using sip::session::SessionTimerDecision;
using sip::session::SessionTimerPolicy;

// A dialled number and where its calls go: an IVR flow or straight to a queue. "*" matches
// any number not listed.
struct InboundRoute {
  std::string did;
  std::string flow;
  std::string queue;
  bool early_media = false;  // 183 with media until an agent (or voicemail) needs the answer
};

enum class RecordingMode { None, All, Sampled };

struct QueueCallSettings {
  RecordingMode recording = RecordingMode::None;
  int sample_percent = 100;                         // Sampled: share of calls recorded
  std::vector<std::string> consent = {};            // played to the caller before recording
  std::vector<std::string> moh = {"music-on-hold"};  // looped while waiting; "ringback": the tone
  std::vector<std::string> callback_offer = {"callback-offer"};      // "press 1 to be called back"
  std::vector<std::string> callback_confirmed = {"callback-confirmed"};
  std::vector<std::string> voicemail_greeting = {"leave-a-message"};
};

// The carrier trunk that takes our calls out: where INVITEs go, the domain of their URIs, the
// number we call from, and the digest credentials the carrier may ask for.
struct OutboundTrunk {
  std::string name;
  sip::Peer destination;
  std::string domain;
  std::string caller_id;
  std::optional<sip::client::Credentials> credentials;
  std::vector<std::string> codecs;  // what the carrier takes; empty: all ours
  AddressFilter allow;              // the carrier's networks, for its calls in
};

struct CallCenterConfig {
  LegMediaSettings media;
  std::string recordings_dir = "data/recordings";
  std::string voicemail_dir = "data/voicemail";
  std::vector<InboundRoute> inbound;
  std::vector<QueueCallSettings> queues;  // by acd::QueueId; a missing entry takes the defaults
  std::string default_language = "en";
  // Phones authenticate their INVITEs (407) with the registrar's accounts.
  std::string realm = "switchboard";
  std::vector<sip::auth::DigestAccount> accounts;
  std::vector<sip::auth::DigestAlgorithm> algorithms = {sip::auth::DigestAlgorithm::Md5};
  Duration voicemail_max = std::chrono::minutes(2);
  std::optional<OutboundTrunk> outbound;  // none: callbacks and outside transfers cannot be made
  std::vector<OutboundTrunk> trunks;      // every trunk: codec lists for calls from its networks
  DialPlan dialplan;
  SessionTimerPolicy session_timers;
  // Where calls to our numbers may come from (the trunks' `allow`); empty: anywhere.
  AddressFilter carriers;
  uint64_t seed = 0;  // recording samples; 0: random
};

}  // namespace sb::call
