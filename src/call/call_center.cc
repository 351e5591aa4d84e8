// call/call_center.cc: calls and their legs: inbound INVITEs to DIDs, the call's state,
// ending a call and releasing its legs, the caller's session timer, events, reload and
// shutdown.
#include "call/call_center.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/json_text.h"
#include "media/sdp/session_description.h"
#include "sip/error_status.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/uri.h"

namespace sb::call {

namespace engine = media::engine;

namespace {

sip::auth::DigestServerConfig phone_auth_config(const CallCenterConfig& c) {
  sip::auth::DigestServerConfig out;
  out.realm = c.realm;
  out.algorithms = c.algorithms;
  return out;
}


// The user part of a URI in a header value ("\"Bob\" <sip:+1555@carrier>;tag=x" -> "+1555").
std::string user_of(std::string_view header_value) {
  if (auto addr = sip::parse_name_addr(header_value)) return std::string(addr->uri.user);
  return {};
}

}  // namespace

CallCenter::CallCenter(CallCenterPorts ports, const acd::RoutingConfig& routing,
                       std::shared_ptr<const ivr::FlowSet> flows,
                       std::map<std::string, ivr::BusinessHours, std::less<>> hours,
                       std::shared_ptr<const PromptLibrary> prompts, CallCenterConfig config)
    : ports_(std::move(ports)),
      routing_(routing),
      flows_(std::move(flows)),
      hours_(std::move(hours)),
      prompts_(std::move(prompts)),
      config_(std::move(config)),
      router_(ports_.loop.clock(), routing, config_.seed == 0 ? std::random_device{}() : config_.seed),
      phone_auth_(ports_.loop.clock(), phone_auth_config(config_), config_.accounts),
      rng_(config_.seed == 0 ? std::random_device{}() : config_.seed),
      phones_(ports_.locations) {
  ports_.locations.add_observer([this](std::string_view aor, const std::vector<sip::registrar::Binding>& bindings) {
    on_phone_bindings(aor, !bindings.empty());
  });
  schedule_self_check();
}

CallCenter::~CallCenter() {
  ports_.lookups.cancel_all();  // their callbacks point here
  if (router_timer_ != 0) ports_.loop.cancel(router_timer_);
  if (self_check_timer_ != 0) ports_.loop.cancel(self_check_timer_);
}

const InboundRoute* CallCenter::route_for(std::string_view dialled) const {
  const InboundRoute* fallback = nullptr;
  for (const InboundRoute& r : config_.inbound) {
    if (r.did == dialled) return &r;
    // "+15550100" also matches a carrier that sends it without the plus.
    if (!r.did.empty() && r.did[0] == '+' && std::string_view(r.did).substr(1) == dialled) return &r;
    if (r.did == "*") fallback = &r;
  }
  return fallback;
}

void CallCenter::handle_invite(sip::ServerTransactionId tx, const sip::Message& invite,
                           const sip::Peer& source) {
  if (shutting_down_) {
    ports_.sip.reply(tx, 503, "Service Unavailable");
    return;
  }
  auto uri = sip::parse_uri(invite.request_uri());
  const std::string dialled = uri ? std::string(uri->user) : std::string();
  // Star codes and calls from the center's own phones need the phone's credentials; numbers
  // the center publishes (DIDs) take calls from anyone, as a carrier delivers them.
  if (!dialled.empty() && dialled[0] == '*') return on_phone_invite(tx, invite, source);
  const InboundRoute* route = route_for(dialled);
  if (route != nullptr && route->did != "*") return start_inbound(tx, invite, source, *route);
  // One of our phones dialling out (not one of our numbers): it must prove it is ours.
  if (phone_auth_.has_account(user_of(invite.first(sip::HeaderName::From).value_or("")))) {
    return on_phone_invite(tx, invite, source);
  }
  if (route != nullptr) return start_inbound(tx, invite, source, *route);
  ports_.sip.reply(tx, 404, "Not Found");
}

std::string CallCenter::new_interaction_id() {
  // Time-ordered and unique across restarts: milliseconds since the epoch, then a sequence.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(ports_.loop.clock().now().time_since_epoch()).count();
  return fmt::format("{:011x}{:05x}", ms, next_interaction_++ & 0xfffff);
}

void CallCenter::start_inbound(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                               const InboundRoute& route) {
  if (!config_.carriers.empty() && !config_.carriers.allows(source.remote.ip())) {
    spdlog::warn("call: INVITE to {} from {} refused: not a carrier's address (sip.trunks allow)", route.did,
                 source.remote.to_string());
    ports_.sip.reply(tx, 403, "Forbidden");
    return;
  }
  SessionTimerDecision timer = decide_session_timer(invite, config_.session_timers);
  if (timer.reject_status == 422) {
    sip::ResponseParts refusal;
    refusal.headers.emplace_back("Min-SE", timer.min_se_header);
    ports_.sip.reply(tx, 422, "Session Interval Too Small", std::move(refusal));
    return;
  }
  if (timer.reject_status != 0) {
    ports_.sip.reply(tx, 400, "Bad Session-Expires");
    return;
  }
  const uint64_t id = next_call_++;
  // A carrier's call takes that trunk's codecs.
  LegMediaSettings media = config_.media;
  for (const OutboundTrunk& trunk : config_.trunks) {
    if (!trunk.allow.empty() && trunk.allow.allows(source.remote.ip())) media.codecs = trunk.codecs;
  }
  auto answered = answer_offer(ports_.media, media, invite.body(), id);
  if (!answered) {
    const sip::StatusLine refusal = sip::status_for(answered.error());
    spdlog::info("call: INVITE {} refused: {}", invite.call_id(), answered.error().message);
    ports_.sip.reply(tx, refusal.status, refusal.reason);
    return;
  }
  sip::ResponseParts parts;
  parts.content_type = "application/sdp";
  parts.body = answered->answer_text;
  if (timer.timer) {
    parts.headers.emplace_back("Session-Expires", timer.timer->header_value());
    if (timer.timer->refresher == Refresher::Uac) parts.headers.emplace_back("Require", "timer");
  }
  // Early media: a 183 with our description now, the 200 (same description) when answered.
  sip::Dialog* dialog = route.early_media ? ports_.sip.accept_invite(tx, source, 183, "Session Progress", parts)
                                          : ports_.sip.accept_invite(tx, source, 200, "OK", parts);
  if (dialog == nullptr) {
    ports_.media.destroy(answered->leg.endpoint);
    return;
  }
  auto call = std::make_unique<Call>();
  if (route.early_media) {
    call->early_media = true;
    call->pending_tx = tx;
    call->pending_answer = answered->answer_text;
    call->pending_headers = parts.headers;
  }
  call->session_timer = timer.timer;
  call->id = id;
  call->interaction = new_interaction_id();
  call->caller_dialog = dialog->id();
  call->caller = std::move(answered->leg);
  call->caller_number = user_of(invite.first(sip::HeaderName::From).value_or(""));
  call->did = route.did;
  call->arrived = ports_.loop.clock().now();
  call->language = config_.default_language;
  call_by_dialog_[call->caller_dialog] = id;
  call_by_endpoint_[call->caller.endpoint] = id;
  note_leg(call->caller.endpoint, *call, "caller");
  Call& c = *call;
  calls_[id] = std::move(call);
  ++stats_.calls;
  arm_session_timer(c);
  spdlog::info("call {}: {} -> {} ({}), {}", c.interaction, c.caller_number, route.did,
               route.flow.empty() ? "queue " + route.queue : "flow " + route.flow, c.caller.codec);
  nlohmann::json data = {{"caller", c.caller_number}, {"did", route.did}, {"sip_call_id", std::string(invite.call_id())}};
  emit(c, events::EventKind::Arrived, {}, json_text(data));
  if (!route.flow.empty()) {
    if (const ivr::Flow* flow = flows_->find(route.flow)) {
      c.flows = flows_;
      return start_flow(c, *flow);
    }
    spdlog::error("call {}: no flow {}", c.interaction, route.flow);
    return end_call(c, "no flow");
  }
  if (auto queue = queue_named(route.queue)) return enqueue(c, *queue, 0, {});
  end_call(c, "no queue");
}

bool CallCenter::enter(Call& call, CallState to) {
  if (!call_state_move_allowed(call.state, to)) {
    ++stats_.illegal_moves;
    spdlog::error("call {}: illegal move {} -> {} refused", call.interaction, call_state_name(call.state),
                  call_state_name(to));
    return false;
  }
  call.state = to;
  return true;
}

CallCenter::Call* CallCenter::find_call(uint64_t id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.get();
}

CallCenter::Call* CallCenter::call_of_dialog(const sip::DialogId& id) {
  auto it = call_by_dialog_.find(id);
  return it == call_by_dialog_.end() ? nullptr : find_call(it->second);
}

// The caller hung up: wherever the call was, it ends now and nobody is left ringing or held.
void CallCenter::caller_left(Call& call) {
  const TimePoint now = ports_.loop.clock().now();
  if (call.state == CallState::Queued) {
    ++stats_.abandoned;
    nlohmann::json data = {{"wait_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now - call.queued_at).count()}};
    emit(call, events::EventKind::Abandoned, {}, json_text(data));
    apply(router_.on_abandoned(acd::InteractionId(call.id)));
  } else if (call.state == CallState::Ivr) {
    nlohmann::json data = {{"node", call.ivr ? std::string(call.ivr->current_node()) : std::string()}};
    emit(call, events::EventKind::Abandoned, {}, json_text(data));
  }
  call.caller_dialog = {};
  end_call(call, "caller hung up");
}

void CallCenter::drop_caller_leg(Call& call) {
  if (!call.caller_dialog.call_id.empty()) {
    call_by_dialog_.erase(call.caller_dialog);
    ports_.sip.hang_up(call.caller_dialog);  // 480 to an INVITE still unanswered (early media)
    call.pending_tx.reset();
    call.caller_dialog = {};
  }
  if (call.caller.endpoint != engine::kNoEndpoint) {
    call_by_endpoint_.erase(call.caller.endpoint);
    ports_.media.destroy(call.caller.endpoint);
    call.caller.endpoint = engine::kNoEndpoint;
  }
  call.playing = Playing::None;
}

void CallCenter::agent_left(Call& call) {
  if (call.agent) call.agent->dialog.reset();
  end_call(call, "agent hung up");
}

void CallCenter::release_leg(AgentLeg& leg, bool hang_up) {
  if (leg.session_timer_id != 0) ports_.loop.cancel(leg.session_timer_id);
  leg.session_timer_id = 0;
  if (leg.dialog) {
    call_by_dialog_.erase(*leg.dialog);
    if (hang_up) ports_.sip.hang_up(*leg.dialog);
    leg.dialog.reset();
  } else if (leg.invite && hang_up) {
    ports_.sip.cancel_invite(*leg.invite);
  }
  leg.invite.reset();
  if (leg.media.endpoint != engine::kNoEndpoint) {
    call_by_endpoint_.erase(leg.media.endpoint);
    ports_.media.destroy(leg.media.endpoint);
    leg.media.endpoint = engine::kNoEndpoint;
  }
}

// Ends what is left of a call: every leg hung up, endpoints freed, the ACD told, the final
// events written. Safe from any state, once.
void CallCenter::end_call(Call& call, std::string_view why) {
  if (call.state == CallState::Ending) return;
  const CallState was = call.state;
  enter(call, CallState::Ending);
  const TimePoint now = ports_.loop.clock().now();
  if (call.ivr_timer != 0) ports_.loop.cancel(call.ivr_timer);
  if (call.voicemail_timer != 0) ports_.loop.cancel(call.voicemail_timer);
  if (call.session_timer_id != 0) ports_.loop.cancel(call.session_timer_id);
  call.ivr_timer = call.voicemail_timer = call.session_timer_id = 0;
  if (call.recording) ports_.media.stop_recording(call.caller.endpoint);
  for (SupervisorLeg& leg : call.supervisors) release_supervisor(call, leg, true);
  call.supervisors.clear();
  for (AgentLeg& leg : call.ringing) release_leg(leg, true);
  call.ringing.clear();
  if (call.outside) release_leg(*call.outside, true);
  call.outside.reset();
  if (call.pending_tx && !call.caller_dialog.call_id.empty()) {
    // A dial-out the phone gave up on or that failed; a caller in early media nobody answered.
    ports_.sip.hang_up(call.caller_dialog, call.early_media ? 480 : 487);
    call_by_dialog_.erase(call.caller_dialog);
    call.caller_dialog = {};
  }
  nlohmann::json data = {{"reason", std::string(why)}};
  std::string agent_name;
  if (call.agent) {
    agent_name = routing_.agents[acd::index_of(call.agent->agent)].name;
    data["talk_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(now - call.answered_at).count();
    data["wait_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(call.answered_at - call.queued_at).count();
    wrap_up_of_agent_[acd::index_of(call.agent->agent)] = {call.interaction, call.queue ? queue_name(*call.queue) : ""};
    release_leg(*call.agent, true);
  }
  if (was == CallState::Queued && (!call.caller_dialog.call_id.empty() || call.callback)) {
    // Leaving the queue without an agent while the caller is still there (overflow to a
    // message, shutdown) or waiting for a callback: the router forgets it like an abandon.
    apply(router_.on_abandoned(acd::InteractionId(call.id)));
  }
  drop_caller_leg(call);
  if (!call.voicemail_path.empty()) {
    data["voicemail"] = call.voicemail_path;
    data["caller"] = call.caller_number;
  } else if (call.recording) {
    data["recording"] = call.recording_path;
    if (call.recording_paused_at) {
      call.recording_pauses.emplace_back(
          std::chrono::duration_cast<std::chrono::milliseconds>(*call.recording_paused_at - call.recording_started).count(),
          std::chrono::duration_cast<std::chrono::milliseconds>(now - call.recording_started).count());
    }
    data["recording_pauses"] = call.recording_pauses;
    if (call.recordings.size() > 1) data["recordings"] = call.recordings;
    data["participants"] = nlohmann::json::array({{{"role", "caller"}, {"number", call.caller_number}},
                                                  {{"role", "agent"}, {"name", agent_name}}});
  }
  emit(call, events::EventKind::Ended, agent_name, json_text(data));
  spdlog::info("call {}: ended ({})", call.interaction, why);
  // The router's on_ended starts the agent's wrap-up; it may hand out new work at once.
  const bool had_agent = call.agent.has_value() && call.agent->answered;
  const uint64_t id = call.id;
  const acd::InteractionId router_id = router_interaction(call);
  calls_.erase(id);
  if (had_agent) apply(router_.on_ended(router_id));
}

// The caller's session timer: the caller refreshes and we watch for it, or we refresh (a
// re-INVITE with our unchanged description, which also proves the caller is still there: a
// 481 or a timeout ends the dialog and the call).
void CallCenter::arm_session_timer(Call& call) {
  if (call.session_timer_id != 0) ports_.loop.cancel(call.session_timer_id);
  call.session_timer_id = 0;
  if (!call.session_timer) return;
  const uint64_t id = call.id;
  const SessionTimer timer = *call.session_timer;
  if (!timer.we_refresh()) {
    call.session_timer_id = ports_.loop.schedule_after(timer.expiry_after_refresh(), [this, id] {
      if (Call* c = find_call(id)) {
        c->session_timer_id = 0;
        spdlog::info("call {}: the caller's session timer ran out without a refresh", c->interaction);
        end_call(*c, "session timer expired");
      }
    });
    return;
  }
  call.session_timer_id = ports_.loop.schedule_after(timer.our_refresh_after(), [this, id] {
    Call* c = find_call(id);
    if (c == nullptr || c->caller_dialog.call_id.empty()) return;
    c->session_timer_id = 0;
    sip::RequestOptions refresh;
    refresh.headers = {{"Session-Expires", c->session_timer->header_value()}};
    refresh.content_type = "application/sdp";
    refresh.body = media::sdp::serialize(c->caller.local);
    if (auto sent = ports_.sip.request_in_dialog(c->caller_dialog, sip::Method::Invite, refresh); !sent) {
      spdlog::debug("call {}: session refresh not sent: {}", c->interaction, sent.error().to_string());
    }
    arm_session_timer(*c);
  });
}

void CallCenter::emit(const Call& call, events::EventKind kind, std::string agent, std::string data) {
  if (!ports_.events) return;
  events::Event e;
  e.interaction_id = call.interaction;
  e.kind = kind;
  e.at = ports_.loop.clock().now();
  if (call.queue) e.queue = queue_name(*call.queue);
  e.agent = std::move(agent);
  e.data = std::move(data);
  ports_.events(std::move(e));
}

void CallCenter::reload(std::shared_ptr<const ivr::FlowSet> flows,
                        std::map<std::string, ivr::BusinessHours, std::less<>> hours,
                        std::shared_ptr<const PromptLibrary> prompts, CallCenterConfig config) {
  flows_ = std::move(flows);
  hours_ = std::move(hours);  // FlowRuns keep their own copy
  prompts_ = std::move(prompts);
  for (const auto& account : config.accounts) phone_auth_.set_account(account);
  for (const auto& old : config_.accounts) {
    bool kept = false;
    for (const auto& account : config.accounts) kept = kept || account.user == old.user;
    if (!kept) phone_auth_.remove_account(old.user);
  }
  config.seed = config_.seed;
  config_ = std::move(config);
  spdlog::info("call center: configuration reloaded ({} flow(s), {} inbound route(s), {} calls in progress keep theirs)",
               flows_->flows.size(), config_.inbound.size(), calls_.size());
}

std::string CallCenter::agents_summary() const {
  std::string text;
  for (const auto& [agent, phone] : phones_.seated()) {
    if (!text.empty()) text += ", ";
    text += routing_.agents[agent].name + " " + std::string(acd::agent_state_name(router_.agent_state(acd::AgentId(agent))));
  }
  return text.empty() ? "none logged in" : text;
}

void CallCenter::log_agents() const { spdlog::info("agents: {}", agents_summary()); }

void CallCenter::shutdown() {
  shutting_down_ = true;
  std::vector<uint64_t> ids;
  for (const auto& [id, call] : calls_) ids.push_back(id);
  for (uint64_t id : ids) {
    if (Call* call = find_call(id)) end_call(*call, "server shutting down");
  }
  for (auto& [dialog, service] : service_calls_) {
    ports_.media.destroy(service.media.endpoint);
    ports_.sip.hang_up(dialog);
  }
  service_calls_.clear();
  for (const auto& [agent, phone] : phones_.seated()) router_.on_agent_logout(acd::AgentId(agent));
  phones_.clear();
  if (router_timer_ != 0) ports_.loop.cancel(router_timer_);
  router_timer_ = 0;
}

}  // namespace sb::call
