// call/call_center_ivr.cc: carries out what a call's IVR flow asks (ivr::FlowRun commands):
// prompts on the caller's endpoint, the flow's deadlines on the loop's timers, the hand-over to
// a queue, voicemail, hang-up. The flow itself is pure and never waits; this file does the
// waiting for it.
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
  for (ivr::Command& command : step.commands) {
    Call* c = find_call(id);
    if (c == nullptr || c->state == CallState::Ending) return;  // a command ended the call
    std::visit(
        [&](auto& cmd) {
          using T = std::decay_t<decltype(cmd)>;
          if constexpr (std::is_same_v<T, ivr::PlayPrompts>) {
            c->language = cmd.language;
            play(*c, Playing::Ivr, cmd.prompts, cmd.interruptible);
          } else if constexpr (std::is_same_v<T, ivr::StopPrompts>) {
            stop_playing(*c);
          } else if constexpr (std::is_same_v<T, ivr::HttpLookup>) {
            // Asynchronous on the loop; the flow also keeps its own deadline.
            const std::string url = cmd.url;
            ports_.lookups.start(cmd.method, cmd.url, cmd.body, cmd.timeout, [this, id, url](const ivr::LookupResult& r) {
              spdlog::info("call lookup {}: {}", url, r.ok ? std::to_string(r.status) : std::string("failed"));
              Call* again = find_call(id);
              if (again != nullptr && again->state == CallState::Ivr && again->ivr) {
                run_step(*again, again->ivr->on_lookup_result(r));
              }
            });
          } else if constexpr (std::is_same_v<T, ivr::RouteToQueue>) {
            const std::optional<acd::QueueId> queue = queue_named(cmd.queue);
            nlohmann::json attached = nlohmann::json::object();
            for (const auto& [key, value] : cmd.attached) attached[key] = value;
            nlohmann::json data = {{"node", std::string(c->ivr->current_node())}, {"to", "queue"}, {"queue", cmd.queue},
                                   {"priority", cmd.priority}, {"data", attached}};
            emit(*c, events::EventKind::IvrExit, {}, json_text(data));
            if (!queue) return end_call(*c, "unknown queue " + cmd.queue);
            c->language = cmd.language.empty() ? c->language : cmd.language;
            enqueue(*c, *queue, cmd.priority, cmd.attached);
          } else if constexpr (std::is_same_v<T, ivr::RecordVoicemail>) {
            nlohmann::json data = {{"node", std::string(c->ivr->current_node())}, {"to", "voicemail"}};
            emit(*c, events::EventKind::IvrExit, {}, json_text(data));
            start_voicemail(*c, cmd.mailbox, cmd.max_length);
          } else if constexpr (std::is_same_v<T, ivr::RequestCallback>) {
            // The caller keeps a place in the queue without waiting on the line: virtual hold.
            nlohmann::json data = {{"node", std::string(c->ivr->current_node())}, {"to", "callback"},
                                   {"queue", cmd.queue}, {"number", cmd.number}};
            emit(*c, events::EventKind::IvrExit, {}, json_text(data));
            const std::optional<acd::QueueId> queue = queue_named(cmd.queue);
            if (!queue) return end_call(*c, "unknown queue " + cmd.queue);
            c->callback_number = cmd.number.empty() ? c->caller_number : cmd.number;
            enqueue(*c, *queue, 0, {{"callback_number", c->callback_number}});
            if (Call* still = find_call(id); still != nullptr && still->state == CallState::Queued) {
              still->callback = true;
              apply(router_.on_callback_accepted(acd::InteractionId(id)));
            }
          } else if constexpr (std::is_same_v<T, ivr::TransferOut>) {
            nlohmann::json data = {{"node", std::string(c->ivr->current_node())}, {"to", "transfer"}, {"number", cmd.number}};
            emit(*c, events::EventKind::IvrExit, {}, json_text(data));
            enter(*c, CallState::Outside);
            if (dial_out(*c, cmd.number, Outside::Transfer)) {
              c->playback = play_ringback(c->caller.endpoint);
            } else {
              end_call(*c, "transfer to " + cmd.number + " not possible");
            }
          } else if constexpr (std::is_same_v<T, ivr::HangUp>) {
            if (c->callback) {
              // After a callback request the line is let go; the place in the queue stays.
              drop_caller_leg(*c);
              return;
            }
            nlohmann::json data = {{"node", std::string(c->ivr->current_node())}, {"to", "hangup"}, {"reason", cmd.reason}};
            emit(*c, events::EventKind::IvrExit, {}, json_text(data));
            end_call(*c, cmd.reason.empty() ? "ivr hang-up" : cmd.reason);
          }
        },
        command);
  }
  Call* c = find_call(id);
  if (c == nullptr || c->state != CallState::Ivr) return;
  // The flow's deadline in force (a step that ignored an input keeps the one before).
  auto due = c->ivr->deadline();
  if (c->ivr_timer != 0 && due && c->ivr_timer_at == *due) return;
  if (c->ivr_timer != 0) ports_.loop.cancel(c->ivr_timer);
  c->ivr_timer = 0;
  if (!due) return;
  c->ivr_timer_at = *due;
  const Duration delay = std::max(Duration::zero(), *due - ports_.loop.clock().now());
  c->ivr_timer = ports_.loop.schedule_after(delay, [this, id] {
    Call* late = find_call(id);
    if (late == nullptr || late->state != CallState::Ivr) return;
    late->ivr_timer = 0;
    run_step(*late, late->ivr->on_deadline());
  });
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
