// media/engine/media_thread.cc
#include "media/engine/media_thread.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace sb::media::engine {
namespace {

constexpr uint64_t kWakeTag = 1;
constexpr uint64_t kTimerTag = 2;
constexpr uint64_t kRtcpBit = uint64_t{1} << 63;
// Batches drained from one socket per wake-up, so one busy stream cannot starve the others;
// epoll is level-triggered and comes back for the rest.
constexpr int kMaxBatchesPerWake = 8;

bool watch(int epoll_fd, int fd, uint64_t tag) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = tag;
  return ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

}  // namespace

MediaThread::MediaThread(std::size_t index, MediaEventSink sink, PortRelease release_port)
    : index_(index), sink_(std::move(sink)), release_port_(std::move(release_port)) {}

MediaThread::~MediaThread() {
  stop();
  for (int fd : {epoll_fd_, wake_fd_, timer_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

Result<void> MediaThread::start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0 || timer_fd_ < 0) {
    return Error{std::string("media thread: ") + std::strerror(errno), ""};
  }
  itimerspec period{};
  period.it_interval.tv_nsec = kFrameMs * 1'000'000L;
  period.it_value.tv_nsec = kFrameMs * 1'000'000L;
  ::timerfd_settime(timer_fd_, 0, &period, nullptr);
  if (!watch(epoll_fd_, wake_fd_, kWakeTag) || !watch(epoll_fd_, timer_fd_, kTimerTag)) {
    return Error{std::string("media thread epoll: ") + std::strerror(errno), ""};
  }
  running_ = true;
  thread_ = std::thread([this] {
    ::pthread_setname_np(::pthread_self(), "sb-media");  // for top, perf and bench/call_load.py
    run();
  });
  return {};
}

void MediaThread::stop() {
  if (!thread_.joinable()) return;
  running_ = false;
  uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
  thread_.join();
  std::vector<EndpointId> ids;
  for (const auto& [id, ep] : endpoints_) ids.push_back(id);
  for (EndpointId id : ids) remove(id);
  emit();
}

void MediaThread::post(Command command) {
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(std::move(command));
  }
  has_commands_ = true;
  uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
}

TimePoint MediaThread::now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

void MediaThread::run() {
  std::array<epoll_event, 64> ready{};
  while (running_) {
    int n = ::epoll_wait(epoll_fd_, ready.data(), static_cast<int>(ready.size()), 100);
    bool ticked = false;
    for (int i = 0; i < n; ++i) {
      uint64_t tag = ready[static_cast<std::size_t>(i)].data.u64;
      if (tag == kWakeTag) {
        uint64_t count = 0;
        (void)::read(wake_fd_, &count, sizeof count);
      } else if (tag == kTimerTag) {
        uint64_t expirations = 0;
        (void)::read(timer_fd_, &expirations, sizeof expirations);
        ticked = true;
      } else {
        on_readable(tag);
      }
    }
    send_.flush();
    if (ticked) tick();
    // Commands after the socket events of this round: an endpoint a command removes cannot
    // have an event still pending in `ready`.
    if (has_commands_) drain_commands();
    emit();
  }
}

void MediaThread::drain_commands() {
  std::vector<Command> commands;
  {
    std::lock_guard lock(mutex_);
    commands.swap(commands_);
    has_commands_ = false;
  }
  for (auto& c : commands) c(*this);
  send_.flush();
}

void MediaThread::emit() {
  if (events_.empty()) return;
  for (auto& e : events_) {
    if (e.kind == MediaEvent::Kind::Dtmf) forward_digit(e);
    if (sink_) sink_(std::move(e));
  }
  events_.clear();
}

