// call/call_center_test_support.h: the call center on fakes. A fake SIP stack (the session
// tests', recording every response, request and INVITE and making real dialogs), a fake media
// plane that records each command, fake lookups, a virtual clock shared by all, and prompts
// written as short WAV files. The helpers speak as the parties do ("the caller dials", "alice's
// phone answers", "the caller hangs up"), so a scenario reads as the end-to-end test it mirrors
// and runs in milliseconds.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acd/config.h"
#include "call/call_center.h"
#include "call/lookups.h"
#include "common/scheduler.h"
#include "events/event.h"
#include "ivr/business_hours.h"
#include "ivr/flow.h"
#include "media/engine/media_control.h"
#include "media/recorder/recording_writer.h"
#include "sip/registrar/location_service.h"
#include "sip/session/session_test_support.h"

namespace sb::call::testing {

using namespace std::chrono_literals;
using media::engine::EndpointId;
using media::engine::MediaEvent;
using sip::session::testing::FakeStack;

// Every command the call center gives the media plane, and the state it leaves each endpoint in.
class FakeMedia final : public media::engine::MediaControl {
 public:
  struct Endpoint {
    uint64_t affinity = 0;
    std::optional<media::engine::EndpointMedia> media;
    EndpointId bridged = media::engine::kNoEndpoint;
    uint64_t playback = 0;  // what plays now (0: nothing)
    bool recording = false;
    bool recording_paused = false;
    bool destroyed = false;
  };
  std::map<EndpointId, Endpoint> endpoints;
  std::vector<std::string> log;  // "bridge 1 2", "play 1", "destroy 2", ...
  std::vector<std::vector<EndpointId>> conferences;
  std::vector<std::pair<EndpointId, media::mixer::SupervisionMode>> supervised;  // supervisor, mode
  bool refuse_endpoints = false;  // as when the port range is used up

  size_t alive() const {
    size_t n = 0;
    for (const auto& [id, e] : endpoints) n += e.destroyed ? 0 : 1;
    return n;
  }
  bool bridged(EndpointId a, EndpointId b) const {
    return endpoints.at(a).bridged == b && endpoints.at(b).bridged == a;
  }
  bool playing(EndpointId id) const { return endpoints.at(id).playback != 0; }

  Result<media::engine::LocalEndpoint> create_endpoint(const std::string& bind_ip, uint64_t affinity) override {
    if (refuse_endpoints) return Error{"no free RTP ports", "", ErrorCode::Unavailable};
    const EndpointId id = next_id_++;
    endpoints[id].affinity = affinity;
    log.push_back("create " + std::to_string(id));
    return media::engine::LocalEndpoint{id, bind_ip, static_cast<uint16_t>(30000 + 2 * id),
                                        static_cast<uint16_t>(30001 + 2 * id)};
  }
  void configure(EndpointId id, media::engine::EndpointMedia media,
                 std::function<void(Result<void>)> done) override {
    at(id, "configure").media = std::move(media);
    if (done) done({});
  }
  void bridge(EndpointId a, EndpointId b) override {
    at(a, "bridge").bridged = b;
    at(b, "bridge").bridged = a;
    log.push_back("bridge " + std::to_string(a) + " " + std::to_string(b));
  }
  void unbridge(EndpointId id) override {
    Endpoint& e = at(id, "unbridge");
    if (e.bridged != media::engine::kNoEndpoint && endpoints.count(e.bridged) != 0) {
      endpoints[e.bridged].bridged = media::engine::kNoEndpoint;
    }
    e.bridged = media::engine::kNoEndpoint;
    log.push_back("unbridge " + std::to_string(id));
  }
  uint64_t play(EndpointId id, std::unique_ptr<media::engine::FrameSource>) override {
    Endpoint& e = at(id, "play");
    e.playback = next_playback_++;
    log.push_back("play " + std::to_string(id));
    return e.playback;
  }
  void stop_playing(EndpointId id) override {
    at(id, "stop_playing").playback = 0;
    log.push_back("stop " + std::to_string(id));
  }
  void record(EndpointId caller, EndpointId, std::unique_ptr<media::engine::FrameSink> sink) override {
    at(caller, "record").recording = true;
    sinks_[caller] = std::move(sink);
    log.push_back("record " + std::to_string(caller));
  }
  void stop_recording(EndpointId caller) override {
    at(caller, "stop_recording").recording = false;
    sinks_.erase(caller);
  }
  void pause_recording(EndpointId caller, bool paused) override {
    at(caller, "pause_recording").recording_paused = paused;
  }
  void supervise(EndpointId, EndpointId, EndpointId supervisor, media::mixer::SupervisionMode mode) override {
    supervised.emplace_back(supervisor, mode);
  }
  void conference(std::vector<EndpointId> members) override { conferences.push_back(std::move(members)); }
  void leave_mix(EndpointId id) override { log.push_back("leave " + std::to_string(id)); }
  void send_dtmf(EndpointId id, std::string digits, Duration) override {
    log.push_back("dtmf " + std::to_string(id) + " " + digits);
  }
  void destroy(EndpointId id) override {
    Endpoint& e = at(id, "destroy");
    e.destroyed = true;
    e.playback = 0;
    sinks_.erase(id);
    log.push_back("destroy " + std::to_string(id));
  }

