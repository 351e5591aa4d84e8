// call/call_center_media.cc: what the caller hears and keys: prompts, music and ringback on
// the caller's endpoint, the engine's events (digits, playback done, media timeout, quality),
// and the agent's in-call keypad codes.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "call/json_text.h"
#include "media/engine/player_source.h"

namespace sb::call {

namespace engine = media::engine;

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

}  // namespace sb::call
