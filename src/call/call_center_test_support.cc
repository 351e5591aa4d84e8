#include "call/call_center_test_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "sip/auth/challenge.h"
#include "sip/auth/digest_client.h"
#include "sip/dialog/dialog_test_support.h"

namespace sb::call::testing {

namespace fs = std::filesystem;
using sip::session::testing::message;

namespace {

// 100 ms of silence as 8 kHz 16-bit mono PCM, with the 44-byte RIFF header.
void write_wav(const fs::path& path) {
  const uint32_t samples = 800;
  const uint32_t data_bytes = samples * 2;
  std::ofstream out(path, std::ios::binary);
  auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  out.write("RIFF", 4);
  u32(36 + data_bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(8000);
  u32(16000);
  u16(2);
  u16(16);
  out.write("data", 4);
  u32(data_bytes);
  const std::string silence(data_bytes, '\0');
  out.write(silence.data(), silence.size());
}

ivr::Transition to(ivr::NodeIndex node) {
  ivr::Transition t;
  t.next = node;
  return t;
}

}  // namespace

ivr::Node queue_node(std::string name, std::string queue) {
  ivr::Node n;
  n.name = std::move(name);
  n.kind = ivr::NodeKind::Queue;
  n.queue = std::move(queue);
  return n;
}

ivr::Node hangup_node(std::string name, std::vector<std::string> prompts) {
  ivr::Node n;
  n.name = std::move(name);
  n.kind = ivr::NodeKind::Hangup;
  n.prompts = std::move(prompts);
  return n;
}

std::string party_sdp(std::string_view ip, int port, std::string_view direction) {
  return sip::testing::crlf(fmt::format(
      "v=0\no=- 1 1 IN IP4 {0}\ns=-\nc=IN IP4 {0}\nt=0 0\nm=audio {1} RTP/AVP 8 0 101\na=rtpmap:8 PCMA/8000\n"
      "a=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16\na={2}\n",
      ip, port, direction));
}

PromptFolder::PromptFolder(const std::vector<std::string>& names) {
  std::string pattern = (fs::temp_directory_path() / "sb-call-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
  dir_ = pattern;
  fs::create_directories(fs::path(dir_) / "en");
  for (const std::string& name : names) write_wav(fs::path(dir_) / "en" / (name + ".wav"));
}

PromptFolder::~PromptFolder() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

CallCenterOnFakes::CallCenterOnFakes() {
  media::recorder::RecordingWriterOptions writer_options;
  writer = std::make_unique<media::recorder::RecordingWriter>(writer_options);
  prompt_folder = std::make_unique<PromptFolder>(std::vector<std::string>{
      "menu", "music-on-hold", "callback-offer", "callback-confirmed", "leave-a-message", "consent", "goodbye"});

  routing.reason_codes = {"none", "break", "no-phone"};
  routing.without_phone.reason = acd::ReasonCode{2};
  routing.missed.auto_not_ready_after = 0;
  for (const char* name : {"support", "sales"}) {
    acd::QueueConfig q;
    q.name = name;
    q.ring_timeout = 15s;
    routing.queues.push_back(std::move(q));
  }
  const acd::QueueId support{0}, sales{1};
  for (const char* name : {"alice", "bob", "carol"}) {
    acd::AgentConfig a;
    a.name = name;
    routing.agents.push_back(std::move(a));
  }
  routing.queues[acd::index_of(support)].members = {acd::AgentId{0}, acd::AgentId{1}};
  routing.queues[acd::index_of(sales)].members = {acd::AgentId{1}};

  ivr::Flow main;
  main.name = "main";
  ivr::Node menu;
  menu.name = "menu";
  menu.kind = ivr::NodeKind::Menu;
  menu.prompts = {"menu"};
  menu.options = {{'1', to(1)}, {'2', to(2)}};
  menu.retries = 1;
  menu.on_failure = to(3);
  main.nodes = {menu, queue_node("support", "support"), queue_node("sales", "sales"), hangup_node("bye", {"goodbye"})};
  flows.flows.push_back(std::move(main));

  config.inbound = {{"+15550100", "main", "", false}, {"+15550111", "", "support", false},
                    {"+15550122", "", "support", true}};
  config.recordings_dir = prompt_folder->dir() + "/recordings";
  config.voicemail_dir = prompt_folder->dir() + "/voicemail";
  for (const char* user : {"1001", "1002", "1003"}) config.accounts.push_back({user, "secret", {}});
  config.seed = 7;
}

CallCenterOnFakes::~CallCenterOnFakes() { center.reset(); }

void CallCenterOnFakes::TearDown() {
  if (center) {
    EXPECT_EQ(center->stats().illegal_moves, 0u) << "a call moved where call_state.h forbids";
  }
}

void CallCenterOnFakes::set_up() {
  auto prompts = std::make_shared<const PromptLibrary>(prompt_folder->dir(), std::vector<std::string>{"en"});
  CallCenterPorts ports{stack,  locations, scheduler, media, *writer, lookups,
                        [this](events::Event e) { events.push_back(std::move(e)); }};
  center = std::make_unique<CallCenter>(std::move(ports), routing, std::make_shared<const ivr::FlowSet>(flows),
                                        hours, prompts, config);
}

CallCenterOnFakes::Caller CallCenterOnFakes::invite_arrives(std::string_view from_user, std::string_view source_ip,
                                                          std::string_view target, std::string_view extra_headers,
                                                          std::string_view call_id, int cseq,
                                                          std::string_view sdp) {
  Caller c;
  c.tx = next_tx_++;
  c.call_id = std::string(call_id);
  const std::string head = fmt::format(
      "INVITE sip:{0}@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP {1}:5060;branch=z9hG4bKin{2}\n"
      "Max-Forwards: 70\nFrom: <sip:{3}@192.0.2.4>;tag=from{2}\nTo: <sip:{0}@192.0.2.4>\n"
      "Call-ID: {4}\nCSeq: {5} INVITE\nContact: <sip:{3}@{1}:5060>\n{6}",
      target, source_ip, c.tx, from_user, call_id, cseq, extra_headers);
  const std::string offer = sdp.empty() ? party_sdp(source_ip, 40000 + 2 * static_cast<int>(c.tx)) : std::string(sdp);
  const sip::Message& invite = stack.receive(c.tx, head, offer);
  const EndpointId last_before = media.endpoints.empty() ? 0 : media.endpoints.rbegin()->first;
  center->handle_invite(sip::ServerTransactionId{c.tx}, invite, sip::testing::udp_peer(source_ip));
  for (const auto& [id, dialog] : stack.dialogs) {
    if (id.call_id == c.call_id) c.dialog = id;
  }
  // The first endpoint made for this call is the caller's (an agent's may follow at once).
  if (auto first = media.endpoints.upper_bound(last_before); first != media.endpoints.end()) c.endpoint = first->first;
  advance();
  return c;
}

CallCenterOnFakes::Caller CallCenterOnFakes::dials(std::string_view did, std::string_view extra_headers) {
  return invite_arrives("+15551230000", "192.0.2.1", did, extra_headers,
                        fmt::format("caller-{}@192.0.2.1", next_caller_++), 1);
}

CallCenterOnFakes::Caller CallCenterOnFakes::phone_dials(std::string_view user, std::string_view target) {
  const std::string ip = fmt::format("192.0.2.1{}", user.back());
  const std::string call_id = fmt::format("phone-{}@{}", next_caller_++, ip);
  Caller first = invite_arrives(user, ip, target, "", call_id, 1);
  const auto* challenge = stack.last_response(first.tx);
  if (challenge == nullptr || challenge->status != 407) {
    ADD_FAILURE() << "no 407 for " << target;
    return first;
  }
  auto parsed = sip::auth::parse_challenge(challenge->header("Proxy-Authenticate"));
  if (!parsed) {
    ADD_FAILURE() << parsed.error().to_string();
    return first;
  }
  const std::string uri = fmt::format("sip:{}@192.0.2.4", target);
  const std::string credentials =
      sip::auth::authorization_value(*parsed, {std::string(user), "secret"}, "INVITE", uri, "0a4f113b", 1);
  return invite_arrives(user, ip, target, "Proxy-Authorization: " + credentials + "\n", call_id, 2);
}

int CallCenterOnFakes::feature(std::string_view user, std::string_view code) {
  Caller call = phone_dials(user, code);
  const int status = last_status(call.tx);
  if (call.endpoint != media::engine::kNoEndpoint && media.playing(call.endpoint)) playback_ends(call.endpoint);
  return status;
}

void CallCenterOnFakes::hangs_up(const Caller& c) {
  sip::Dialog* d = stack.dialog(c.dialog);
  ASSERT_NE(d, nullptr) << "the caller's dialog is gone";
  center->handle_dialog_ended(*d);
  stack.dialogs.erase(c.dialog);
  advance();
}

void CallCenterOnFakes::presses(const Caller& c, char digit) {
  MediaEvent e;
  e.kind = MediaEvent::Kind::Dtmf;
  e.endpoint = c.endpoint;
  e.digit = digit;
  e.duration_ms = 100;
  center->on_media_event(e);
  advance();
}

void CallCenterOnFakes::keys(EndpointId endpoint, std::string_view digits) {
  for (char digit : digits) {
    MediaEvent e;
    e.kind = MediaEvent::Kind::Dtmf;
    e.endpoint = endpoint;
    e.digit = digit;
    e.duration_ms = 100;
    center->on_media_event(e);
    advance(200ms);
  }
}

void CallCenterOnFakes::with_trunk() {
  OutboundTrunk trunk;
  trunk.name = "carrier";
  trunk.destination = sip::testing::udp_peer("192.0.2.50", 5060);
  trunk.domain = "carrier.example";
  trunk.caller_id = "+15550100";
  config.outbound = trunk;
  config.trunks = {trunk};
}

void CallCenterOnFakes::playback_ends(EndpointId endpoint, char interrupted_by) {
  MediaEvent e;
  e.kind = MediaEvent::Kind::PlaybackDone;
  e.endpoint = endpoint;
  e.playback = media.endpoints.at(endpoint).playback;
  e.digit = interrupted_by;
  media.endpoints.at(endpoint).playback = 0;
  center->on_media_event(e);
  advance();
}

void CallCenterOnFakes::media_times_out(EndpointId endpoint) {
  MediaEvent e;
  e.kind = MediaEvent::Kind::MediaTimeout;
  e.endpoint = endpoint;
  center->on_media_event(e);
  advance();
}

void CallCenterOnFakes::registered(std::string_view user) {
  sip::registrar::Binding b;
  b.contact = fmt::format("sip:{}@192.0.2.1{}:5062", user, user.back());
  b.expires_at = stack.virtual_clock.now() + 3600s;
  b.updated_at = stack.virtual_clock.now();
  b.received = sip::testing::udp_peer(fmt::format("192.0.2.1{}", user.back()), 5062);
  locations.set_bindings(aor(user), {b});
}

void CallCenterOnFakes::logged_in(std::string_view agent, std::string_view user, bool ready) {
  registered(user);
  AgentLogin login;
  login.phone = aor(user);
  login.ready = ready;
  login.reason = ready ? "" : "break";
  EXPECT_TRUE(center->restore_login(std::string(agent), login));
  advance();
}

sip::Dialog* CallCenterOnFakes::far_end_answers(size_t n, int status) {
  while (sent_invites_.size() < stack.invites.size()) {
    const size_t i = sent_invites_.size();
    const sip::OutgoingInvite& out = stack.invites[i];
    const std::string head = fmt::format(
        "INVITE {0} SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKout{1}\nMax-Forwards: 70\n"
        "From: {2};tag=sb{1}\nTo: {3}\nCall-ID: out-{1}@192.0.2.4\nCSeq: 1 INVITE\nContact: <sip:sb@192.0.2.4:5060>\n",
        out.request_uri, i, out.from, out.to.empty() ? "<" + out.request_uri + ">" : out.to);
    sent_invites_.push_back(message(head, out.sdp));
  }
  const sip::Message& invite = sent_invites_.at(n);
  std::string head = fmt::format("SIP/2.0 {} X\n", status);
  for (auto h : {sip::HeaderName::Via, sip::HeaderName::From, sip::HeaderName::CallId, sip::HeaderName::CSeq}) {
    head += fmt::format("{}: {}\n", sip::canonical_name(h), invite.first(h).value_or(""));
  }
  head += fmt::format("To: {};tag=phone{}\n", invite.first(sip::HeaderName::To).value_or(""), n);
  const bool answer = status >= 180 && status < 300;
  if (answer) head += fmt::format("Contact: <{}>\n", stack.invites.at(n).request_uri);
  const std::string body = status >= 200 && status < 300 ? party_sdp("192.0.2.20", 50000 + 2 * static_cast<int>(n)) : "";
  sip::Message response = message(head, body);
  sip::Dialog* dialog = answer ? stack.dialog_from(invite, response) : nullptr;
  stack.progresses.at(n)(response, dialog);
  advance();
  return dialog;
}

sip::DialogId CallCenterOnFakes::far_end_dialog(size_t n) const {
  for (const auto& [id, dialog] : stack.dialogs) {
    if (id.call_id == fmt::format("out-{}@192.0.2.4", n)) return id;
  }
  ADD_FAILURE() << "no dialog for INVITE " << n;
  return {};
}

void CallCenterOnFakes::far_end_hangs_up(size_t n) {
  const sip::DialogId id = far_end_dialog(n);
  sip::Dialog* d = stack.dialog(id);
  ASSERT_NE(d, nullptr);
  center->handle_dialog_ended(*d);
  stack.dialogs.erase(id);
  advance();
}

uint64_t CallCenterOnFakes::request_in(const sip::DialogId& id, std::string_view method, std::string_view extra_headers,
                                    std::string_view body) {
  sip::Dialog* d = stack.dialog(id);
  if (d == nullptr) {
    ADD_FAILURE() << "no dialog " << id.call_id;
    return 0;
  }
  const uint64_t tx = next_tx_++;
  // From the far end: its tag is our remote tag, ours is its To tag.
  const std::string head = fmt::format(
      "{0} sip:sb@192.0.2.4:5060 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKin{1}\nMax-Forwards: 70\n"
      "From: <sip:far@192.0.2.9>;tag={2}\nTo: <sip:sb@192.0.2.4>;tag={3}\nCall-ID: {4}\nCSeq: {5} {0}\n"
      "Contact: <sip:far@192.0.2.9:5060>\n{6}",
      method, tx, id.remote_tag, id.local_tag, id.call_id, 100 + tx, extra_headers);
  const sip::Message& request = stack.receive(tx, head, body);
  center->handle_dialog_request(sip::ServerTransactionId{tx}, *d, request);
  advance();
  return tx;
}

std::pair<CallCenterOnFakes::Caller, EndpointId> CallCenterOnFakes::recorded_call_with_alice(
    std::vector<std::string> consent) {
  QueueCallSettings support;
  support.recording = RecordingMode::All;
  support.consent = std::move(consent);
  config.queues = {support};
  set_up();
  logged_in("alice", "1001");
  Caller caller = dials("+15550111");
  far_end_answers(0, 200);
  return {caller, media.endpoints.rbegin()->first};
}

std::vector<std::string> CallCenterOnFakes::interaction_events() const {
  std::vector<std::string> out;
  for (const events::Event& e : events) {
    if (events::topic_of(e.kind) == events::Topic::Interaction) out.emplace_back(events::event_kind_name(e.kind));
  }
  return out;
}

const events::Event* CallCenterOnFakes::last_event(events::EventKind kind) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->kind == kind) return &*it;
  }
  return nullptr;
}

std::vector<std::string> CallCenterOnFakes::agent_events(std::string_view agent) const {
  std::vector<std::string> out;
  for (const events::Event& e : events) {
    if (events::topic_of(e.kind) == events::Topic::Agent && e.agent == agent) {
      out.emplace_back(events::event_kind_name(e.kind));
    }
  }
  return out;
}

int CallCenterOnFakes::last_status(uint64_t tx) const {
  const auto* r = stack.last_response(tx);
  return r == nullptr ? 0 : r->status;
}

bool CallCenterOnFakes::hung_up(const sip::DialogId& id) const {
  for (const auto& [d, status] : stack.hung_up) {
    if (d.call_id == id.call_id) return true;
  }
  return false;
}

}  // namespace sb::call::testing
