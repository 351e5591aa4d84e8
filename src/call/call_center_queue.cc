// call/call_center_queue.cc: the ACD's side of a call. The router decides (queue, offer,
// cancel, announce, overflow, agent states); this file carries its actions out on SIP and
// media: music on hold and announcements for the caller, INVITEs to the agents' registered
// phones, the bridge and the recording when one answers, and the router's clock.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "call/call_center.h"
#include "call/json_text.h"
#include "media/engine/player_source.h"
#include "media/engine/recording_sink.h"
#include "media/tone/tone_presets.h"
#include "sip/registrar/aor.h"

namespace sb::call {


namespace {

int64_t ms(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

std::string_view overflow_name(acd::OverflowKind kind) {
  switch (kind) {
    case acd::OverflowKind::Queue: return "queue";
    case acd::OverflowKind::Voicemail: return "voicemail";
    case acd::OverflowKind::Callback: return "callback";
    case acd::OverflowKind::Hangup: return "hangup";
    default: return "none";
  }
}

}  // namespace

std::string CallCenter::queue_name(acd::QueueId queue) const { return routing_.queues[acd::index_of(queue)].name; }

std::optional<acd::QueueId> CallCenter::queue_named(std::string_view name) const {
  for (size_t q = 0; q < routing_.queues.size(); ++q) {
    if (routing_.queues[q].name == name) return acd::QueueId(static_cast<uint32_t>(q));
  }
  return std::nullopt;
}

// What a leg hears while a call out rings: the US ringback cadence.
uint64_t CallCenter::play_ringback(media::engine::EndpointId endpoint) {
  media::player::ToneItem ringback;
  ringback.spec = media::tone::presets::ringback_us();
  auto player = media::player::Player::create({ringback});
  if (!player) return 0;
  return ports_.media.play(endpoint, std::make_unique<media::engine::PlayerSource>(std::move(*player)));
}

const QueueCallSettings& CallCenter::queue_settings(acd::QueueId queue) const {
  static const QueueCallSettings defaults;
  const size_t i = acd::index_of(queue);
  return i < config_.queues.size() ? config_.queues[i] : defaults;
}

void CallCenter::enqueue(Call& call, acd::QueueId queue, int priority,
                         std::vector<std::pair<std::string, std::string>> attached,
                         std::optional<acd::AgentId> for_agent) {
  enter(call, CallState::Queued);
  call.queue = queue;
  if (auto leg = legs_.find(call.caller.endpoint); leg != legs_.end()) leg->second.queue = queue_name(queue);
  call.queued_at = ports_.loop.clock().now();
  if (call.ivr_timer != 0) ports_.loop.cancel(call.ivr_timer);
  call.ivr_timer = 0;
  if (call.consult && for_agent) {
    call.playback = play_ringback(call.caller.endpoint);  // a colleague's phone rings
    call.playing = Playing::Ringback;
  } else {
    play_moh(call);
  }
  acd::NewInteraction in;
  in.id = acd::InteractionId(call.id);
  in.queue = queue;
  in.priority = priority;
  in.attached = std::move(attached);
  acd::Actions actions;
  if (for_agent) actions = router_.on_arrived_for_agent(in, *for_agent);
  const bool for_named_agent = for_agent && router_.interaction(in.id).has_value();
  if (!for_named_agent) {
    // Already-due router timers may have come back with the refusal: keep them.
    acd::Actions queued = router_.on_arrived(in);
    actions.insert(actions.end(), std::make_move_iterator(queued.begin()), std::make_move_iterator(queued.end()));
  }
  // The queued event comes first, also when an agent is free at once (no Queued action then).
  nlohmann::json data = {{"position", 0}, {"estimated_wait_ms", 0}, {"priority", priority}};
  if (for_named_agent) data["agent"] = routing_.agents[acd::index_of(*for_agent)].name;
  for (const acd::Action& a : actions) {
    if (const auto* q = std::get_if<acd::Queued>(&a); q != nullptr && q->interaction == in.id) {
      data["position"] = q->position;
      data["estimated_wait_ms"] = ms(q->estimated_wait);
    }
  }
  emit(call, events::EventKind::Queued, {}, json_text(data));
  apply(std::move(actions));
}

void CallCenter::apply(acd::Actions actions) {
  note_offers(actions);
  for (const acd::Action& action : actions) apply_one(action);
  schedule_router_tick();
}

void CallCenter::apply_one(const acd::Action& action) {
  if (const auto* change = std::get_if<acd::AgentStateChanged>(&action)) return on_agent_state(*change);
  std::visit(
      [&](const auto& a) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(a)>, acd::AgentStateChanged>) {
          Call* call = find_call(static_cast<uint64_t>(a.interaction));
          if (call != nullptr && call->state != CallState::Ending) act(*call, a);
        }
      },
      action);
}