 private:
  Endpoint& at(EndpointId id, const char* op) {
    auto it = endpoints.find(id);
    if (it == endpoints.end()) {
      ADD_FAILURE() << op << ": no endpoint " << id;
      return endpoints[id];
    }
    if (it->second.destroyed) ADD_FAILURE() << op << ": endpoint " << id << " used after destroy";
    return it->second;
  }
  EndpointId next_id_ = 1;
  uint64_t next_playback_ = 1;
  std::map<EndpointId, std::unique_ptr<media::engine::FrameSink>> sinks_;
};

// Lookups that wait for the test to answer them.
class FakeLookups final : public Lookups {
 public:
  struct Pending {
    std::string method, url, body;
    Done done;
  };
  std::vector<Pending> pending;
  void start(const std::string& method, const std::string& url, const std::string& body, Duration,
             Done done) override {
    pending.push_back({method, url, body, std::move(done)});
  }
  void cancel_all() override { pending.clear(); }
  // The CRM answers the oldest lookup in flight with `result`.
  void answer_next(const ivr::LookupResult& result) {
    ASSERT_FALSE(pending.empty());
    Done done = std::move(pending.front().done);
    pending.erase(pending.begin());
    done(result);
  }
};

// Flow nodes for the scenarios' flows.
ivr::Node queue_node(std::string name, std::string queue);
ivr::Node hangup_node(std::string name, std::vector<std::string> prompts);

// A party's SDP offer or answer: PCMA and PCMU with RFC 4733 events, from `ip`:`port`.
std::string party_sdp(std::string_view ip, int port, std::string_view direction = "sendrecv");

// Prompts as 100 ms WAV files under a temporary folder (removed with it).
class PromptFolder {
 public:
  explicit PromptFolder(const std::vector<std::string>& names);
  ~PromptFolder();
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// A call center with two queues (support: alice and bob, longest idle; sales: bob) and three
// inbound routes: +15550100 to the "main" flow (a menu: 1 support, 2 sales), +15550111 straight
// to support, +15550122 to support with early media. Phones 1001 (alice), 1002 (bob) and 1003
// (carol, supervisor) have accounts; set_up() may be given edits of the routing and call configs.
class CallCenterOnFakes : public ::testing::Test {
 protected:
  CallCenterOnFakes();
  ~CallCenterOnFakes() override;
  // Every scenario also checks that no call made a move call_state.h refuses.
  void TearDown() override;

  // Builds the center; call once per test (after editing routing / config / flows if needed).
  void set_up();

