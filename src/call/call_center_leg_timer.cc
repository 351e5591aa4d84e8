// call/call_center_leg_timer.cc: RFC 4028 session timers on the legs we call: agents' phones
// and the trunk. Our INVITEs say `Supported: timer`, so a far end that does timers may make us
// the refresher: we then send a re-INVITE (our unchanged description) every half interval, and
// a 408 or 481 to it ends the call, as a BYE would have. A far end that refreshes itself is
// watched: no refresh by the end of the interval, and the call ends. Timers find their leg by
// dialog, so a leg moved to another call (attended transfer) keeps its timer.
#include <spdlog/spdlog.h>

#include "call/call_center.h"
#include "media/sdp/session_description.h"

namespace sb::call {

CallCenter::AgentLeg* CallCenter::called_leg(Call& call, const sip::DialogId& dialog) {
  if (call.agent && call.agent->dialog && *call.agent->dialog == dialog) return &*call.agent;
  if (call.outside && call.outside->dialog && *call.outside->dialog == dialog) return &*call.outside;
  return nullptr;
}

void CallCenter::start_leg_timer(const sip::DialogId& dialog, const sip::Message& answer) {
  Call* call = call_of_dialog(dialog);
  AgentLeg* leg = call != nullptr ? called_leg(*call, dialog) : nullptr;
  if (leg == nullptr) return;
  leg->session_timer = session_timer_of_answer(answer, config_.session_timers);
  if (leg->session_timer) {
    spdlog::debug("call {}: leg session timer {} s, {} refresh", call->interaction,
                  std::chrono::duration_cast<std::chrono::seconds>(leg->session_timer->interval).count(),
                  leg->session_timer->we_refresh() ? "we" : "they");
  }
  arm_leg_timer(dialog);
}

void CallCenter::arm_leg_timer(const sip::DialogId& dialog) {
  Call* call = call_of_dialog(dialog);
  AgentLeg* leg = call != nullptr ? called_leg(*call, dialog) : nullptr;
  if (leg == nullptr) return;
  if (leg->session_timer_id != 0) ports_.loop.cancel(leg->session_timer_id);
  leg->session_timer_id = 0;
  if (!leg->session_timer) return;
  const SessionTimer timer = *leg->session_timer;
  if (timer.we_refresh()) {
    leg->session_timer_id = ports_.loop.schedule_after(timer.our_refresh_after(), [this, dialog] { refresh_leg(dialog); });
    return;
  }
  leg->session_timer_id = ports_.loop.schedule_after(timer.expiry_after_refresh(), [this, dialog] {
    Call* c = call_of_dialog(dialog);
    AgentLeg* l = c != nullptr ? called_leg(*c, dialog) : nullptr;
    if (l == nullptr) return;
    l->session_timer_id = 0;
    spdlog::info("call {}: the far end's session timer ran out without a refresh", c->interaction);
    end_call(*c, "session timer expired");
  });
}

void CallCenter::refresh_leg(const sip::DialogId& dialog) {
  Call* call = call_of_dialog(dialog);
  AgentLeg* leg = call != nullptr ? called_leg(*call, dialog) : nullptr;
  if (leg == nullptr || !leg->session_timer) return;
  leg->session_timer_id = 0;
  sip::RequestOptions refresh;
  refresh.headers = {{"Session-Expires", leg->session_timer->header_value()}};
  refresh.content_type = "application/sdp";
  refresh.body = media::sdp::serialize(leg->media.local);
  auto sent = ports_.sip.request_in_dialog(dialog, sip::Method::Invite, refresh, [this, dialog](const sip::Message& response) {
    Call* c = call_of_dialog(dialog);
    AgentLeg* l = c != nullptr ? called_leg(*c, dialog) : nullptr;
    if (l == nullptr) return;
    const int status = response.status();
    if (status == 408 || status == 481) {
      // §10: the session is gone (the far end lost it, or cannot be reached).
      spdlog::info("call {}: session refresh answered {}: ending the call", c->interaction, status);
      return end_call(*c, "session refresh failed");
    }
    if (status >= 200 && status < 300) {
      auto timer = session_timer_of_answer(response, config_.session_timers);
      if (!timer) {
        l->session_timer.reset();  // §7.2: the far end no longer does timers
        return;
      }
      l->session_timer = timer;
    }
    arm_leg_timer(dialog);  // other failures (491, 500): try again at the next half interval
  });
  if (!sent) {
    // An INVITE already in progress on the dialog (a hold, say) refreshes the session too.
    spdlog::debug("call {}: session refresh not sent: {}", call->interaction, sent.error().to_string());
    arm_leg_timer(dialog);
  }
}

// The far end refreshed (re-INVITE or UPDATE on its leg): the timer starts again; the headers
// to put in our 2xx, from that request's point of view (its sender is the UAC).
std::vector<std::pair<std::string, std::string>> CallCenter::on_leg_refreshed(AgentLeg& leg, const sip::Message& request) {
  if (!leg.session_timer || !leg.dialog) return {};
  if (auto timer = session_timer_of_answer(request, config_.session_timers)) leg.session_timer->interval = timer->interval;
  arm_leg_timer(*leg.dialog);
  SessionTimer seen = *leg.session_timer;
  seen.refresher = seen.we_refresh() ? Refresher::Uas : Refresher::Uac;
  return {{"Session-Expires", seen.header_value()}};
}

}  // namespace sb::call
