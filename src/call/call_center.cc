// call/call_center.cc: calls and their legs: inbound INVITEs to DIDs, hang-ups from either
// side, playback and digits, interaction events.
#include "call/call_center.h"

#include "sip/error_status.h"
#include "call/json_text.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "media/engine/player_source.h"
#include "media/sdp/session_description.h"
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
  // A refresh from the caller (re-INVITE or UPDATE) restarts its session timer (RFC 4028 §10).
  std::vector<std::pair<std::string, std::string>> timer_headers;
  if (call != nullptr && leg == &call->caller && call->session_timer &&
      (request.method() == sip::Method::Invite || request.method() == sip::Method::Update)) {
    SessionTimerDecision again = decide_session_timer(request, config_.session_timers);
    if (again.reject_status == 422) {
      sip::ResponseParts refusal;
      refusal.headers.emplace_back("Min-SE", again.min_se_header);
      ports_.sip.answer_in_dialog(tx, dialog, 422, "Session Interval Too Small", std::move(refusal));
      return;
    }
    if (again.timer) call->session_timer = again.timer;
    arm_session_timer(*call);
    timer_headers.emplace_back("Session-Expires", call->session_timer->header_value());
    if (call->session_timer->refresher == Refresher::Uac) timer_headers.emplace_back("Require", "timer");
    if (request.method() == sip::Method::Update && request.body().empty()) {
      sip::ResponseParts parts;
      parts.headers = timer_headers;
      ports_.sip.answer_in_dialog(tx, dialog, 200, "OK", parts);
      return;
    }
  }
  if (called != nullptr && (request.method() == sip::Method::Invite || request.method() == sip::Method::Update)) {
    timer_headers = on_leg_refreshed(*called, request);
    if (request.method() == sip::Method::Update && request.body().empty()) {
      sip::ResponseParts parts;
      parts.headers = timer_headers;
      ports_.sip.answer_in_dialog(tx, dialog, 200, "OK", parts);
      return;
    }
  }
  if (request.method() == sip::Method::Invite && leg != nullptr && !request.body().empty()) {
    auto answer = answer_reoffer(ports_.media, config_.media, *leg, request.body());
    if (!answer) {
      const sip::StatusLine refusal = sip::status_for(answer.error());
      ports_.sip.answer_in_dialog(tx, dialog, refusal.status, refusal.reason);
      return;
    }
    // The agent's phone holding the caller: music for the caller until it resumes.
    if (from_agent && call->state == CallState::Connected) {
      const bool hold = offer_is_hold(request.body());
      if (hold != call->held) {
        call->held = hold;
        if (hold) {
          ports_.media.unbridge(call->caller.endpoint);
          if (queue_settings(*call->queue).moh == std::vector<std::string>{"ringback"}) {
            play(*call, Playing::Moh, {"music-on-hold"}, false, true);  // held, not ringing
          } else {
            play_moh(*call);
          }
        } else {
          stop_playing(*call);
          ports_.media.bridge(call->caller.endpoint, call->agent->media.endpoint);
        }
        const std::string& agent = routing_.agents[acd::index_of(call->agent->agent)].name;
        spdlog::info("call {}: {} {} the caller", call->interaction, agent, hold ? "held" : "resumed");
        emit(*call, hold ? events::EventKind::Held : events::EventKind::Resumed, agent);
      }
    }
    sip::ResponseParts parts;
    parts.content_type = "application/sdp";
    parts.body = *answer;
    parts.headers = timer_headers;
    ports_.sip.answer_in_dialog(tx, dialog, 200, "OK", parts);
    return;
  }
  ports_.sip.answer_in_dialog(tx, dialog, 200, "OK");
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

