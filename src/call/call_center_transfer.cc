// call/call_center_transfer.cc: an agent's phone transfers the caller (RFC 3515 REFER), blind or
// attended.
// The caller's leg stays where it is, anchored here; only the agent's side changes. A Refer-To
// naming a queue puts the caller back in that queue under the same interaction id (the agent
// goes to wrap-up); naming an agent offers the call to that agent first (the queue takes it if
// the agent lets it ring), refused with 480 while that agent cannot take a call, so the
// transferring agent keeps the caller; an E.164 number dials out through the trunk. The phone
// is told with a NOTIFY carrying the outcome (RFC 3515 §2.4.5).
//
// Attended: the agent has called a colleague, a queue or a number from the phone
// (call_center_consult.cc, or a dial-out) and, once answered, sends REFER on the caller's
// dialog with Refer-To carrying Replaces for that consultation's dialog (RFC 5589 §7). Both
// legs to the transferring agent are hung up and the caller is bridged to the consulted party,
// inside the B2BUA: the caller's leg never sees a new INVITE. The interaction keeps its id; the
// consultation ends as "transferred".
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "call/json_text.h"
#include "media/engine/player_source.h"
#include "media/tone/tone_presets.h"
#include "call/transfer_target.h"

namespace sb::call {


namespace {

// The final NOTIFY of a REFER subscription: the transfer's outcome as a sipfrag status line.
sip::RequestOptions refer_notify(int status, std::string_view reason) {
  sip::RequestOptions options;
  options.headers = {{"Event", "refer"}, {"Subscription-State", "terminated;reason=noresource"}};
  options.content_type = "message/sipfrag;version=2.0";
  options.body = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  return options;
}

}  // namespace

void CallCenter::on_refer(Call& call, sip::ServerTransactionId tx, sip::Dialog& dialog, const sip::Message& refer) {
  auto refer_to = refer.first(sip::HeaderName::ReferTo);
  auto target = refer_to ? parse_transfer_target(*refer_to) : Result<TransferTarget>(Error{"missing", "Refer-To"});
  if (!target) {
    spdlog::info("call {}: REFER refused: {}", call.interaction, target.error().to_string());
    ports_.sip.answer_in_dialog(tx, dialog, 400, "Bad Refer-To");
    return;
  }
  if (call.state != CallState::Connected || !call.agent) {
    ports_.sip.answer_in_dialog(tx, dialog, 491, "Request Pending");
    return;
  }
  if (target->replaces) return attended_transfer(call, tx, dialog, *target->replaces);
  const std::string user = target->user;
  std::optional<acd::QueueId> queue = queue_named(user);
  const std::optional<acd::AgentId> to_agent = queue ? std::nullopt : agent_named(user);
  // A number is recorded and dialled as E.164, as the carrier sees it, whatever the phone sent.
  const std::optional<std::string> number =
      !queue && !to_agent && config_.outbound ? normalize_e164(user, config_.dialplan) : std::nullopt;
  const bool outside = number.has_value();
  if (!queue && !to_agent && !outside) {
    ports_.sip.answer_in_dialog(tx, dialog, 404, "Unknown Transfer Target");
    return;
  }
  if (to_agent) {
    if (*to_agent == call.agent->agent || router_.agent_state(*to_agent) != acd::AgentState::Available) {
      spdlog::info("call {}: transfer to agent {} refused: not available", call.interaction, user);
      ports_.sip.answer_in_dialog(tx, dialog, 480, "Agent Not Available");
      return;
    }
    queue = call.queue ? *call.queue : home_queue_of(*to_agent);  // where it waits if the agent does not answer
  }
  ports_.sip.answer_in_dialog(tx, dialog, 202, "Accepted");
  const sip::DialogId agent_dialog = dialog.id();
  if (auto sent = ports_.sip.request_in_dialog(agent_dialog, sip::Method::Notify, refer_notify(200, "OK")); !sent) {
    spdlog::debug("call {}: NOTIFY: {}", call.interaction, sent.error().to_string());
  }
  const std::string from = routing_.agents[acd::index_of(call.agent->agent)].name;
  const char* kind = outside ? "number" : to_agent ? "agent" : "queue";
  const std::string& to = outside ? *number : user;
  nlohmann::json data = {{"to", kind}, {kind, to}, {"from_agent", from}, {"kind", "blind"}};
  emit(call, events::EventKind::Transferred, from, json_text(data));
  spdlog::info("call {}: {} transferred the caller to {} {}", call.interaction, from, kind, to);
  // The transferring agent is done with the call (wrap-up); the caller waits again.
  for (SupervisorLeg& leg : call.supervisors) release_supervisor(call, leg, true);
  call.supervisors.clear();
  if (call.recording) ports_.media.stop_recording(call.caller.endpoint);
  call.recording = false;
  ports_.media.unbridge(call.caller.endpoint);
  wrap_up_of_agent_[acd::index_of(call.agent->agent)] = {call.interaction, call.queue ? queue_name(*call.queue) : ""};
  release_leg(*call.agent, true);
  call.agent.reset();
  call.held = false;
  const uint64_t id = call.id;
  enter(call, outside ? CallState::Outside : CallState::Queued);  // so on_ended's actions find it right
  const acd::InteractionId ended_for = router_interaction(call);
  call.router_id = 0;
  apply(router_.on_ended(ended_for));
  Call* again = find_call(id);
  if (again == nullptr) return;
  if (!outside) return enqueue(*again, *queue, 0, {}, to_agent);
  // The caller hears ringback until the outside number answers.
  again->playback = play_ringback(again->caller.endpoint);
  if (!dial_out(*again, *number, Outside::Transfer)) end_call(*again, "transfer to " + *number + " not possible");
}

void CallCenter::attended_transfer(Call& call, sip::ServerTransactionId tx, sip::Dialog& dialog,
                                   const Replaces& replaces) {
  // The consultation's dialog as we know it: our tag is the Replaces' to-tag (RFC 3891 §3);
  // phones that swap them are met half-way.
  Call* consult = call_of_dialog(sip::DialogId{replaces.call_id, replaces.to_tag, replaces.from_tag});
  if (consult == nullptr) consult = call_of_dialog(sip::DialogId{replaces.call_id, replaces.from_tag, replaces.to_tag});
  if (consult == nullptr || consult == &call || consult->caller_dialog.call_id != replaces.call_id) {
    ports_.sip.answer_in_dialog(tx, dialog, 481, "Replaced Dialog Does Not Exist");
    return;
  }
  const bool to_agent = consult->state == CallState::Connected && consult->agent && consult->agent->answered;
  const bool to_outside = consult->state == CallState::Outside && consult->outside && consult->outside->answered &&
                          !consult->pending_tx;
  if (!to_agent && !to_outside) {
    // Not answered yet: a transfer before the consulted party answers is a blind one.
    ports_.sip.answer_in_dialog(tx, dialog, 480, "Consultation Not Answered");
    return;
  }
  ports_.sip.answer_in_dialog(tx, dialog, 202, "Accepted");
  if (auto sent = ports_.sip.request_in_dialog(dialog.id(), sip::Method::Notify, refer_notify(200, "OK")); !sent) {
    spdlog::debug("call {}: NOTIFY: {}", call.interaction, sent.error().to_string());
  }
  const TimePoint now = ports_.loop.clock().now();
  const std::string from = routing_.agents[acd::index_of(call.agent->agent)].name;
  const std::string to = to_agent ? routing_.agents[acd::index_of(consult->agent->agent)].name : consult->outside_number;
  nlohmann::json data = {{"to", to_agent ? "agent" : "number"}, {to_agent ? "agent" : "number", to},
                         {"from_agent", from}, {"kind", "attended"}, {"consultation", consult->interaction}};
  emit(call, events::EventKind::Transferred, from, json_text(data));
  spdlog::info("call {}: {} transferred the caller to {} {} after consulting (call {})", call.interaction, from,
               to_agent ? "agent" : "number", to, consult->interaction);

  // The transferring agent leaves the caller's call: wrap-up for this interaction.
  for (SupervisorLeg& leg : call.supervisors) release_supervisor(call, leg, true);
  call.supervisors.clear();
  stop_playing(call);  // the music of the hold the agent put the caller on
  ports_.media.unbridge(call.caller.endpoint);
  wrap_up_of_agent_[acd::index_of(call.agent->agent)] = {call.interaction, call.queue ? queue_name(*call.queue) : ""};
  const bool recording = call.recording;
  if (recording) ports_.media.stop_recording(call.caller.endpoint);
  call.recording = false;
  release_leg(*call.agent, true);
  call.agent.reset();
  call.held = false;
  const uint64_t id = call.id;
  const uint64_t consult_id = consult->id;
  const acd::InteractionId ended_for = router_interaction(call);
  call.router_id = 0;
  enter(call, CallState::Transferring);  // the router's actions below must not touch it half-moved
  apply(router_.on_ended(ended_for));
  Call* caller = find_call(id);
  consult = find_call(consult_id);
  if (caller == nullptr || consult == nullptr) return;

  // The consulted party's leg moves to the caller's call.
  AgentLeg leg = to_agent ? std::move(*consult->agent) : std::move(*consult->outside);
  consult->agent.reset();
  consult->outside.reset();
  if (leg.dialog) call_by_dialog_[*leg.dialog] = id;
  call_by_endpoint_[leg.media.endpoint] = id;
  if (auto moved = legs_.find(leg.media.endpoint); moved != legs_.end()) {
    moved->second.call = id;  // its quality now belongs to the caller's interaction
    if (const Call* into = find_call(id)) moved->second.interaction = into->interaction;
  }
  stop_playing(*consult);
  ports_.media.unbridge(consult->caller.endpoint);
  ports_.media.unbridge(leg.media.endpoint);
  if (to_agent) {
    caller->agent = std::move(leg);
    caller->router_id = acd::index_of(router_interaction(*consult));  // the router holds the agent there
    enter(*caller, CallState::Connected);
    caller->answered_at = now;
    nlohmann::json answered = {{"transfer", "attended"}, {"codec", caller->agent->media.codec}};
    emit(*caller, events::EventKind::Answered, to, json_text(answered));
  } else {
    caller->outside = std::move(leg);
    caller->outside_purpose = Outside::Transfer;
    caller->outside_number = consult->outside_number;
    enter(*caller, CallState::Outside);
  }
  ports_.media.bridge(caller->caller.endpoint, to_agent ? caller->agent->media.endpoint : caller->outside->media.endpoint);
  if (recording && to_agent) start_recording(*caller);

  // The consultation is over: its phone leg (the transferring agent's) is hung up; its agent
  // is the caller's now (no wrap-up from here).
  end_call(*consult, "transferred");
}

}  // namespace sb::call
