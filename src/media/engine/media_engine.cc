// media/engine/media_engine.cc
#include "media/engine/media_engine.h"

#include <random>

#include "media/engine/media_thread.h"

namespace sb::media::engine {
namespace {
// A bind can fail on a port another program holds; try a few pairs before giving up.
constexpr int kBindAttempts = 16;
}  // namespace

Result<std::unique_ptr<MediaEngine>> MediaEngine::start(const MediaEngineConfig& config,
                                                        MediaEventSink sink) {
  if (config.threads == 0 || config.threads > 64) {
    return Error{"media threads must be 1..64, not " + std::to_string(config.threads), ""};
  }
  auto ports = PortAllocator::create(config.port_min, config.port_max);
  if (!ports) return ports.error();
  std::unique_ptr<MediaEngine> engine(new MediaEngine(config, std::move(*ports)));
  for (std::size_t i = 0; i < config.threads; ++i) {
    auto thread = std::make_unique<MediaThread>(
        i, sink, [e = engine.get()](uint16_t port) { e->ports_.release(port); });
    auto started = thread->start();
    if (!started) return started.error();
    engine->threads_.push_back(std::move(thread));
  }
  return engine;
}

MediaEngine::MediaEngine(const MediaEngineConfig& config, PortAllocator ports)
    : config_(config), ports_(std::move(ports)), next_ssrc_(std::random_device{}()) {}

MediaEngine::~MediaEngine() {
  for (auto& t : threads_) t->stop();
}

MediaThread& MediaEngine::owner(EndpointId id) { return *threads_[thread_of(id) % threads_.size()]; }

Result<LocalEndpoint> MediaEngine::create_endpoint(const std::string& bind_ip, uint64_t affinity) {
  for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
    auto port = ports_.allocate();
    if (!port) return Error{"no free RTP ports in " + std::to_string(config_.port_min) + "-" +
                            std::to_string(config_.port_max), ""};
    auto rtp = UdpSocket::bind(bind_ip, *port);
    auto rtcp = rtp ? UdpSocket::bind(bind_ip, static_cast<uint16_t>(*port + 1))
                    : Result<UdpSocket>(rtp.error());
    if (!rtp || !rtcp) {
      ports_.release(*port);
      if (attempt + 1 == kBindAttempts) return rtp ? rtcp.error() : rtp.error();
      continue;
    }
    LocalEndpoint local;
    local.id = (next_id_++ << 8) | (affinity % threads_.size());
    local.ip = bind_ip;
    local.rtp_port = *port;
    local.rtcp_port = static_cast<uint16_t>(*port + 1);
    // SSRCs from a random start, stepped by an odd constant: distinct within this process.
    uint32_t ssrc = next_ssrc_.fetch_add(0x9E3779B9U);
    auto endpoint = std::make_unique<Endpoint>(local.id, local, std::move(*rtp),
                                               std::move(*rtcp), ssrc, config_.media_timeout);
    auto held = std::make_shared<std::unique_ptr<Endpoint>>(std::move(endpoint));
    owner(local.id).post([held](MediaThread& t) { t.add(std::move(*held)); });
    return local;
  }
  return Error{"could not bind an RTP port pair", ""};
}

void MediaEngine::configure(EndpointId id, EndpointMedia media,
                            std::function<void(Result<void>)> done) {
  owner(id).post([id, media = std::move(media), done = std::move(done)](MediaThread& t) {
    auto r = t.configure(id, media);
    if (done) done(std::move(r));
  });
}

void MediaEngine::bridge(EndpointId a, EndpointId b) {
  if (thread_of(a) != thread_of(b)) return;  // created with different affinities
  owner(a).post([a, b](MediaThread& t) { (void)t.bridge(a, b); });
}

void MediaEngine::unbridge(EndpointId id) {
  owner(id).post([id](MediaThread& t) { t.unbridge(id); });
}

uint64_t MediaEngine::play(EndpointId id, std::unique_ptr<FrameSource> source) {
  const uint64_t playback = next_playback_.fetch_add(1);
  // std::function needs a copyable command: the source travels in a shared holder.
  auto held = std::make_shared<std::unique_ptr<FrameSource>>(std::move(source));
  owner(id).post([id, held, playback](MediaThread& t) { t.set_source(id, std::move(*held), playback); });
  return playback;
}

void MediaEngine::stop_playing(EndpointId id) {
  owner(id).post([id](MediaThread& t) { t.set_source(id, nullptr, 0); });
}

void MediaEngine::record(EndpointId caller, EndpointId agent, std::unique_ptr<FrameSink> sink) {
  auto held = std::make_shared<std::unique_ptr<FrameSink>>(std::move(sink));
  owner(caller).post([caller, agent, held](MediaThread& t) {
    t.record(caller, agent, std::move(*held));
  });
}

void MediaEngine::stop_recording(EndpointId caller) {
  owner(caller).post([caller](MediaThread& t) { t.stop_recording(caller); });
}

void MediaEngine::pause_recording(EndpointId caller, bool paused) {
  owner(caller).post([caller, paused](MediaThread& t) { t.set_recording_paused(caller, paused); });
}

void MediaEngine::supervise(EndpointId caller, EndpointId agent, EndpointId supervisor,
                            mixer::SupervisionMode mode) {
  if (thread_of(caller) != thread_of(agent) || thread_of(caller) != thread_of(supervisor)) return;
  owner(caller).post([=](MediaThread& t) { (void)t.supervise(caller, agent, supervisor, mode); });
}

void MediaEngine::conference(std::vector<EndpointId> members) {
  if (members.empty()) return;
  for (EndpointId m : members) {
    if (thread_of(m) != thread_of(members.front())) return;
  }
  owner(members.front()).post([members = std::move(members)](MediaThread& t) { (void)t.conference(members); });
}

void MediaEngine::leave_mix(EndpointId id) {
  owner(id).post([id](MediaThread& t) { t.leave_mix(id); });
}

void MediaEngine::send_dtmf(EndpointId id, std::string digits, Duration tone) {
  owner(id).post([id, digits = std::move(digits), tone](MediaThread& t) {
    if (Endpoint* ep = t.find(id)) ep->queue_dtmf(digits, tone);
  });
}

void MediaEngine::destroy(EndpointId id) {
  owner(id).post([id](MediaThread& t) { t.remove(id); });
}

void MediaEngine::after_commands(std::function<void()> done) {
  struct Barrier {
    std::atomic<std::size_t> left;
    std::function<void()> done;
  };
  if (threads_.empty()) return done();
  auto barrier = std::make_shared<Barrier>();
  barrier->left = threads_.size();
  barrier->done = std::move(done);
  for (auto& t : threads_) {
    t->post([barrier](MediaThread&) {
      if (barrier->left.fetch_sub(1) == 1) barrier->done();
    });
  }
}

void MediaEngine::inspect(EndpointId id, std::function<void(Endpoint*)> fn) {
  owner(id).post([id, fn = std::move(fn)](MediaThread& t) { fn(t.find(id)); });
}

}  // namespace sb::media::engine
