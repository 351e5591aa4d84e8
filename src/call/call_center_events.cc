// call/call_center_events.cc: the events the call center emits besides an interaction's steps:
// agent events from the router's state changes (agent_events.h), and one leg-quality event
// per leg when the engine reports the leg's figures as its endpoint goes.
#include "call/agent_events.h"
#include "call/call_center.h"
#include "call/json_text.h"

namespace sb::call {

void CallCenter::emit_agent_events(const acd::AgentStateChanged& change) {
  const uint32_t index = acd::index_of(change.agent);
  SeenAgent& seen = seen_agents_[index];
  if (const std::string* phone = phones_.phone_of(change.agent)) seen.phone = *phone;
  AgentChange c;
  c.agent = routing_.agents[index].name;
  c.from = seen.state;
  c.to = change.state;
  c.from_reason = seen.reason;
  if (change.state == acd::AgentState::NotReady) {
    c.reason = routing_.reason_codes[acd::index_of(change.reason)];
  }
  c.phone = seen.phone;
  std::tie(c.interaction, c.queue) = interaction_of_agent(change.agent, change.state);
  c.at = ports_.loop.clock().now();
  seen.state = change.state;
  seen.reason = c.reason;
  if (change.state == acd::AgentState::LoggedOut) {
    seen_agents_.erase(index);
    last_offer_of_agent_.erase(index);
  }
  if (!ports_.events) {
    return;
  }
  for (events::Event& e : agent_events(c)) {
    ports_.events(std::move(e));
  }
}

void CallCenter::note_offers(const acd::Actions& actions) {
  for (const acd::Action& action : actions) {
    const auto* offer = std::get_if<acd::OfferToAgents>(&action);
    const Call* call = offer != nullptr ? find_call(static_cast<uint64_t>(offer->interaction)) : nullptr;
    if (call == nullptr) {
      continue;
    }
    for (acd::AgentId agent : offer->agents) {
      last_offer_of_agent_[acd::index_of(agent)] = {call->interaction,
                                                    call->queue ? queue_name(*call->queue) : std::string()};
    }
  }
}

std::pair<std::string, std::string> CallCenter::interaction_of_agent(acd::AgentId agent, acd::AgentState state) const {
  // No scan of the calls: an agent is offered, misses, or becomes busy with the call last
  // offered to it (the router answers only offers), and wraps up the call it just left.
  const uint32_t index = acd::index_of(agent);
  if (state == acd::AgentState::WrapUp) {
    if (auto it = wrap_up_of_agent_.find(index); it != wrap_up_of_agent_.end()) {
      return it->second;
    }
  }
  auto it = last_offer_of_agent_.find(index);
  return it != last_offer_of_agent_.end() ? it->second : std::pair<std::string, std::string>{};
}

void CallCenter::note_leg(media::engine::EndpointId endpoint, const Call& call, std::string role, std::string agent) {
  legs_[endpoint] =
      LegIdentity{call.id, call.interaction, call.queue ? queue_name(*call.queue) : std::string(), std::move(role),
                  std::move(agent)};
}

void CallCenter::emit_quality(const media::engine::MediaEvent& event) {
  auto it = legs_.find(event.endpoint);
  if (it == legs_.end()) {
    return;  // a service call's or a test's endpoint: no interaction to tell of
  }
  LegIdentity leg = std::move(it->second);
  legs_.erase(it);
  if (!ports_.events) {
    return;
  }
  const auto& q = event.quality;
  nlohmann::json data = {{"leg", leg.role},
                         {"packets_received", q.packets_received},
                         {"packets_sent", q.packets_sent},
                         {"packets_lost", q.packets_lost},
                         {"loss_percent", q.loss_percent},
                         {"jitter_ms", q.jitter_ms},
                         {"rtt_ms", q.rtt_ms ? nlohmann::json(*q.rtt_ms) : nlohmann::json(nullptr)},
                         {"r_factor", q.r_factor},
                         {"mos", q.mos}};
  if (q.packets_received == 0) {
    // No audio came: the E-model's defaults would score silence as a good call.
    data["r_factor"] = nullptr;
    data["mos"] = nullptr;
  }
  events::Event e;
  e.interaction_id = leg.interaction;
  e.kind = events::EventKind::LegQuality;
  e.at = ports_.loop.clock().now();
  e.queue = leg.queue;
  if (auto call = calls_.find(leg.call); call != calls_.end() && call->second->queue) {
    e.queue = queue_name(*call->second->queue);  // overflow may have moved it since
  }
  e.agent = leg.agent;
  e.data = json_text(data);
  ports_.events(std::move(e));
}

}  // namespace sb::call
