// sip/session/session_timer.h: SIP session timers (RFC 4028). For the legs we answer: a caller's
// INVITE may ask for a Session-Expires interval; we answer with the interval and who refreshes
// (the caller when it supports timers, else us), refuse one below our Min-SE with 422, and
// the call ends when the interval passes without a refresh (a re-INVITE or UPDATE), so a
// caller that vanished without BYE does not keep an agent. For the legs we call (agents'
// phones, the trunk): our INVITE says `Supported: timer`, so the far end's 2xx may make us the
// refresher, and then we must refresh or it hangs up. Pure: headers in, decisions out.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "sip/message.h"

namespace sb::sip::session {

struct SessionTimerPolicy {
  Duration min_se = std::chrono::seconds(90);             // RFC 4028 §4: at least 90 s
  Duration default_interval = std::chrono::seconds(1800);  // when the caller asks for none
  Duration max_interval = std::chrono::hours(24);          // longer asks are lowered (§9)
};

enum class Refresher { Uac, Uas };

struct SessionTimer {
  Duration interval{};
  Refresher refresher = Refresher::Uac;  // named by the dialog's roles (RFC 4028 §4)
  bool we_are_uac = false;               // we sent the dialog's INVITE

  bool we_refresh() const { return (refresher == Refresher::Uac) == we_are_uac; }

  // The Session-Expires value for our 2xx ("1800;refresher=uac").
  std::string header_value() const;
  // When, after a refresh, the session ends unless another one comes: the interval less
  // min(32 s, a third of it) when the far end refreshes (§10); when we refresh, all of it
  // (we refresh at half of it).
  Duration expiry_after_refresh() const;
  Duration our_refresh_after() const { return interval / 2; }
};

struct SessionTimerDecision {
  std::optional<SessionTimer> timer;  // none: the caller does not do timers; neither do we
  int reject_status = 0;              // 422 (interval below Min-SE) or 400 (unreadable header)
  std::string min_se_header;          // for a 422: our Min-SE in seconds
};

// What to answer an initial INVITE (or a refresh) with.
SessionTimerDecision decide_session_timer(const Message& invite, const SessionTimerPolicy& policy);

// The timer a 2xx to our INVITE (or to our refresh) sets for the leg (RFC 4028 §7.2): none when
// it has no usable Session-Expires (the far end does no timers: neither do we on that leg);
// we refresh unless it names the UAS. Intervals beyond the policy's maximum are lowered.
std::optional<SessionTimer> session_timer_of_answer(const Message& response, const SessionTimerPolicy& policy);

}  // namespace sb::sip::session