  // --- the caller ---
  struct Caller {
    uint64_t tx = 0;
    std::string call_id;
    sip::DialogId dialog;  // ours, once answered (or in early media)
    EndpointId endpoint = media::engine::kNoEndpoint;  // where the center answered it
  };
  // An INVITE from +15551230000 to `did` with `extra` headers (bare LF lines) arrives.
  Caller dials(std::string_view did, std::string_view extra_headers = "");
  void hangs_up(const Caller& c);                 // BYE: the dialog ends
  void presses(const Caller& c, char digit);      // an RFC 4733 digit
  void keys(EndpointId endpoint, std::string_view digits);  // digits from any leg (an agent's)
  void playback_ends(EndpointId endpoint, char interrupted_by = '\0');
  void media_times_out(EndpointId endpoint);

  // --- agents' and supervisors' phones ---
  // Phone `user` (1001, 1002, 1003; password "secret") dials `target` (a star code, an agent, a
  // queue or a number) and answers the digest challenge; the result is a Caller like any other.
  Caller phone_dials(std::string_view user, std::string_view target);
  // A feature code's call: dialled, answered, its confirmation played to the end; returns the
  // final status of the authenticated INVITE.
  int feature(std::string_view user, std::string_view code);
  // Phone `user` registers from 192.0.2.1x:5062 (x: the user's last digit).
  void registered(std::string_view user);
  // `agent` is logged in (as at start-up) on phone `user`, registered.
  void logged_in(std::string_view agent, std::string_view user, bool ready = true);
  std::string aor(std::string_view user) const { return "sip:" + std::string(user) + "@192.0.2.4"; }
  // The carrier behind sip.trunks: calls out go to 192.0.2.50 (domain carrier.example).
  void with_trunk();
  // The INVITE number `n` (0-based) the center sent, and the far end's answer to it (the
  // agent's phone, or the carrier).
  const sip::OutgoingInvite& invite(size_t n) const { return stack.invites.at(n); }
  sip::Dialog* far_end_answers(size_t n, int status = 200);
  void far_end_hangs_up(size_t n);  // BYE from the phone that answered INVITE n
  sip::DialogId far_end_dialog(size_t n) const;
  // A request from the far end inside `dialog` (re-INVITE, REFER, INFO...); returns its tx.
  uint64_t request_in(const sip::DialogId& dialog, std::string_view method, std::string_view extra_headers = "",
                      std::string_view body = "");

  // Support records every call (after `consent`, if any); a caller to it answered by alice.
  // Returns the caller and alice's endpoint.
  std::pair<Caller, EndpointId> recorded_call_with_alice(std::vector<std::string> consent);

  // --- what happened ---
  std::vector<std::string> interaction_events() const;  // "arrived", "queued", ...
  const events::Event* last_event(events::EventKind kind) const;
  std::vector<std::string> agent_events(std::string_view agent) const;  // "agent-login", ...
  int last_status(uint64_t tx) const;
  bool hung_up(const sip::DialogId& id) const;
  void advance(Duration d = Duration::zero()) { scheduler.advance(d); }

  FakeStack stack;
  sip::registrar::LocationService locations{stack.virtual_clock};
  ManualScheduler scheduler{stack.virtual_clock, stack.queue};
  FakeMedia media;
  FakeLookups lookups;
  std::unique_ptr<media::recorder::RecordingWriter> writer;
  std::unique_ptr<PromptFolder> prompt_folder;
  acd::RoutingConfig routing;
  ivr::FlowSet flows;
  std::map<std::string, ivr::BusinessHours, std::less<>> hours;
  CallCenterConfig config;
  std::vector<events::Event> events;
  std::unique_ptr<CallCenter> center;

  // An INVITE arriving from `from_user` at `source_ip`; returns it with its tx and dialog.
  // `sdp` empty: the party's usual offer (party_sdp).
  Caller invite_arrives(std::string_view from_user, std::string_view source_ip, std::string_view target,
                        std::string_view extra_headers, std::string_view call_id, int cseq,
                        std::string_view sdp = "");

 private:
  uint64_t next_tx_ = 1;
  uint64_t next_caller_ = 1;
  std::vector<sip::Message> sent_invites_;  // as the stack would have sent them, for dialogs
};

}  // namespace sb::call::testing
