// call/call_center_outbound.cc: calls out through the carrier trunk. Three reasons to dial:
// a callback (the agent reserved for it answered; now the customer is called and becomes the
// call's caller leg), a transfer to an outside number (from the IVR or an agent's REFER; the
// outside party takes the agent's place), and an agent dialling out from the desk phone (the
// phone rings back the far end's progress and is answered when the far end answers). Numbers
// go out as E.164 (e164.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "sip/error_status.h"
#include "call/json_text.h"
#include "media/engine/player_source.h"
#include "media/tone/tone_presets.h"

namespace sb::call {


bool CallCenter::dial_out(Call& call, const std::string& number, Outside purpose) {
  if (!config_.outbound) {
    spdlog::warn("call {}: no trunk for calls out (sip.trunks): cannot dial {}", call.interaction, number);
    return false;
  }
  auto e164 = normalize_e164(number, config_.dialplan);
  if (!e164) {
    spdlog::warn("call {}: {} is not a number the trunk can dial", call.interaction, number);
    return false;
  }
  LegMediaSettings media = config_.media;
  media.codecs = config_.outbound->codecs;
  auto offered = make_offer(ports_.media, media, call.id);
  if (!offered) {
    spdlog::warn("call {}: no media for the call out: {}", call.interaction, offered.error().message);
    return false;
  }
  const OutboundTrunk& trunk = *config_.outbound;
  sip::OutgoingInvite invite;
  invite.request_uri = "sip:" + *e164 + "@" + trunk.domain;
  invite.from = fmt::format("<sip:{}@{}>", trunk.caller_id, trunk.domain);
  invite.destination = trunk.destination;
  invite.credentials = trunk.credentials;
  invite.headers.emplace_back("X-Interaction-Id", call.interaction);
  invite.sdp = offered->offer_text;
  const uint64_t id = call.id;
  auto sent = ports_.sip.invite(std::move(invite), [this, id](const sip::Message& response, sip::Dialog* dialog) {
    on_outside_progress(id, response, dialog);
  });
  if (!sent) {
    ports_.media.destroy(offered->leg.endpoint);
    spdlog::warn("call {}: INVITE to {} not sent: {}", call.interaction, *e164, sent.error().to_string());
    return false;
  }
  AgentLeg leg;
  leg.invite = *sent;
  leg.media = std::move(offered->leg);
  call_by_endpoint_[leg.media.endpoint] = id;
  note_leg(leg.media.endpoint, call, "trunk");
  call.outside = std::move(leg);
  call.outside_purpose = purpose;
  call.outside_number = *e164;
  spdlog::info("call {}: dialling {} through trunk {}", call.interaction, *e164, trunk.name);
  return true;
}

void CallCenter::on_outside_progress(uint64_t call_id, const sip::Message& response, sip::Dialog* dialog) {
  Call* call = find_call(call_id);
  if (call == nullptr || !call->outside) return;
  AgentLeg& leg = *call->outside;
  const int status = response.status();
  if (status < 200) {
    // The far end rings; the agent's phone already got our 180 (dial_from_phone).
    if (dialog != nullptr && !leg.dialog) leg.dialog = dialog->id();
    return;
  }
  if (status >= 300) {
    spdlog::info("call {}: {} answered {} {}", call->interaction, call->outside_number, status, response.reason());
    leg.invite.reset();
    leg.dialog.reset();
    release_leg(leg, false);
    call->outside.reset();
    if (call->outside_purpose == Outside::Conference) return;  // the two go on talking
    if (call->outside_purpose == Outside::AgentDialled) {
      // The phone gets the far end's refusal (busy stays busy).
      ports_.sip.hang_up(call->caller_dialog, status == 486 || status == 600 ? 486 : 480);
      call_by_dialog_.erase(call->caller_dialog);
      call->caller_dialog = {};
    }
    return end_call(*call, fmt::format("{} answered {}", call->outside_number, status));
  }
  leg.invite.reset();
  if (dialog != nullptr) leg.dialog = dialog->id();
  if (leg.dialog) call_by_dialog_[*leg.dialog] = call_id;
  if (auto applied = apply_answer(ports_.media, leg.media, response.body()); !applied) {
    spdlog::warn("call {}: the far end's answer: {}", call->interaction, applied.error().message);
    release_leg(leg, true);
    call->outside.reset();
    if (call->outside_purpose == Outside::Conference) return;
    return end_call(*call, "no common codec with the far end");
  }
  leg.answered = true;
  if (leg.dialog) start_leg_timer(*leg.dialog, response);
  outside_answered(*call, leg);
}

// The number answered: what happens depends on why it was dialled.
void CallCenter::outside_answered(Call& call, AgentLeg& leg) {
  nlohmann::json data = {{"number", call.outside_number}, {"codec", leg.media.codec}};
  switch (call.outside_purpose) {
    case Outside::Callback: {
      // The customer is the caller from now on; the agent has been waiting on the line.
      call.caller = std::move(leg.media);
      call.caller_dialog = *leg.dialog;
      call.outside.reset();
      call.callback = false;
      ports_.media.stop_playing(call.agent->media.endpoint);
      ports_.media.bridge(call.caller.endpoint, call.agent->media.endpoint);
      if (call.record_when_connected) start_recording(call);
      data["callback"] = true;
      emit(call, events::EventKind::Answered, routing_.agents[acd::index_of(call.agent->agent)].name, json_text(data));
      spdlog::info("call {}: callback to {} answered", call.interaction, call.outside_number);
      break;
    }
    case Outside::Transfer:
      answer_caller(call);  // a caller still in early media is answered by the far end's answer
      call.playing = Playing::None;
      ports_.media.stop_playing(call.caller.endpoint);  // the ringback
      ports_.media.bridge(call.caller.endpoint, leg.media.endpoint);
      emit(call, events::EventKind::Answered, {}, json_text(data));
      spdlog::info("call {}: {} answered the transfer", call.interaction, call.outside_number);
      break;
    case Outside::Conference: {
      ports_.media.conference({call.caller.endpoint, call.agent->media.endpoint, leg.media.endpoint});
      data["kind"] = "conference";
      emit(call, events::EventKind::Transferred, routing_.agents[acd::index_of(call.agent->agent)].name, json_text(data));
      spdlog::info("call {}: three-way call with {}", call.interaction, call.outside_number);
      break;
    }
    case Outside::AgentDialled: {
      answer_caller(call);
      call.answered_at = ports_.loop.clock().now();
      ports_.media.bridge(call.caller.endpoint, leg.media.endpoint);
      emit(call, events::EventKind::Answered, call.outside_agent, json_text(data));
      spdlog::info("call {}: {} answered", call.interaction, call.outside_number);
      break;
    }
  }
}

// An agent's desk phone dials an outside number: an outbound interaction. The phone's INVITE
// is answered only when the far end answers; until then it hears the far end's progress as
// 180 from us.
void CallCenter::dial_from_phone(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                                 const std::string& user, const std::string& number) {
  const uint64_t id = next_call_++;
  auto answered = answer_offer(ports_.media, config_.media, invite.body(), id);
  if (!answered) {
    const sip::StatusLine refusal = sip::status_for(answered.error());
    ports_.sip.reply(tx, refusal.status, refusal.reason);
    return;
  }
  sip::Dialog* dialog = ports_.sip.accept_invite(tx, source, 180, "Ringing");
  if (dialog == nullptr) {
    ports_.media.destroy(answered->leg.endpoint);
    return;
  }
  auto call = std::make_unique<Call>();
  call->id = id;
  call->interaction = new_interaction_id();
  call->caller_dialog = dialog->id();
  call->caller = std::move(answered->leg);
  call->caller_number = user;
  call->arrived = ports_.loop.clock().now();
  call->queued_at = call->arrived;
  enter(*call, CallState::Outside);
  log_phone_dialog(*call);
  call->pending_tx = tx;
  call->pending_answer = answered->answer_text;
  call->language = config_.default_language;
  if (auto agent = phones_.agent_of_user(user)) call->outside_agent = routing_.agents[acd::index_of(*agent)].name;
  call_by_dialog_[call->caller_dialog] = id;
  call_by_endpoint_[call->caller.endpoint] = id;
  note_leg(call->caller.endpoint, *call, "dialling-agent", call->outside_agent);
  Call& c = *call;
  calls_[id] = std::move(call);
  nlohmann::json data = {{"direction", "outbound"}, {"caller", user}, {"number", number}};
  emit(c, events::EventKind::Arrived, c.outside_agent, json_text(data));
  if (!dial_out(c, number, Outside::AgentDialled)) {
    ports_.sip.hang_up(c.caller_dialog, 404);
    call_by_dialog_.erase(c.caller_dialog);
    c.caller_dialog = {};
    end_call(c, "cannot dial " + number);
  }
}

}  // namespace sb::call
