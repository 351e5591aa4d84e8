#include "call/call_center_test_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

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
  ivr::Node to_support;
  to_support.name = "support";
  to_support.kind = ivr::NodeKind::Queue;
  to_support.queue = "support";
  ivr::Node to_sales = to_support;
  to_sales.name = "sales";
  to_sales.queue = "sales";
  ivr::Node bye;
  bye.name = "bye";
  bye.kind = ivr::NodeKind::Hangup;
  bye.prompts = {"goodbye"};
  main.nodes = {menu, to_support, to_sales, bye};
  flows.flows.push_back(std::move(main));

  config.inbound = {{"+15550100", "main", "", false}, {"+15550111", "", "support", false},
                    {"+15550122", "", "support", true}};
  config.recordings_dir = prompt_folder->dir() + "/recordings";
  config.voicemail_dir = prompt_folder->dir() + "/voicemail";
  for (const char* user : {"1001", "1002", "1003"}) config.accounts.push_back({user, "secret", {}});
  config.seed = 7;
}

CallCenterOnFakes::~CallCenterOnFakes() { center.reset(); }

void CallCenterOnFakes::set_up() {
  auto prompts = std::make_shared<const PromptLibrary>(prompt_folder->dir(), std::vector<std::string>{"en"});
  CallCenterPorts ports{stack,  locations, scheduler, media, *writer, lookups,
                        [this](events::Event e) { events.push_back(std::move(e)); }};
  center = std::make_unique<CallCenter>(std::move(ports), routing, std::make_shared<const ivr::FlowSet>(flows),
                                        std::map<std::string, ivr::BusinessHours, std::less<>>{}, prompts, config);
}

CallCenterOnFakes::Caller CallCenterOnFakes::dials(std::string_view did, std::string_view extra_headers) {
  Caller c;
  c.tx = next_tx_++;
  const uint64_t n = next_caller_++;
  c.call_id = fmt::format("caller-{}@192.0.2.1", n);
  const std::string head = fmt::format(
      "INVITE sip:{0}@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller{1}\n"
      "Max-Forwards: 70\nFrom: <sip:+15551230000@192.0.2.1>;tag=from{1}\nTo: <sip:{0}@192.0.2.4>\n"
      "Call-ID: {2}\nCSeq: 1 INVITE\nContact: <sip:+15551230000@192.0.2.1:5060>\n{3}",
      did, n, c.call_id, extra_headers);
  const sip::Message& invite = stack.receive(c.tx, head, party_sdp("192.0.2.1", 40000 + 2 * static_cast<int>(n)));
  const EndpointId last_before = media.endpoints.empty() ? 0 : media.endpoints.rbegin()->first;
  center->handle_invite(sip::ServerTransactionId{c.tx}, invite, sip::testing::udp_peer());
  for (const auto& [id, dialog] : stack.dialogs) {
    if (id.call_id == c.call_id) c.dialog = id;
  }
  // The first endpoint made for this call is the caller's (an agent's may follow at once).
  if (auto first = media.endpoints.upper_bound(last_before); first != media.endpoints.end()) c.endpoint = first->first;
  advance();
  return c;
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

void CallCenterOnFakes::logged_in(std::string_view agent, std::string_view user, bool ready) {
  sip::registrar::Binding b;
  b.contact = fmt::format("sip:{}@192.0.2.1{}:5062", user, user.back());
  b.expires_at = stack.virtual_clock.now() + 3600s;
  b.updated_at = stack.virtual_clock.now();
  b.received = sip::testing::udp_peer(fmt::format("192.0.2.1{}", user.back()), 5062);
  locations.set_bindings(aor(user), {b});
  AgentLogin login;
  login.phone = aor(user);
  login.ready = ready;
  login.reason = ready ? "" : "break";
  EXPECT_TRUE(center->restore_login(std::string(agent), login));
  advance();
}

sip::Dialog* CallCenterOnFakes::phone_answers(size_t n, int status) {
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

sip::DialogId CallCenterOnFakes::phone_dialog(size_t n) const {
  for (const auto& [id, dialog] : stack.dialogs) {
    if (id.call_id == fmt::format("out-{}@192.0.2.4", n)) return id;
  }
  ADD_FAILURE() << "no dialog for INVITE " << n;
  return {};
}

void CallCenterOnFakes::phone_hangs_up(size_t n) {
  const sip::DialogId id = phone_dialog(n);
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
