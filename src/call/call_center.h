// call/call_center.h: the B2BUA that makes Switchboard a call center. A caller's INVITE to a
// DID becomes a Call: answered on an engine endpoint, walked through its IVR flow, queued in
// the ACD router, offered to agents by ringing their registered phones, bridged when one
// answers, recorded by queue policy, and logged as interaction events from arrival to wrap-up.
// Agent phones log in and out and change state with feature codes (feature_codes.h).
//
// Runs on the control-plane loop with the SIP stack: no locks, never blocks (events go to a
// sink, media runs on its own threads and reports through on_media_event()). It reaches
// everything through CallCenterPorts, so the tests run it on fakes (call_center_test_support.h).
// Each call's state moves only as call_state.h allows. The implementation is split by concern:
// call_center.cc (calls, their state and legs), _dialogs.cc (requests inside the dialogs, hold),
// _media.cc (prompts, digits, media events), _ivr.cc (the IVR's executor), _queue.cc (the
// router's executor, agents' legs), _phones.cc (feature codes; agent_phones.h keeps who is on
// which phone), _transfer.cc and _consult.cc (transfers), _outbound.cc (the trunk),
// _supervision.cc, _leg_timer.cc (session timers on the legs we call), _events.cc.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "acd/router.h"
#include "call/agent_phones.h"
#include "call/call_center_config.h"
#include "call/call_state.h"
#include "call/feature_codes.h"
#include "call/leg_media.h"
#include "call/lookups.h"
#include "call/prompt_library.h"
#include "call/transfer_target.h"
#include "common/scheduler.h"
#include "events/event.h"
#include "ivr/business_hours.h"
#include "ivr/flow.h"
#include "ivr/flow_run.h"
#include "media/engine/media_control.h"
#include "media/recorder/recording_writer.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/registrar/location_service.h"
#include "sip/session/stack_port.h"
#include "sip/stack/session_handler.h"

namespace sb::call {

using EventSink = events::EventSink;

// Hears each change of an agent's login (nullopt: logged out), on the control thread.
using AgentLoginSink = std::function<void(const std::string& agent, const std::optional<AgentLogin>& login)>;

struct CallCenterStats {
  uint64_t calls = 0;          // inbound calls answered
  uint64_t connected = 0;      // bridged to an agent
  uint64_t abandoned = 0;      // caller hung up in queue or while an agent was ringing
  uint64_t offers = 0;         // agent legs dialled
  uint64_t feature_codes = 0;  // star codes handled
  uint64_t self_checks = 0;            // router invariant checks run (routing.self_check_every)
  uint64_t invariant_violations = 0;   // problems they found (each logged as an error)
  uint64_t illegal_moves = 0;          // call state changes refused (call_state.h; each logged)
};

// Everything the call center talks to: the SIP side (the stack's transactions and dialogs,
// and the registrar's bindings of the agents' phones), time, the media plane, the recording
// files, the IVR's lookups and the events' sink. The server wires the real ones; the call
// tests fakes (call_center_test_support.h).
struct CallCenterPorts {
  sip::session::StackPort& sip;
  sip::registrar::LocationService& locations;
  Scheduler& loop;
  media::engine::MediaControl& media;
  media::recorder::RecordingWriter& writer;
  Lookups& lookups;
  EventSink events;
};

class CallCenter final : public sip::SessionHandler {
 public:
  CallCenter(CallCenterPorts ports, const acd::RoutingConfig& routing, std::shared_ptr<const ivr::FlowSet> flows,
             std::map<std::string, ivr::BusinessHours, std::less<>> hours, std::shared_ptr<const PromptLibrary> prompts,
             CallCenterConfig config);

  // A new configuration for new calls (SIGHUP): flows, calendars, prompts, inbound routes,
  // queue media policy, dial plan, phone accounts. Calls in progress keep the flow they run
  // (each holds its flow set). Queues and agents are the router's and need a restart.
  void reload(std::shared_ptr<const ivr::FlowSet> flows, std::map<std::string, ivr::BusinessHours, std::less<>> hours,
              std::shared_ptr<const PromptLibrary> prompts, CallCenterConfig config);
  ~CallCenter() override;