void CallCenter::play(Call& call, Playing what, const std::vector<std::string>& prompts, bool barge_in, bool loop) {
  auto items = prompts_->playlist(prompts, call.language);
  if (items.empty()) {
    // Nothing to say (prompts missing): carry on as if it had been said, on the next turn of
    // the loop so the caller's state machine is never re-entered.
    call.playing = what;
    const uint64_t id = call.id;
    ports_.loop.post([this, id] {
      if (Call* c = find_call(id); c != nullptr && c->playing != Playing::None) on_playback_done(*c, '\0');
    });
    return;
  }
  media::player::PlayerOptions options;
  options.barge_in = barge_in;
  options.loop = loop;
  auto player = media::player::Player::create(std::move(items), options);
  if (!player) {
    spdlog::warn("call {}: {}", call.interaction, player.error().to_string());
    return;
  }
  call.playing = what;
  call.playback = ports_.media.play(call.caller.endpoint, std::make_unique<engine::PlayerSource>(std::move(*player)));
}

void CallCenter::answer_caller(Call& call) {
  if (!call.pending_tx) return;
  sip::ResponseParts parts;
  parts.content_type = "application/sdp";
  parts.body = call.pending_answer;
  parts.headers = call.pending_headers;
  if (sip::Dialog* dialog = ports_.sip.dialog(call.caller_dialog); dialog != nullptr) {
    ports_.sip.answer_in_dialog(*call.pending_tx, *dialog, 200, "OK", parts);
  }
  call.pending_tx.reset();
  if (call.early_media) spdlog::info("call {}: answered (after early media)", call.interaction);
  call.early_media = false;
}

// The queue's music, or the ringback tone for queues that want the caller to hear ringing.
void CallCenter::play_moh(Call& call) {
  const std::vector<std::string>& moh = queue_settings(*call.queue).moh;
  if (moh.size() == 1 && moh.front() == "ringback") {
    stop_playing(call);
    call.playback = play_ringback(call.caller.endpoint);
    call.playing = Playing::Ringback;
    return;
  }
  play(call, Playing::Moh, moh, false, true);
}

void CallCenter::stop_playing(Call& call) {
  if (call.playing == Playing::None) return;
  call.playing = Playing::None;
  if (call.caller.endpoint != engine::kNoEndpoint) ports_.media.stop_playing(call.caller.endpoint);
}

void CallCenter::on_media_event(const engine::MediaEvent& event) {
  if (event.kind == engine::MediaEvent::Kind::Quality) return emit_quality(event);
  if (event.kind == engine::MediaEvent::Kind::PlaybackDone) {
    for (auto& [id, service] : service_calls_) {
      if (service.media.endpoint == event.endpoint) {
        const sip::DialogId dialog = id;
        ports_.media.destroy(service.media.endpoint);
        service_calls_.erase(dialog);
        ports_.sip.hang_up(dialog);
        return;
      }
    }
  }
  auto owner = call_by_endpoint_.find(event.endpoint);
  if (owner == call_by_endpoint_.end()) return;
  Call* call = find_call(owner->second);
  if (call == nullptr) return;
  const bool from_caller = event.endpoint == call->caller.endpoint;
  switch (event.kind) {
    case engine::MediaEvent::Kind::Dtmf:
      spdlog::debug("call {}: digit {} from the {}", call->interaction, event.digit, from_caller ? "caller" : "agent");
      if (from_caller) {
        on_digit(*call, event.digit);
      } else if (call->agent && event.endpoint == call->agent->media.endpoint) {
        on_agent_digit(*call, event.digit);
      }
      break;
    case engine::MediaEvent::Kind::PlaybackDone:
      // Only the end of what the caller hears now: a list replaced just as it ended is not it.
      if (from_caller && event.playback == call->playback) on_playback_done(*call, event.digit);
      break;
    case engine::MediaEvent::Kind::MediaTimeout:
      spdlog::info("call {}: no RTP from the {}: hanging up", call->interaction, from_caller ? "caller" : "agent");
      end_call(*call, "media timeout");
      break;
    default:
      break;
  }
}