void CallCenter::act(Call& call, const acd::Queued& a) {
  if (call.queue && *call.queue == a.queue) return;  // enqueue() said it
  call.queue = a.queue;  // overflowed into another queue
  nlohmann::json data = {{"position", a.position}, {"estimated_wait_ms", ms(a.estimated_wait)}};
  emit(call, events::EventKind::Queued, {}, json_text(data));
}

void CallCenter::act(Call& call, const acd::OfferToAgents& a) {
  for (acd::AgentId agent : a.agents) ring(call, agent);
}

void CallCenter::act(Call& call, const acd::CancelOffer& a) {
  for (auto it = call.ringing.begin(); it != call.ringing.end(); ++it) {
    if (it->agent == a.agent) {
      release_leg(*it, true);
      call.ringing.erase(it);
      return;
    }
  }
}

void CallCenter::act(Call& call, const acd::AnnouncePosition& a) {
  if (!call.consult) announce(call, a.position, a.estimated_wait);
}

void CallCenter::act(Call& call, const acd::OfferCallback& a) {
  if (call.caller.endpoint == media::engine::kNoEndpoint || call.consult) return;
  call.callback_offered = true;
  spdlog::info("call {}: offering a callback", call.interaction);
  play(call, Playing::Announcement, queue_settings(a.queue).callback_offer, false);
}

void CallCenter::act(Call& call, const acd::Overflow& a) {
  nlohmann::json data = {{"overflow", std::string(overflow_name(a.to.kind))},
                         {"why", a.why == acd::Overflow::Why::MaxWait ? "max-wait" : "no-agents"}};
  emit(call, events::EventKind::Transferred, {}, json_text(data));
  switch (a.to.kind) {
    case acd::OverflowKind::Queue:
      // The router moved it there itself, and may offer it at once without a Queued action:
      // the interaction belongs to the new queue from now (its row, its events, the agent's
      // wrap-up), and says so in a queued event.
      if (!call.queue || *call.queue != a.to.queue) {
        call.queue = a.to.queue;
        emit(call, events::EventKind::Queued, {}, json_text(nlohmann::json{{"overflow_from", queue_name(a.from)}}));
      }
      break;
    case acd::OverflowKind::Voicemail:
      enter(call, CallState::Voicemail);
      if (!a.to.message.empty()) {
        play(call, Playing::Message, {a.to.message});
      } else {
        start_voicemail(call, "", config_.voicemail_max);
      }
      break;
    case acd::OverflowKind::Callback:
      call.callback = true;
      call.hang_up_after_playback = true;
      play(call, Playing::Message, queue_settings(a.from).callback_confirmed);
      break;
    default:
      // A message and goodbye, or nothing configured: the caller is let go.
      enter(call, CallState::Voicemail);  // out of the queue; no more announcements
      call.hang_up_after_playback = true;
      play(call, Playing::Message, {a.to.message.empty() ? std::string("goodbye") : a.to.message});
      break;
  }
}

void CallCenter::announce(Call& call, int position, Duration estimated_wait) {
  if (call.caller.endpoint == media::engine::kNoEndpoint || call.playing == Playing::Message) return;
  std::vector<std::string> names = {"your-position"};
  for (auto& n : PromptLibrary::say_number(position)) names.push_back(n);
  const int minutes = static_cast<int>((estimated_wait + std::chrono::seconds(59)) / std::chrono::minutes(1));
  if (minutes > 0) {
    names.push_back("estimated-wait");
    for (auto& n : PromptLibrary::say_number(minutes)) names.push_back(n);
    names.push_back(minutes == 1 ? "minute" : "minutes");
  }
  play(call, Playing::Announcement, names);
}

