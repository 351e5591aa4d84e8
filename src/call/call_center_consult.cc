// call/call_center_consult.cc: a phone calls a colleague by agent name or a queue by name: a
// consultation, the first half of an attended transfer (the second is in
// call_center_transfer.cc). It is a call like a customer's, the phone its caller leg: answered
// at once, ringback while the named agent rings (music while a queue finds one), offered
// through the router so the consulted agent is reserved, never recorded.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "call/json_text.h"

namespace sb::call {


void CallCenter::consult_from_phone(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                                    const std::string& user, std::optional<acd::QueueId> queue,
                                    std::optional<acd::AgentId> agent) {
  const std::optional<acd::AgentId> from = phones_.agent_of_user(user);
  const std::string from_agent = from ? routing_.agents[acd::index_of(*from)].name : std::string();
  if (agent) {
    if (from && *from == *agent) {
      ports_.sip.reply(tx, 486, "Busy Here");  // calling oneself
      return;
    }
    if (router_.agent_state(*agent) != acd::AgentState::Available) {
      spdlog::info("phone {}: consultation with agent {} refused: not available", user,
                   routing_.agents[acd::index_of(*agent)].name);
      ports_.sip.reply(tx, 486, "Busy Here");
      return;
    }
    queue = home_queue_of(*agent);
  }
  const uint64_t id = next_call_++;
  auto accepted = accept_phone(tx, invite, source, id);
  if (!accepted) return;
  auto call = std::make_unique<Call>();
  call->id = id;
  call->interaction = new_interaction_id();
  call->caller_dialog = accepted->dialog;
  call->caller = std::move(accepted->leg);
  call->caller_number = user;
  call->consult = true;
  call->outside_agent = from_agent;
  call->arrived = ports_.loop.clock().now();
  call->language = config_.default_language;
  log_phone_dialog(*call);
  call_by_dialog_[call->caller_dialog] = id;
  call_by_endpoint_[call->caller.endpoint] = id;
  note_leg(call->caller.endpoint, *call, "consulting-agent", user);
  Call& c = *call;
  calls_[id] = std::move(call);
  const std::string target = agent ? routing_.agents[acd::index_of(*agent)].name : queue_name(*queue);
  nlohmann::json data = {{"direction", "internal"}, {"consultation", true}, {"caller", user},
                         {agent ? "agent" : "queue", target}};
  emit(c, events::EventKind::Arrived, from_agent, json_text(data));
  spdlog::info("call {}: consultation from {} ({}) to {} {}", c.interaction, user,
               from_agent.empty() ? "no agent" : from_agent, agent ? "agent" : "queue", target);
  enqueue(c, *queue, 0, {}, agent);
}

// What a phone's REFER would carry in Replaces for this call (RFC 3891: our tag is its to-tag).
void CallCenter::log_phone_dialog(const Call& call) const {
  spdlog::debug("call {}: consultation dialog Call-ID {} (our tag {}, phone's tag {})", call.interaction,
                call.caller_dialog.call_id, call.caller_dialog.local_tag, call.caller_dialog.remote_tag);
}

}  // namespace sb::call