// A digit from a leg: barge-in on what that leg hears (reported at the next tick), and across
// a transcoding bridge the digit is sent on as RFC 4733 (a relaying bridge already forwarded
// the event packets; in-band tones travel inside the transcoded audio).
void MediaThread::forward_digit(const MediaEvent& e) {
  Endpoint* ep = find(e.endpoint);
  if (ep == nullptr) return;
  if (ep->source() != nullptr) ep->source()->on_dtmf(e.digit);
  Endpoint* peer = ep->peer() != kNoEndpoint ? find(ep->peer()) : nullptr;
  if (peer == nullptr || e.inband || peer->relays_from(*ep) || ep->mixing()) return;
  const Duration tone = std::max<Duration>(std::chrono::milliseconds(e.duration_ms),
                                           std::chrono::milliseconds(60));
  peer->queue_dtmf(std::string(1, e.digit), tone);
}

void MediaThread::on_readable(uint64_t tag) {
  const bool rtcp = (tag & kRtcpBit) != 0;
  Endpoint* ep = find(tag & ~kRtcpBit);
  if (ep == nullptr) return;
  const UdpSocket& socket = rtcp ? ep->rtcp_socket() : ep->rtp_socket();
  Endpoint* peer = ep->peer() != kNoEndpoint ? find(ep->peer()) : nullptr;
  for (int round = 0; round < kMaxBatchesPerWake; ++round) {
    socket.receive(batch_);
    if (batch_.count == 0) break;
    const TimePoint t = now();
    for (std::size_t i = 0; i < batch_.count; ++i) {
      std::span<uint8_t> datagram(batch_.data[i].data(), batch_.size[i]);
      if (rtcp) {
        ep->on_rtcp(datagram, batch_.peer[i], t);
        continue;
      }
      auto r = ep->on_rtp(datagram, batch_.peer[i], t, events_);
      if ((r.audio || r.telephone_event) && peer != nullptr && peer->relays_from(*ep)) {
        peer->relay_into(batch_.data[i], r.length, r, r.telephone_event, send_, t);
      }
    }
    send_.flush();
    if (batch_.count < kBatch) break;
  }
}

void MediaThread::tick() {
  const TimePoint t = now();
  // Endpoints that only relay are skipped until a duty is due (Endpoint::quiet_at): a bridged
  // call whose packets go straight through costs the tick nothing.
  for (auto& [id, ep] : endpoints_) {
    if (!ep->quiet_at(t)) {
      ep->pull_input(t, events_);
    }
  }
  for (auto& mix : mixes_) {
    for (auto [member, participant] : mix->members) {
      Endpoint* ep = find(member);
      if (ep != nullptr && ep->has_input()) mix->mixer.set_input(participant, ep->input());
    }
    mix->mixer.mix();
  }
  static const Frame kSilence{};
  for (auto& [id, ep] : endpoints_) {
    if (ep->quiet_at(t)) {
      continue;
    }
    mixer::ParticipantId participant = 0;
    Mix* mix = ep->mixing() ? mix_of(id, &participant) : nullptr;
    bool only_relays = false;
    if (ep->sending_dtmf()) {
      ep->send_due_dtmf(t, send_);
    } else if (FrameSource* source = ep->source()) {
      Frame frame;
      if (source->next_frame(frame)) {
        ep->send_frame(frame, send_, t);
      } else {
        MediaEvent e;
        e.kind = MediaEvent::Kind::PlaybackDone;
        e.endpoint = id;
        e.digit = source->interrupted_by();
        e.playback = ep->playback();
        events_.push_back(std::move(e));
        ep->take_source();
        if (ep->peer() != kNoEndpoint) refresh_decoding(ep->peer());
      }
    } else if (mix != nullptr) {
      ep->send_frame(mix->mixer.output(participant), send_, t);
    } else if (ep->peer() != kNoEndpoint) {
      Endpoint* peer = find(ep->peer());
      if (peer != nullptr && !ep->relays_from(*peer)) {
        ep->send_frame(peer->has_input() ? peer->input() : kSilence, send_, t);
      } else {
        only_relays = true;
      }
    } else {
      only_relays = true;  // nothing to send: silent until something changes
    }
    ep->maybe_send_rtcp(t);
    if (only_relays && !ep->decoding()) {
      ep->rest_until_due(t);
    }
  }
  for (auto& r : recordings_) {
    Endpoint* caller = find(r.caller);
    Endpoint* agent = find(r.agent);
    const Frame& left = caller != nullptr && caller->has_input() ? caller->input() : kSilence;
    const Frame& right = agent != nullptr && agent->has_input() ? agent->input() : kSilence;
    r.sink->on_frames(left, right);
  }
  send_.flush();
}