// Rings every registered contact of the agent's phone with an offer from a new endpoint.
void CallCenter::ring(Call& call, acd::AgentId agent) {
  const std::string& name = routing_.agents[acd::index_of(agent)].name;
  const std::vector<sip::registrar::Binding> bindings = phones_.bindings_of(agent);
  auto offered = bindings.empty() ? Result<Offered>(Error{"no registered phone", name})
                                  : make_offer(ports_.media, config_.media, call.id);
  if (!offered) {
    spdlog::info("call {}: cannot ring {}: {}", call.interaction, name, offered.error().message);
    const uint64_t id = call.id;
    // Told on the next turn: the router is in the middle of handing out this offer.
    ports_.loop.post([this, id, agent] {
      if (Call* c = find_call(id); c != nullptr && c->state == CallState::Queued) {
        apply(router_.on_rejected(acd::InteractionId(id), agent));
      }
    });
    return;
  }
  const sip::registrar::Binding& binding = bindings.front();  // highest q first
  AgentLeg leg;
  leg.agent = agent;
  leg.media = std::move(offered->leg);
  call_by_endpoint_[leg.media.endpoint] = call.id;
  note_leg(leg.media.endpoint, call, "agent", routing_.agents[acd::index_of(agent)].name);
  sip::OutgoingInvite invite;
  invite.request_uri = binding.contact;
  const std::string host = binding.received.local.host_for_uri();
  invite.from = fmt::format("\"{}\" <sip:{}@{}>", call.caller_number, call.caller_number.empty() ? "anonymous" : call.caller_number, host);
  invite.to = "<" + *phones_.phone_of(agent) + ">";
  invite.destination = binding.received;
  invite.headers.emplace_back("X-Interaction-Id", call.interaction);
  if (call.queue) invite.headers.emplace_back("X-Queue", queue_name(*call.queue));
  invite.sdp = offered->offer_text;
  const uint64_t id = call.id;
  auto sent = ports_.sip.invite(std::move(invite), [this, id, agent](const sip::Message& response, sip::Dialog* dialog) {
    on_agent_progress(id, agent, response, dialog);
  });
  if (!sent) {
    spdlog::warn("call {}: INVITE to {} not sent: {}", call.interaction, name, sent.error().to_string());
    call_by_endpoint_.erase(leg.media.endpoint);
    ports_.media.destroy(leg.media.endpoint);
    ports_.loop.post([this, id, agent] {
      if (Call* c = find_call(id); c != nullptr && c->state == CallState::Queued) {
        apply(router_.on_rejected(acd::InteractionId(id), agent));
      }
    });
    return;
  }
  leg.invite = *sent;
  call.ringing.push_back(std::move(leg));
  ++stats_.offers;
  emit(call, events::EventKind::Offered, name, json_text(nlohmann::json{{"contact", binding.contact}}));
}

void CallCenter::on_agent_progress(uint64_t call_id, acd::AgentId agent, const sip::Message& response,
                                   sip::Dialog* dialog) {
  Call* call = find_call(call_id);
  if (call == nullptr) return;
  auto it = std::find_if(call->ringing.begin(), call->ringing.end(), [&](const AgentLeg& l) { return l.agent == agent; });
  if (it == call->ringing.end()) return;
  const int status = response.status();
  if (status < 200) {
    if (dialog != nullptr && !it->dialog) it->dialog = dialog->id();
    return;
  }
  if (status >= 300) {
    // Busy, declined or unreachable: the router counts a miss and offers the next agent.
    it->invite.reset();
    it->dialog.reset();
    release_leg(*it, false);
    call->ringing.erase(it);
    spdlog::info("call {}: {} answered {} {}", call->interaction, routing_.agents[acd::index_of(agent)].name, status,
                 response.reason());
    if (call->state == CallState::Queued) apply(router_.on_rejected(acd::InteractionId(call_id), agent));
    return;
  }
  AgentLeg leg = std::move(*it);
  call->ringing.erase(it);
  leg.invite.reset();
  if (dialog != nullptr) leg.dialog = dialog->id();
  if (leg.dialog) call_by_dialog_[*leg.dialog] = call_id;
  if (call->state != CallState::Queued) {
    release_leg(leg, true);  // answered after the caller left or another agent took it
    return;
  }
  if (auto applied = apply_answer(ports_.media, leg.media, response.body()); !applied) {
    spdlog::warn("call {}: agent's answer: {}", call->interaction, applied.error().message);
    release_leg(leg, true);
    apply(router_.on_rejected(acd::InteractionId(call_id), agent));
    return;
  }
  const std::optional<sip::DialogId> agent_dialog = leg.dialog;
  connect(*call, std::move(leg));
  if (agent_dialog) start_leg_timer(*agent_dialog, response);
}

