// call/call_center_ivr.cc: carries out what a call's IVR flow asks (ivr::FlowRun commands):
// prompts on the caller's endpoint, the flow's deadlines on the loop's timers, the hand-over to
// a queue, voicemail, hang-up. The flow itself is pure and never waits; this file does the
// waiting for it.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "call/json_text.h"
#include "media/engine/player_source.h"
#include "media/engine/recording_sink.h"
#include "media/tone/tone_presets.h"

namespace sb::call {


void CallCenter::start_flow(Call& call, const ivr::Flow& flow) {
  std::map<std::string, std::string> variables = {
      {"caller", call.caller_number}, {"did", call.did}, {"interaction", call.interaction}};
  call.ivr = std::make_unique<ivr::FlowRun>(flow, ports_.loop.clock(), hours_, std::move(variables));
  enter(call, CallState::Ivr);
  run_step(call, call.ivr->start());
}

void CallCenter::run_step(Call& call, ivr::Step step) {
  const uint64_t id = call.id;
  call.language = call.ivr->language();
  for (const ivr::Command& command : step.commands) {
    Call* c = find_call(id);
    if (c == nullptr || c->state == CallState::Ending) return;  // a command ended the call
    std::visit([&](const auto& cmd) { execute(*c, cmd); }, command);
  }
  if (Call* c = find_call(id); c != nullptr && c->state == CallState::Ivr) arm_ivr_deadline(*c);
}

// The flow's deadline in force (a step that ignored an input keeps the one before).
void CallCenter::arm_ivr_deadline(Call& call) {
  auto due = call.ivr->deadline();
  if (call.ivr_timer != 0 && due && call.ivr_timer_at == *due) return;
  if (call.ivr_timer != 0) ports_.loop.cancel(call.ivr_timer);
  call.ivr_timer = 0;
  if (!due) return;
  call.ivr_timer_at = *due;
  const uint64_t id = call.id;
  const Duration delay = std::max(Duration::zero(), *due - ports_.loop.clock().now());
  call.ivr_timer = ports_.loop.schedule_after(delay, [this, id] {
    Call* late = find_call(id);
    if (late == nullptr || late->state != CallState::Ivr) return;
    late->ivr_timer = 0;
    run_step(*late, late->ivr->on_deadline());
  });
}

void CallCenter::emit_ivr_exit(Call& call, nlohmann::json data) {
  data["node"] = std::string(call.ivr->current_node());
  emit(call, events::EventKind::IvrExit, {}, json_text(data));
}

void CallCenter::execute(Call& call, const ivr::PlayPrompts& cmd) {
  call.language = cmd.language;
  play(call, Playing::Ivr, cmd.prompts, cmd.interruptible);
}

void CallCenter::execute(Call& call, const ivr::StopPrompts&) { stop_playing(call); }

void CallCenter::execute(Call& call, const ivr::HttpLookup& cmd) {
  // Asynchronous on the loop; the flow also keeps its own deadline.
  const uint64_t id = call.id;
  const std::string url = cmd.url;
  ports_.lookups.start(cmd.method, cmd.url, cmd.body, cmd.timeout, [this, id, url](const ivr::LookupResult& r) {
    spdlog::info("call lookup {}: {}", url, r.ok ? std::to_string(r.status) : std::string("failed"));
    Call* again = find_call(id);
    if (again != nullptr && again->state == CallState::Ivr && again->ivr) {
      run_step(*again, again->ivr->on_lookup_result(r));
    }
  });
}

void CallCenter::execute(Call& call, const ivr::RouteToQueue& cmd) {
  nlohmann::json attached = nlohmann::json::object();
  for (const auto& [key, value] : cmd.attached) attached[key] = value;
  emit_ivr_exit(call, {{"to", "queue"}, {"queue", cmd.queue}, {"priority", cmd.priority}, {"data", attached}});
  const std::optional<acd::QueueId> queue = queue_named(cmd.queue);
  if (!queue) return end_call(call, "unknown queue " + cmd.queue);
  call.language = cmd.language.empty() ? call.language : cmd.language;
  enqueue(call, *queue, cmd.priority, cmd.attached);
}

void CallCenter::execute(Call& call, const ivr::RecordVoicemail& cmd) {
  emit_ivr_exit(call, {{"to", "voicemail"}});
  start_voicemail(call, cmd.mailbox, cmd.max_length);
}

// The caller keeps a place in the queue without waiting on the line: virtual hold.
void CallCenter::execute(Call& call, const ivr::RequestCallback& cmd) {
  emit_ivr_exit(call, {{"to", "callback"}, {"queue", cmd.queue}, {"number", cmd.number}});
  const std::optional<acd::QueueId> queue = queue_named(cmd.queue);
  if (!queue) return end_call(call, "unknown queue " + cmd.queue);
  call.callback_number = cmd.number.empty() ? call.caller_number : cmd.number;
  const uint64_t id = call.id;
  enqueue(call, *queue, 0, {{"callback_number", call.callback_number}});
  if (Call* still = find_call(id); still != nullptr && still->state == CallState::Queued) {
    still->callback = true;
    apply(router_.on_callback_accepted(acd::InteractionId(id)));
  }
}

void CallCenter::execute(Call& call, const ivr::TransferOut& cmd) {
  emit_ivr_exit(call, {{"to", "transfer"}, {"number", cmd.number}});
  enter(call, CallState::Outside);
  if (dial_out(call, cmd.number, Outside::Transfer)) {
    call.playback = play_ringback(call.caller.endpoint);
  } else {
    end_call(call, "transfer to " + cmd.number + " not possible");
  }
}

void CallCenter::execute(Call& call, const ivr::HangUp& cmd) {
  // After a callback request the line is let go; the place in the queue stays.
  if (call.callback) return drop_caller_leg(call);
  emit_ivr_exit(call, {{"to", "hangup"}, {"reason", cmd.reason}});
  end_call(call, cmd.reason.empty() ? "ivr hang-up" : cmd.reason);
}

// The caller records a message: a beep, then up to `max_length` of the caller's audio into
// <voicemail_dir>/<mailbox>/<interaction>.wav; the caller's hang-up or the limit ends it.
void CallCenter::start_voicemail(Call& call, const std::string& mailbox, Duration max_length) {
  answer_caller(call);  // recording a message is a service: answered from here
  enter(call, CallState::Voicemail);
  stop_playing(call);
  namespace fs = std::filesystem;
  const std::string box = mailbox.empty() ? (call.queue ? queue_name(*call.queue) : "general") : mailbox;
  media::recorder::RecordingSpec spec;
  spec.path = (fs::path(config_.voicemail_dir) / box / (call.interaction + ".wav")).string();
  spec.on_done = [](const media::recorder::RecordingResult& r) {
    if (r.error) spdlog::warn("voicemail {}: {}", r.path, r.error->to_string());
  };
  if (auto recorder = media::recorder::Recorder::open(ports_.writer, spec)) {
    ports_.media.record(call.caller.endpoint, media::engine::kNoEndpoint,
                   std::make_unique<media::engine::RecordingSink>(std::move(*recorder)));
    call.recording = true;
    call.voicemail_path = spec.path;  // reported with the ended event, with the caller's number
    spdlog::info("call {}: voicemail for {} from {}", call.interaction, box, call.caller_number);
  } else {
    spdlog::warn("call {}: voicemail: {}", call.interaction, recorder.error().to_string());
  }
  media::player::ToneItem beep;
  beep.spec = media::tone::presets::call_waiting_us();  // one short 440 Hz beep
  auto player = media::player::Player::create({beep});
  if (player) {
    call.playback = ports_.media.play(call.caller.endpoint, std::make_unique<media::engine::PlayerSource>(std::move(*player)));
  }
  const uint64_t id = call.id;
  call.voicemail_timer = ports_.loop.schedule_after(max_length, [this, id] {
    if (Call* c = find_call(id)) {
      c->voicemail_timer = 0;
      finish_voicemail(*c);
    }
  });
}

void CallCenter::finish_voicemail(Call& call) {
  if (call.ivr && call.state == CallState::Voicemail) {
    enter(call, CallState::Ivr);
    if (call.recording) ports_.media.stop_recording(call.caller.endpoint);
    call.recording = false;
    return run_step(call, call.ivr->on_voicemail_done());
  }
  end_call(call, "voicemail recorded");
}

}  // namespace sb::call