void MediaThread::add(std::unique_ptr<Endpoint> endpoint) {
  EndpointId id = endpoint->id();
  watch(epoll_fd_, endpoint->rtp_socket().fd(), id);
  watch(epoll_fd_, endpoint->rtcp_socket().fd(), id | kRtcpBit);
  endpoints_.emplace(id, std::move(endpoint));
}

void MediaThread::remove(EndpointId id) {
  auto it = endpoints_.find(id);
  if (it == endpoints_.end()) return;
  leave_mix(id);
  unbridge(id);
  stop_recording(id);
  for (auto& r : recordings_) {
    if (r.agent == id) r.agent = kNoEndpoint;
  }
  MediaEvent e;
  e.kind = MediaEvent::Kind::Quality;
  e.endpoint = id;
  e.quality = it->second->quality();
  events_.push_back(std::move(e));
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second->rtp_socket().fd(), nullptr);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second->rtcp_socket().fd(), nullptr);
  uint16_t port = it->second->local().rtp_port;
  endpoints_.erase(it);  // closes the sockets
  if (release_port_) release_port_(port);
}

Endpoint* MediaThread::find(EndpointId id) {
  auto it = endpoints_.find(id);
  return it == endpoints_.end() ? nullptr : it->second.get();
}

Result<void> MediaThread::configure(EndpointId id, const EndpointMedia& media) {
  Endpoint* ep = find(id);
  if (ep == nullptr) return Error{"no endpoint " + std::to_string(id), ""};
  auto r = ep->configure(media);
  refresh_decoding(id);
  if (ep->peer() != kNoEndpoint) refresh_decoding(ep->peer());
  return r;
}

Result<void> MediaThread::bridge(EndpointId a, EndpointId b) {
  Endpoint* ea = find(a);
  Endpoint* eb = find(b);
  if (ea == nullptr || eb == nullptr || a == b) {
    return Error{"bridge needs two endpoints of this media thread", ""};
  }
  unbridge(a);
  unbridge(b);
  ea->set_peer(b);
  eb->set_peer(a);
  refresh_decoding(a);
  refresh_decoding(b);
  return {};
}

void MediaThread::unbridge(EndpointId id) {
  Endpoint* ep = find(id);
  if (ep == nullptr || ep->peer() == kNoEndpoint) return;
  Endpoint* peer = find(ep->peer());
  ep->set_peer(kNoEndpoint);
  if (peer != nullptr) {
    peer->set_peer(kNoEndpoint);
    refresh_decoding(peer->id());
  }
  refresh_decoding(id);
}

void MediaThread::set_source(EndpointId id, std::unique_ptr<FrameSource> source, uint64_t playback) {
  Endpoint* ep = find(id);
  if (ep == nullptr) return;
  ep->set_source(std::move(source), playback);
  if (ep->peer() != kNoEndpoint) refresh_decoding(ep->peer());
}

void MediaThread::record(EndpointId caller, EndpointId agent, std::unique_ptr<FrameSink> sink) {
  stop_recording(caller);
  recordings_.push_back({caller, agent, std::move(sink)});
  refresh_decoding(caller);
  refresh_decoding(agent);
}

void MediaThread::stop_recording(EndpointId caller) {
  std::erase_if(recordings_, [&](const Recording& r) { return r.caller == caller; });
  refresh_decoding(caller);
}

void MediaThread::set_recording_paused(EndpointId caller, bool paused) {
  for (auto& r : recordings_) {
    if (r.caller == caller) r.sink->set_paused(paused);
  }
}