// The agent answered: the caller stops hearing music, the two legs are bridged, the
// recording starts (after the consent prompt, if the queue has one).
void CallCenter::connect(Call& call, AgentLeg leg) {
  const acd::AgentId agent = leg.agent;
  leg.answered = true;
  call.agent = std::move(leg);
  enter(call, CallState::Connected);
  call.answered_at = ports_.loop.clock().now();
  call.callback_offered = false;
  answer_caller(call);
  ++stats_.connected;
  stop_playing(call);
  const std::string& name = routing_.agents[acd::index_of(agent)].name;
  nlohmann::json data = {{"wait_ms", ms(call.answered_at - call.queued_at)}, {"codec", call.agent->media.codec}};
  emit(call, events::EventKind::Answered, name, json_text(data));
  spdlog::info("call {}: answered by {} after {} ms", call.interaction, name, ms(call.answered_at - call.queued_at));
  const QueueCallSettings& settings = queue_settings(*call.queue);
  bool record = !call.consult && settings.recording == RecordingMode::All;
  if (!call.consult && settings.recording == RecordingMode::Sampled) {
    record = std::uniform_int_distribution<int>(0, 99)(rng_) < settings.sample_percent;
  }
  if (call.callback) {
    // A callback: the reserved agent answered; now the customer is dialled. The agent hears
    // ringback meanwhile; the customer's answer bridges them (on_outside_progress).
    call.record_when_connected = record;
    play_ringback(call.agent->media.endpoint);
    apply(router_.on_answered(acd::InteractionId(call.id), agent));
    if (Call* still = find_call(call.id); still != nullptr &&
        !dial_out(*still, still->callback_number.empty() ? still->caller_number : still->callback_number, Outside::Callback)) {
      end_call(*still, "callback could not be dialled");
    }
    return;
  }
  if (record && !settings.consent.empty()) {
    play(call, Playing::Consent, settings.consent);  // bridged and recorded when it ends
  } else {
    ports_.media.bridge(call.caller.endpoint, call.agent->media.endpoint);
    if (record) start_recording(call);
  }
  apply(router_.on_answered(acd::InteractionId(call.id), agent));
}

void CallCenter::start_recording(Call& call) {
  namespace fs = std::filesystem;
  media::recorder::RecordingSpec spec;
  // One file per agent conversation: a transfer starts <id>-2.wav and so on.
  const std::string name = call.recordings.empty() ? call.interaction : call.interaction + "-" + std::to_string(call.recordings.size() + 1);
  spec.path = (fs::path(config_.recordings_dir) / (name + ".wav")).string();
  spec.on_done = [](const media::recorder::RecordingResult& r) {
    if (r.error) spdlog::warn("recording {}: {}", r.path, r.error->to_string());
  };
  auto recorder = media::recorder::Recorder::open(ports_.writer, spec);
  if (!recorder) {
    spdlog::warn("call {}: recording: {}", call.interaction, recorder.error().to_string());
    return;
  }
  ports_.media.record(call.caller.endpoint, call.agent->media.endpoint,
                 std::make_unique<media::engine::RecordingSink>(std::move(*recorder)));
  call.recording = true;
  call.recording_path = spec.path;
  call.recordings.push_back(spec.path);
  call.recording_started = ports_.loop.clock().now();
}

void CallCenter::schedule_router_tick() {
  auto next = router_.next_deadline();
  if (!next) return;
  if (router_timer_ != 0 && router_timer_at_ && *router_timer_at_ <= *next) return;
  if (router_timer_ != 0) ports_.loop.cancel(router_timer_);
  router_timer_at_ = *next;
  const Duration delay = std::max(Duration::zero(), *next - ports_.loop.clock().now());
  router_timer_ = ports_.loop.schedule_after(delay, [this] {
    router_timer_ = 0;
    router_timer_at_.reset();
    apply(router_.on_tick());
  });
}

// The router's invariants, checked while it runs live as `simulate --self-check` does: a
// violation is a bug to report, so it is logged with what broke and counted (admin status).
void CallCenter::schedule_self_check() {
  if (routing_.self_check_every <= Duration::zero()) return;
  self_check_timer_ = ports_.loop.schedule_after(routing_.self_check_every, [this] {
    self_check_timer_ = 0;
    ++stats_.self_checks;
    for (const std::string& problem : router_.check_invariants()) {
      ++stats_.invariant_violations;
      spdlog::error("router self-check: {}", problem);
    }
    schedule_self_check();
  });
}

void CallCenter::on_agent_state(const acd::AgentStateChanged& change) {
  const std::string& name = routing_.agents[acd::index_of(change.agent)].name;
  spdlog::info("agent {}: {}{}", name, acd::agent_state_name(change.state),
               change.reason == acd::ReasonCode{} ? "" : " (" + routing_.reason_codes[acd::index_of(change.reason)] + ")");
  tell_login(change.agent, change.state, change.reason);
  emit_agent_events(change);
  if (change.state == acd::AgentState::NotReady && change.reason == routing_.without_phone.reason) {
    ready_if_phone_returned(change.agent);
  }
  if (change.state == acd::AgentState::WrapUp) return;
  // Leaving wrap-up closes the interaction the agent last handled.
  auto it = wrap_up_of_agent_.find(acd::index_of(change.agent));
  if (it == wrap_up_of_agent_.end() || !ports_.events) return;
  events::Event e;
  e.interaction_id = it->second.first;
  e.kind = events::EventKind::WrapUpDone;
  e.at = ports_.loop.clock().now();
  e.queue = it->second.second;
  e.agent = name;
  e.data = "{}";
  wrap_up_of_agent_.erase(it);
  ports_.events(std::move(e));
}

}  // namespace sb::call