  // Logins as they change, for keeping them across restarts (serve writes them to the store).
  void set_agent_login_sink(AgentLoginSink sink) { login_sink_ = std::move(sink); }
  // At start-up, before any call: logs `agent` back in on its phone as it was. A phone that
  // cannot ring (its binding did not survive) parks the agent as routing.without_phone says.
  // False for an agent the config no longer has.
  bool restore_login(const std::string& agent, const AgentLogin& login);

  // What the SIP stack hands over (the SessionHandler overrides below forward here; tests call
  // these with a fake stack).
  void handle_invite(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source);
  void handle_cancel(sip::ServerTransactionId tx);
  void handle_dialog_request(sip::ServerTransactionId tx, sip::Dialog& dialog, const sip::Message& request);
  void handle_dialog_ended(sip::Dialog& dialog);

  // sip::SessionHandler
  void on_invite(sip::SipStack&, sip::ServerTransactionId tx, const sip::Message& invite,
                 const sip::Peer& source) override {
    handle_invite(tx, invite, source);
  }
  void on_cancelled(sip::SipStack&, sip::ServerTransactionId tx) override { handle_cancel(tx); }
  void on_dialog_request(sip::SipStack&, sip::ServerTransactionId tx, sip::Dialog& dialog,
                         const sip::Message& request) override {
    handle_dialog_request(tx, dialog, request);
  }
  void on_dialog_ended(sip::SipStack&, sip::Dialog& dialog) override { handle_dialog_ended(dialog); }

  // A media event, on the control thread (serve posts them here).
  void on_media_event(const media::engine::MediaEvent& event);

  // Ends every call (BYE or a final response on each leg), logs the agents out, stops timers.
  void shutdown();

  const acd::Router& router() const { return router_; }
  const CallCenterStats& stats() const { return stats_; }
  size_t active_calls() const { return calls_.size(); }
  // One log line per logged-in agent with the router's state ("agents: alice available, ...").
  void log_agents() const;
  std::string agents_summary() const;  // "alice available, bob busy" or "none logged in"

 private:
  // Why a call goes out through the trunk.
  enum class Outside { Callback, Transfer, AgentDialled, Conference };
  enum class Playing { None, Ivr, Moh, Announcement, Message, Consent, Ringback };
  struct AgentLeg {
    acd::AgentId agent{};
    std::optional<sip::client::UacRequestId> invite;
    std::optional<sip::DialogId> dialog;
    LegMedia media;
    bool answered = false;
    std::optional<SessionTimer> session_timer;  // RFC 4028, as the far end's 2xx set it
    TimerId session_timer_id = 0;
  };
  // A supervisor's phone listening to (or talking into) the call.
  struct SupervisorLeg {
    sip::DialogId dialog;
    LegMedia media;
    FeatureKind mode = FeatureKind::Monitor;
    std::string supervisor;  // the phone's user
  };
  struct Call {
    uint64_t id = 0;
    // The router's interaction holding this call's agent when it is not this call's own: after
    // an attended transfer, the consultation's (router_interaction() reads it).
    uint64_t router_id = 0;
    std::string interaction;  // the global interaction id, as stored
    sip::DialogId caller_dialog;
    LegMedia caller;
    std::string caller_number;
    std::string did;
    CallState state = CallState::New;  // changed only by enter()
    Playing playing = Playing::None;
    uint64_t playback = 0;  // the engine's id of what the caller hears (PlaybackDone of others is stale)
    bool hang_up_after_playback = false;
    std::shared_ptr<const ivr::FlowSet> flows;  // keeps the flow below alive across reloads
    std::unique_ptr<ivr::FlowRun> ivr;
    TimerId ivr_timer = 0;
    TimePoint ivr_timer_at{};
    TimerId voicemail_timer = 0;
    std::optional<SessionTimer> session_timer;  // RFC 4028 on the caller's leg
    TimerId session_timer_id = 0;
    std::string language;
    std::optional<acd::QueueId> queue;
    std::vector<AgentLeg> ringing;  // offers in progress
    std::optional<AgentLeg> agent;  // the agent talking to the caller
    std::vector<SupervisorLeg> supervisors;
    std::optional<AgentLeg> outside;  // a leg through the trunk (callback, transfer, dial-out)
    Outside outside_purpose = Outside::Transfer;
    std::string outside_number;       // E.164
    std::string outside_agent;        // the agent who dialled out, if logged in
    std::string callback_number;      // where a callback goes (the caller's number by default)
    bool record_when_connected = false;
    // An INVITE answered only later: a phone's dial-out when the far end answers, a caller in
    // early media when an agent does. The 200 carries pending_answer and pending_headers.
    std::optional<sip::ServerTransactionId> pending_tx;
    std::string pending_answer;
    std::vector<std::pair<std::string, std::string>> pending_headers;
    bool early_media = false;  // the caller hears us after a 183, not yet answered
    bool consult = false;           // an agent's consultation call (the caller leg is a phone)
    bool held = false;              // the agent put the caller on hold
    bool callback_offered = false;  // "press 1 to be called back" was said
    bool callback = false;          // waiting in virtual hold, to be dialled back
    bool recording = false;
    std::string recording_path;
    std::string voicemail_path;  // the caller's message, when one was recorded
    std::vector<std::string> recordings;  // every file of this interaction, in order
    TimePoint recording_started{};
    std::optional<TimePoint> recording_paused_at;
    std::vector<std::pair<int64_t, int64_t>> recording_pauses;  // ms from the start, [from, to)
    std::string agent_keys;      // the agent's last keypad digits, for in-call codes
    std::optional<std::string> conference_number;  // *4 ... # being keyed in
    TimePoint arrived{};
    TimePoint queued_at{};
    TimePoint answered_at{};
  };
  // A phone's call to a feature code: answered, told the result, hung up.
  struct ServiceCall {
    sip::DialogId dialog;
    LegMedia media;
  };

