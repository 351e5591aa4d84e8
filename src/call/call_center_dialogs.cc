// call/call_center_dialogs.cc: what arrives inside the calls' dialogs: hang-ups from either
// side (a supervisor's, a conference's third party), REFER from the agent's phone, session
// refreshes, and re-INVITEs (new media, hold and resume from the agent's phone).
#include <spdlog/spdlog.h>

#include "call/call_center.h"
#include "sip/error_status.h"

namespace sb::call {

void CallCenter::handle_cancel(sip::ServerTransactionId) {
  // Inbound calls are answered at once, so a CANCEL finds nothing unanswered to stop.
}

void CallCenter::handle_dialog_ended(sip::Dialog& dialog) {
  if (auto it = service_calls_.find(dialog.id()); it != service_calls_.end()) {
    ports_.media.destroy(it->second.media.endpoint);
    service_calls_.erase(it);
    return;
  }
  Call* call = call_of_dialog(dialog.id());
  if (call == nullptr) return;
  if (supervisor_left(*call, dialog.id())) return;
  if (call->outside && call->outside->dialog && *call->outside->dialog == dialog.id() &&
      call->outside_purpose == Outside::Conference) {
    // The third party left: caller and agent go on talking.
    ports_.media.leave_mix(call->outside->media.endpoint);
    call->outside->dialog.reset();
    call_by_dialog_.erase(dialog.id());
    release_leg(*call->outside, false);
    call->outside.reset();
    ports_.media.bridge(call->caller.endpoint, call->agent->media.endpoint);
    spdlog::info("call {}: the third party left", call->interaction);
    return;
  }
  if (dialog.id() == call->caller_dialog) {
    call_by_dialog_.erase(dialog.id());
    caller_left(*call);
  } else {
    call_by_dialog_.erase(dialog.id());
    agent_left(*call);
  }
}

void CallCenter::handle_dialog_request(sip::ServerTransactionId tx, sip::Dialog& dialog,
                                   const sip::Message& request) {
  Call* call = call_of_dialog(dialog.id());
  LegMedia* leg = nullptr;
  AgentLeg* called = nullptr;  // a leg we called: the agent's or one through the trunk
  if (call != nullptr) {
    if (dialog.id() == call->caller_dialog) {
      leg = &call->caller;
    } else if ((called = called_leg(*call, dialog.id())) != nullptr) {
      leg = &called->media;
    }
  }
  const bool from_agent = call != nullptr && call->agent && called == &*call->agent;
  if (request.method() == sip::Method::Refer) {
    if (from_agent) return on_refer(*call, tx, dialog, request);
    // Only the agent's phone may move a call: a customer or a carrier asking us to call
    // somewhere else would make us a free dialler (RFC 3515 §2.4.2 lets us refuse).
    ports_.sip.answer_in_dialog(tx, dialog, 403, "Transfer Not Allowed");
    return;
  }
  const bool refresh = request.method() == sip::Method::Invite || request.method() == sip::Method::Update;
  std::vector<std::pair<std::string, std::string>> timer_headers;
  if (refresh && call != nullptr && leg == &call->caller && call->session_timer) {
    auto headers = caller_refreshed(*call, request);
    if (!headers) {
      sip::ResponseParts refusal;
      refusal.headers.emplace_back("Min-SE", decide_session_timer(request, config_.session_timers).min_se_header);
      ports_.sip.answer_in_dialog(tx, dialog, 422, "Session Interval Too Small", std::move(refusal));
      return;
    }
    timer_headers = std::move(*headers);
  } else if (refresh && called != nullptr) {
    timer_headers = on_leg_refreshed(*called, request);
  }
  if (refresh && request.method() == sip::Method::Update && request.body().empty()) {
    // A refresh without an offer: only the timer's headers.
    sip::ResponseParts parts;
    parts.headers = timer_headers;
    ports_.sip.answer_in_dialog(tx, dialog, 200, "OK", parts);
    return;
  }
  if (request.method() == sip::Method::Invite && leg != nullptr && !request.body().empty()) {
    auto answer = answer_reoffer(ports_.media, config_.media, *leg, request.body());
    if (!answer) {
      const sip::StatusLine refusal = sip::status_for(answer.error());
      ports_.sip.answer_in_dialog(tx, dialog, refusal.status, refusal.reason);
      return;
    }
    // The agent's phone holding the caller: music for the caller until it resumes.
    if (from_agent && call->state == CallState::Connected) set_held(*call, offer_is_hold(request.body()));
    sip::ResponseParts parts;
    parts.content_type = "application/sdp";
    parts.body = *answer;
    parts.headers = timer_headers;
    ports_.sip.answer_in_dialog(tx, dialog, 200, "OK", parts);
    return;
  }
  ports_.sip.answer_in_dialog(tx, dialog, 200, "OK");
}

// A refresh (re-INVITE or UPDATE) from the caller restarts its session timer (RFC 4028 §10):
// the headers of our answer, or nullopt when its interval is too small (422).
std::optional<std::vector<std::pair<std::string, std::string>>> CallCenter::caller_refreshed(
    Call& call, const sip::Message& request) {
  SessionTimerDecision again = decide_session_timer(request, config_.session_timers);
  if (again.reject_status == 422) return std::nullopt;
  if (again.timer) call.session_timer = again.timer;
  arm_session_timer(call);
  std::vector<std::pair<std::string, std::string>> headers;
  headers.emplace_back("Session-Expires", call.session_timer->header_value());
  if (call.session_timer->refresher == Refresher::Uac) headers.emplace_back("Require", "timer");
  return headers;
}

// The agent puts the caller on hold (music, or the hold music where the queue rings) or
// takes it off (the bridge again); a repeated offer changes nothing.
void CallCenter::set_held(Call& call, bool hold) {
  if (hold == call.held) return;
  call.held = hold;
  if (hold) {
    ports_.media.unbridge(call.caller.endpoint);
    if (queue_settings(*call.queue).moh == std::vector<std::string>{"ringback"}) {
      play(call, Playing::Moh, {"music-on-hold"}, false, true);  // held, not ringing
    } else {
      play_moh(call);
    }
  } else {
    stop_playing(call);
    ports_.media.bridge(call.caller.endpoint, call.agent->media.endpoint);
  }
  const std::string& agent = routing_.agents[acd::index_of(call.agent->agent)].name;
  spdlog::info("call {}: {} {} the caller", call.interaction, agent, hold ? "held" : "resumed");
  emit(call, hold ? events::EventKind::Held : events::EventKind::Resumed, agent);
}

}  // namespace sb::call
