// call/call_center_supervision.cc: a supervisor's phone on an agent's call. *5<agent> listens
// (monitor), *6<agent> talks to the agent only (whisper), *7<agent> joins both (barge); the
// argument is the agent's name or the interaction id (what a wallboard or a softphone has). The
// supervisor's leg is answered on an endpoint of the call's media thread and mixed in by the
// engine; hanging up leaves the caller and agent on their direct bridge again. The recording
// keeps what the caller and the agent sent, so a whisper never reaches the caller's channel.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "call/feature_codes.h"
#include "sip/ascii.h"

namespace sb::call {

namespace {

media::mixer::SupervisionMode mode_of(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::Whisper: return media::mixer::SupervisionMode::Whisper;
    case FeatureKind::Barge: return media::mixer::SupervisionMode::Barge;
    default: return media::mixer::SupervisionMode::Monitor;
  }
}

}  // namespace

void CallCenter::supervise(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                           const std::string& supervisor, const FeatureCode& code) {
  auto agent = agent_named(code.argument);
  Call* call = nullptr;
  if (agent) {
    for (auto& [id, c] : calls_) {
      if (c->state == CallState::Connected && c->agent && c->agent->agent == *agent) call = c.get();
    }
  }
  if (!agent) {
    for (auto& [id, c] : calls_) {
      if (c->state == CallState::Connected && c->agent && sip::iequals(c->interaction, code.argument)) call = c.get();
    }
  }
  if (call == nullptr) {
    ports_.sip.reply(tx, 480, agent ? "Agent Not On A Call" : "No Such Agent Or Interaction");
    return;
  }
  auto accepted = accept_phone(tx, invite, source, call->id);
  if (!accepted) return;
  SupervisorLeg leg{accepted->dialog, std::move(accepted->leg), code.kind, supervisor};
  call_by_dialog_[leg.dialog] = call->id;
  call_by_endpoint_[leg.media.endpoint] = call->id;
  note_leg(leg.media.endpoint, *call, "supervisor", supervisor);
  ports_.media.supervise(call->caller.endpoint, call->agent->media.endpoint, leg.media.endpoint, mode_of(code.kind));
  spdlog::info("call {}: {} {} agent {}", call->interaction, supervisor, feature_kind_name(code.kind),
               routing_.agents[acd::index_of(call->agent->agent)].name);
  call->supervisors.push_back(std::move(leg));
}

bool CallCenter::supervisor_left(Call& call, const sip::DialogId& dialog) {
  for (auto it = call.supervisors.begin(); it != call.supervisors.end(); ++it) {
    if (it->dialog == dialog) {
      release_supervisor(call, *it, false);
      call.supervisors.erase(it);
      return true;
    }
  }
  return false;
}

void CallCenter::release_supervisor(Call& call, SupervisorLeg& leg, bool hang_up) {
  call_by_dialog_.erase(leg.dialog);
  if (hang_up) ports_.sip.hang_up(leg.dialog);
  if (leg.media.endpoint != media::engine::kNoEndpoint) {
    ports_.media.leave_mix(leg.media.endpoint);
    call_by_endpoint_.erase(leg.media.endpoint);
    ports_.media.destroy(leg.media.endpoint);
    leg.media.endpoint = media::engine::kNoEndpoint;
  }
  spdlog::info("call {}: {} left", call.interaction, leg.supervisor);
}

}  // namespace sb::call