  // call_center.cc: calls and their legs
  void start_inbound(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                     const InboundRoute& route);
  const InboundRoute* route_for(std::string_view dialled) const;
  Call* find_call(uint64_t id);
  // Moves `call` to `to` if call_state.h allows it; otherwise refuses, logs and counts.
  bool enter(Call& call, CallState to);
  Call* call_of_dialog(const sip::DialogId& id);
  void caller_left(Call& call);
  void agent_left(Call& call);
  void drop_caller_leg(Call& call);
  void end_call(Call& call, std::string_view why);
  void release_leg(AgentLeg& leg, bool hang_up);
  void arm_session_timer(Call& call);
  // call_center_dialogs.cc: a caller's session refresh; hold and resume from the agent's phone.
  std::optional<std::vector<std::pair<std::string, std::string>>> caller_refreshed(Call& call,
                                                                                   const sip::Message& request);
  void set_held(Call& call, bool hold);
  // call_center_leg_timer.cc: session timers on the legs we call (agents' phones, the trunk)
  AgentLeg* called_leg(Call& call, const sip::DialogId& dialog);
  void start_leg_timer(const sip::DialogId& dialog, const sip::Message& answer);
  void arm_leg_timer(const sip::DialogId& dialog);
  void refresh_leg(const sip::DialogId& dialog);
  std::vector<std::pair<std::string, std::string>> on_leg_refreshed(AgentLeg& leg, const sip::Message& request);
  static acd::InteractionId router_interaction(const Call& call) {
    return acd::InteractionId(call.router_id != 0 ? call.router_id : call.id);
  }
  void emit(const Call& call, events::EventKind kind, std::string agent = {}, std::string data = "{}");
  std::string new_interaction_id();
  void answer_caller(Call& call);  // the pending 200, if any
  void play_moh(Call& call);
  void play(Call& call, Playing what, const std::vector<std::string>& prompts, bool barge_in = false, bool loop = false);
  void stop_playing(Call& call);
  void on_playback_done(Call& call, char interrupted_by);
  void on_digit(Call& call, char digit);
  void on_agent_digit(Call& call, char digit);

