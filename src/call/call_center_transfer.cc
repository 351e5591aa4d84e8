// call/call_center_transfer.cc: an agent's phone transfers the caller (RFC 3515 REFER, blind).
// The caller's leg stays where it is, anchored here; only the agent's side changes. A Refer-To
// naming a queue puts the caller back in that queue under the same interaction id (the agent
// goes to wrap-up); naming an agent offers the call to that agent first (the queue takes it if
// the agent lets it ring), refused with 480 while that agent cannot take a call, so the
// transferring agent keeps the caller; an E.164 number dials out through the trunk. The phone
// is told with a NOTIFY carrying the outcome (RFC 3515 §2.4.5).
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "media/engine/player_source.h"
#include "media/tone/tone_presets.h"
#include "sip/parse/name_addr.h"

namespace sb::call {

using store::InteractionEventKind;

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
  auto target = refer_to ? sip::parse_name_addr(*refer_to) : Result<sip::NameAddr>(Error{"no Refer-To", ""});
  if (!target) {
    stack_.answer_in_dialog(tx, dialog, 400, "Bad Refer-To");
    return;
  }
  if (call.phase != Phase::Connected || !call.agent) {
    stack_.answer_in_dialog(tx, dialog, 491, "Request Pending");
    return;
  }
  const std::string user(target->uri.user);
  std::optional<acd::QueueId> queue = queue_named(user);
  const std::optional<acd::AgentId> to_agent = queue ? std::nullopt : agent_named(user);
  const bool outside =
      !queue && !to_agent && config_.outbound && normalize_e164(user, config_.dialplan).has_value();
  if (!queue && !to_agent && !outside) {
    stack_.answer_in_dialog(tx, dialog, 404, "Unknown Transfer Target");
    return;
  }
  if (to_agent) {
    if (*to_agent == call.agent->agent || router_.agent_state(*to_agent) != acd::AgentState::Available) {
      spdlog::info("call {}: transfer to agent {} refused: not available", call.interaction, user);
      stack_.answer_in_dialog(tx, dialog, 480, "Agent Not Available");
      return;
    }
    queue = call.queue;  // where the call waits should the agent not answer
    if (!queue) {
      const auto& theirs = router_.queues_of(*to_agent);
      queue = theirs.empty() ? acd::QueueId(0) : theirs.front();
    }
  }
  stack_.answer_in_dialog(tx, dialog, 202, "Accepted");
  const sip::DialogId agent_dialog = dialog.id();
  if (auto sent = stack_.request_in_dialog(agent_dialog, sip::Method::Notify, refer_notify(200, "OK")); !sent) {
    spdlog::debug("call {}: NOTIFY: {}", call.interaction, sent.error().to_string());
  }
  const std::string from = routing_.agents[acd::index_of(call.agent->agent)].name;
  const char* kind = outside ? "number" : to_agent ? "agent" : "queue";
  nlohmann::json data = {{"to", kind}, {kind, user}, {"from_agent", from}, {"kind", "blind"}};
  emit(call, InteractionEventKind::Transferred, from, data.dump());
  spdlog::info("call {}: {} transferred the caller to {} {}", call.interaction, from, kind, user);
  // The transferring agent is done with the call (wrap-up); the caller waits again.
  for (SupervisorLeg& leg : call.supervisors) release_supervisor(call, leg, true);
  call.supervisors.clear();
  if (call.recording) engine_.stop_recording(call.caller.endpoint);
  call.recording = false;
  engine_.unbridge(call.caller.endpoint);
  wrap_up_of_agent_[acd::index_of(call.agent->agent)] = {call.interaction, call.queue ? queue_name(*call.queue) : ""};
  release_leg(*call.agent, true);
  call.agent.reset();
  call.held = false;
  const uint64_t id = call.id;
  call.phase = outside ? Phase::Outside : Phase::Queued;  // so on_ended's actions find it right
  apply(router_.on_ended(acd::InteractionId(id)));
  Call* again = find_call(id);
  if (again == nullptr) return;
  if (!outside) return enqueue(*again, *queue, 0, {}, to_agent);
  // The caller hears ringback until the outside number answers.
  play_ringback(again->caller.endpoint);
  if (!dial_out(*again, user, Outside::Transfer)) end_call(*again, "transfer to " + user + " not possible");
}

}  // namespace sb::call