MediaThread::Mix* MediaThread::mix_of(EndpointId id, mixer::ParticipantId* participant) {
  for (auto& mix : mixes_) {
    for (auto [member, p] : mix->members) {
      if (member != id) continue;
      if (participant != nullptr) *participant = p;
      return mix.get();
    }
  }
  return nullptr;
}

Result<mixer::ParticipantId> MediaThread::join(Mix& mix, EndpointId id) {
  for (auto [member, p] : mix.members) {
    if (member == id) return p;
  }
  Endpoint* ep = find(id);
  if (ep == nullptr) return Error{"no endpoint " + std::to_string(id), "mix"};
  if (Mix* other = mix_of(id); other != nullptr && other != &mix) leave_mix(id);
  auto p = mix.mixer.add();
  if (!p) return p.error();
  mix.members.emplace_back(id, *p);
  ep->set_mixing(true);
  refresh_decoding(id);
  if (ep->peer() != kNoEndpoint) refresh_decoding(ep->peer());
  return *p;
}

Result<void> MediaThread::supervise(EndpointId caller, EndpointId agent, EndpointId supervisor,
                                    mixer::SupervisionMode mode) {
  Mix* mix = mix_of(caller);
  if (mix == nullptr) {
    mixes_.push_back(std::make_unique<Mix>());
    mix = mixes_.back().get();
    mix->key = caller;
  }
  mixer::SupervisedCall call;
  for (auto [id, slot] : {std::pair{caller, &call.caller}, std::pair{agent, &call.agent},
                          std::pair{supervisor, &call.supervisor}}) {
    auto p = join(*mix, id);
    if (!p) return p.error();
    *slot = *p;
  }
  if (!mixer::apply_supervision(mix->mixer, call, mode)) return Error{"supervision", "mix"};
  return {};
}

Result<void> MediaThread::conference(const std::vector<EndpointId>& members) {
  if (members.size() < 2) return Error{"a conference needs two members", "mix"};
  mixes_.push_back(std::make_unique<Mix>());
  Mix& mix = *mixes_.back();
  mix.key = members.front();
  std::vector<mixer::ParticipantId> ids;
  for (EndpointId id : members) {
    auto p = join(mix, id);
    if (!p) return p.error();
    ids.push_back(*p);
  }
  mixer::apply_conference(mix.mixer, ids);
  return {};
}

void MediaThread::leave_mix(EndpointId id) {
  mixer::ParticipantId participant = 0;
  Mix* mix = mix_of(id, &participant);
  if (mix == nullptr) return;
  mix->mixer.remove(participant);
  std::erase_if(mix->members, [&](const auto& m) { return m.first == id; });
  std::vector<EndpointId> released{id};
  const bool only_a_pair =
      mix->members.size() == 2 && find(mix->members[0].first) != nullptr &&
      find(mix->members[0].first)->peer() == mix->members[1].first;
  if (mix->members.size() < 2 || only_a_pair) {
    for (auto [member, p] : mix->members) released.push_back(member);
    std::erase_if(mixes_, [&](const auto& m) { return m.get() == mix; });
  }
  for (EndpointId e : released) {
    if (Endpoint* ep = find(e)) {
      ep->set_mixing(false);
      refresh_decoding(e);
      if (ep->peer() != kNoEndpoint) refresh_decoding(ep->peer());
    }
  }
}

// An endpoint decodes what it receives when someone needs the audio: a partner that cannot
// take its packets as they are, a recording, or a mix.
void MediaThread::refresh_decoding(EndpointId id) {
  Endpoint* ep = find(id);
  if (ep == nullptr) return;
  bool needed = ep->mixing();
  if (ep->peer() != kNoEndpoint) {
    Endpoint* peer = find(ep->peer());
    needed = needed || (peer != nullptr && peer->source() == nullptr && !peer->relays_from(*ep));
  }
  for (const auto& r : recordings_) {
    if (r.caller == id || r.agent == id) needed = true;
  }
  ep->set_decoding(needed);
}

}  // namespace sb::media::engine