  // call_center_ivr.cc: the call's flow
  void start_flow(Call& call, const ivr::Flow& flow);
  void run_step(Call& call, ivr::Step step);
  void arm_ivr_deadline(Call& call);
  // One ivr::Command each (the IVR's executor).
  void execute(Call& call, const ivr::PlayPrompts& cmd);
  void execute(Call& call, const ivr::StopPrompts& cmd);
  void execute(Call& call, const ivr::HttpLookup& cmd);
  void execute(Call& call, const ivr::RouteToQueue& cmd);
  void execute(Call& call, const ivr::RecordVoicemail& cmd);
  void execute(Call& call, const ivr::RequestCallback& cmd);
  void execute(Call& call, const ivr::TransferOut& cmd);
  void execute(Call& call, const ivr::HangUp& cmd);
  // An ivr-exit event from the node the call is at, with `data` (an object) added.
  void emit_ivr_exit(Call& call, nlohmann::json data);
  void start_voicemail(Call& call, const std::string& mailbox, Duration max_length);
  void finish_voicemail(Call& call);

  // call_center_queue.cc: the ACD's side
  // With `for_agent`, the call is offered to that agent first (a transfer to an agent by name);
  // the queue takes it should the agent be taken or not answer.
  void enqueue(Call& call, acd::QueueId queue, int priority, std::vector<std::pair<std::string, std::string>> attached,
               std::optional<acd::AgentId> for_agent = std::nullopt);
  void apply(acd::Actions actions);
  void apply_one(const acd::Action& action);
  // One acd::Action each, for a call still there (the router's executor).
  void act(Call& call, const acd::Queued& a);
  void act(Call& call, const acd::OfferToAgents& a);
  void act(Call& call, const acd::CancelOffer& a);
  void act(Call& call, const acd::AnnouncePosition& a);
  void act(Call& call, const acd::OfferCallback& a);
  void act(Call& call, const acd::Overflow& a);
  void ring(Call& call, acd::AgentId agent);
  void on_agent_progress(uint64_t call_id, acd::AgentId agent, const sip::Message& response, sip::Dialog* dialog);
  void connect(Call& call, AgentLeg leg);
  void start_recording(Call& call);
  void schedule_router_tick();
  void on_agent_state(const acd::AgentStateChanged& change);
  void announce(Call& call, int position, Duration estimated_wait);
  std::string queue_name(acd::QueueId queue) const;
  std::optional<acd::QueueId> queue_named(std::string_view name) const;
  uint64_t play_ringback(media::engine::EndpointId endpoint);  // the playback's id
  const QueueCallSettings& queue_settings(acd::QueueId queue) const;

  // call_center_phones.cc: agent and supervisor phones
  void on_phone_invite(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source);
  bool authenticate(sip::ServerTransactionId tx, const sip::Message& invite, std::string& user);
  void run_feature(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                   const std::string& user, const FeatureCode& code);
  // A phone's INVITE answered 200 on a new endpoint (media thread chosen by `owner`); nullopt
  // when its offer cannot be met (488 sent) or no dialog could be made.
  struct AcceptedPhone {
    sip::DialogId dialog;
    LegMedia leg;
  };
  std::optional<AcceptedPhone> accept_phone(sip::ServerTransactionId tx, const sip::Message& invite,
                                            const sip::Peer& source, uint64_t owner);
  void answer_service_call(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                           std::vector<std::string> prompts);
  std::optional<acd::AgentId> agent_named(std::string_view name) const;
  // Where a call offered to `agent` by name waits should the agent not answer: its first queue.
  acd::QueueId home_queue_of(acd::AgentId agent) const;

  // call_center_outbound.cc: calls out through the trunk
  bool dial_out(Call& call, const std::string& number, Outside purpose);
  void on_outside_progress(uint64_t call_id, const sip::Message& response, sip::Dialog* dialog);
  void outside_answered(Call& call, AgentLeg& leg);
  void dial_from_phone(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                       const std::string& user, const std::string& number);

  // call_center_transfer.cc: REFER from the agent's phone
  void on_refer(Call& call, sip::ServerTransactionId tx, sip::Dialog& dialog, const sip::Message& refer);
  void attended_transfer(Call& call, sip::ServerTransactionId tx, sip::Dialog& dialog, const Replaces& replaces);