void CallCenter::on_playback_done(Call& call, char interrupted_by) {
  const Playing was = call.playing;
  call.playing = Playing::None;
  if (call.hang_up_after_playback) {
    call.hang_up_after_playback = false;
    if (!call.callback) return end_call(call, "message played");
    // Virtual hold: the caller goes, the place in the queue stays until an agent is free.
    return drop_caller_leg(call);
  }
  switch (was) {
    case Playing::Ivr:
      // A digit that barged in reaches the flow as a digit (the Dtmf event came first).
      if (interrupted_by == '\0' && call.ivr && call.state == CallState::Ivr) run_step(call, call.ivr->on_prompts_done());
      break;
    case Playing::Announcement:
      if (call.state == CallState::Queued) play_moh(call);
      break;
    case Playing::Consent:
      if (call.state == CallState::Connected) {
        start_recording(call);
        if (!call.held) ports_.media.bridge(call.caller.endpoint, call.agent->media.endpoint);
      }
      break;
    case Playing::Message:
      if (call.state == CallState::Voicemail) start_voicemail(call, "", config_.voicemail_max);
      break;
    default:
      break;
  }
}

void CallCenter::on_digit(Call& call, char digit) {
  if (call.state == CallState::Ivr && call.ivr) return run_step(call, call.ivr->on_digit(digit));
  if (call.state == CallState::Queued && digit == '1' && call.callback_offered) {
    // "Press 1 to be called back": the caller keeps the place and hangs up; the router dials
    // them back (OfferToAgents with callback) when an agent is reserved for them.
    call.callback_offered = false;
    spdlog::info("call {}: callback accepted for {}", call.interaction, call.caller_number);
    apply(router_.on_callback_accepted(acd::InteractionId(call.id)));
    call.callback = true;
    emit(call, events::EventKind::Queued, {}, json_text(nlohmann::json{{"callback", true}, {"number", call.caller_number}}));
    call.hang_up_after_playback = true;
    play(call, Playing::Message, queue_settings(*call.queue).callback_confirmed);
  }
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

// In-call codes from the agent's keypad: *8 pauses the recording (a card number being read
// out), *9 resumes it. The file gets silence and a cue point; the interaction keeps the gaps.
void CallCenter::on_agent_digit(Call& call, char digit) {
  // *4<number># adds an outside party: a three-way call through the trunk.
  if (call.conference_number) {
    if (digit != '#' && call.conference_number->size() < 20) {
      *call.conference_number += digit;
      return;
    }
    const std::string number = *call.conference_number;
    call.conference_number.reset();
    call.agent_keys.clear();
    if (call.state != CallState::Connected || call.outside) return;
    spdlog::info("call {}: {} adds {} to the call", call.interaction,
                 routing_.agents[acd::index_of(call.agent->agent)].name, number);
    if (!dial_out(call, number, Outside::Conference)) spdlog::info("call {}: cannot add {}", call.interaction, number);
    return;
  }
  call.agent_keys += digit;
  if (call.agent_keys.size() > 2) call.agent_keys.erase(0, call.agent_keys.size() - 2);
  if (call.agent_keys == "*4" && call.state == CallState::Connected) {
    call.conference_number = std::string();
    return;
  }
  if (call.agent_keys.size() > 2) call.agent_keys.erase(0, call.agent_keys.size() - 2);
  if (!call.recording || call.state != CallState::Connected) return;
  const TimePoint now = ports_.loop.clock().now();
  auto ms_since_start = [&](TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - call.recording_started).count();
  };
  if (call.agent_keys == "*8" && !call.recording_paused_at) {
    ports_.media.pause_recording(call.caller.endpoint, true);
    call.recording_paused_at = now;
    spdlog::info("call {}: recording paused", call.interaction);
  } else if (call.agent_keys == "*9" && call.recording_paused_at) {
    ports_.media.pause_recording(call.caller.endpoint, false);
    call.recording_pauses.emplace_back(ms_since_start(*call.recording_paused_at), ms_since_start(now));
    call.recording_paused_at.reset();
    spdlog::info("call {}: recording resumed", call.interaction);
  }
}

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