  // call_center_consult.cc: a phone calls an agent or a queue (a consultation)
  void consult_from_phone(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                          const std::string& user, std::optional<acd::QueueId> queue, std::optional<acd::AgentId> agent);
  void log_phone_dialog(const Call& call) const;

  // call_center_supervision.cc: monitor, whisper, barge
  void supervise(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                 const std::string& supervisor, const FeatureCode& code);
  bool supervisor_left(Call& call, const sip::DialogId& dialog);
  void release_supervisor(Call& call, SupervisorLeg& leg, bool hang_up);
  // call_center_phones.cc: agents whose phone cannot ring are never available
  // (routing.without_phone): not ready until it registers again, or logged out.
  void on_phone_bindings(std::string_view aor, bool can_ring);
  void park_without_phone(acd::AgentId agent, const std::string& why);
  void ready_if_phone_returned(acd::AgentId agent);
  void schedule_self_check();
  void tell_login(acd::AgentId agent, acd::AgentState state, acd::ReasonCode reason);

  // call_center_events.cc: agent events from the router's state changes, and each leg's call
  // quality when the engine reports it (as its endpoint is destroyed).
  void emit_agent_events(const acd::AgentStateChanged& change);
  // The interaction (and its queue) an agent's offer, call or wrap-up (`state`) is about.
  std::pair<std::string, std::string> interaction_of_agent(acd::AgentId agent, acd::AgentState state) const;
  // The router reports an agent offered before the offer itself: remember whose call it is.
  void note_offers(const acd::Actions& actions);
  // `endpoint` carries `call`'s leg in `role` ("caller", "agent", "trunk", "supervisor", ...).
  void note_leg(media::engine::EndpointId endpoint, const Call& call, std::string role, std::string agent = {});
  void emit_quality(const media::engine::MediaEvent& event);

  CallCenterPorts ports_;
  const acd::RoutingConfig& routing_;
  std::shared_ptr<const ivr::FlowSet> flows_;
  std::map<std::string, ivr::BusinessHours, std::less<>> hours_;
  std::shared_ptr<const PromptLibrary> prompts_;
  CallCenterConfig config_;
  acd::Router router_;
  sip::auth::DigestAuthenticator phone_auth_;
  std::mt19937_64 rng_;
  TimerId router_timer_ = 0;
  TimerId self_check_timer_ = 0;
  std::optional<TimePoint> router_timer_at_;
  uint64_t next_call_ = 1;
  uint64_t next_interaction_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<Call>> calls_;
  std::map<sip::DialogId, uint64_t, sip::DialogIdLess> call_by_dialog_;  // caller and agent dialogs
  std::unordered_map<media::engine::EndpointId, uint64_t> call_by_endpoint_;
  std::map<sip::DialogId, ServiceCall, sip::DialogIdLess> service_calls_;
  // Agents' phones (who is on which, who is parked for want of one), and the last
  // interaction each agent handled (for its wrap-up-done event).
  AgentPhones phones_;
  std::unordered_map<uint32_t, std::pair<std::string, std::string>> wrap_up_of_agent_;  // interaction, queue
  AgentLoginSink login_sink_;
  // What the agent events last said of each agent (its state, and its phone for the logout).
  struct SeenAgent {
    acd::AgentState state = acd::AgentState::LoggedOut;
    std::string reason;
    std::string phone;
  };
  std::unordered_map<uint32_t, SeenAgent> seen_agents_;
  // The last call offered to each agent (interaction, queue), for its offered and missed events.
  std::unordered_map<uint32_t, std::pair<std::string, std::string>> last_offer_of_agent_;
  // Whose leg each endpoint is, until the engine's quality report for it comes.
  struct LegIdentity {
    uint64_t call = 0;
    std::string interaction;
    std::string queue;
    std::string role;
    std::string agent;
  };
  std::unordered_map<media::engine::EndpointId, LegIdentity> legs_;
  CallCenterStats stats_;
  bool shutting_down_ = false;
};

}  // namespace sb::call
