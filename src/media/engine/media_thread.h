// media/engine/media_thread.h: one media thread: an epoll loop over its endpoints' sockets,
// a 20 ms timer that drives everything decoded (transcoding, prompts, recording), and a
// command queue the control plane posts to. Endpoints bridged together live on the same
// thread, so relaying a packet never crosses threads or takes a lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "media/engine/endpoint.h"
#include "media/engine/media_types.h"
#include "media/engine/udp_socket.h"
#include "media/mixer/mixer.h"
#include "media/mixer/supervision.h"

namespace sb::media::engine {

class MediaThread {
 public:
  using Command = std::function<void(MediaThread&)>;
  using PortRelease = std::function<void(uint16_t even_port)>;

  MediaThread(std::size_t index, MediaEventSink sink, PortRelease release_port);
  ~MediaThread();
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;

  Result<void> start();
  void stop();  // joins; endpoints still open are closed (their ports released)

  // Thread-safe: runs `command` on the media thread, after the packets already waiting.
  void post(Command command);

  // --- Called on the media thread (by commands) ---
  void add(std::unique_ptr<Endpoint> endpoint);
  void remove(EndpointId id);  // reports the leg's quality, releases its ports
  Endpoint* find(EndpointId id);
  Result<void> configure(EndpointId id, const EndpointMedia& media);
  Result<void> bridge(EndpointId a, EndpointId b);
  void unbridge(EndpointId id);
  void set_source(EndpointId id, std::unique_ptr<FrameSource> source, uint64_t playback);
  void record(EndpointId caller, EndpointId agent, std::unique_ptr<FrameSink> sink);
  void stop_recording(EndpointId caller);
  void set_recording_paused(EndpointId caller, bool paused);
  // Three legs in a supervised mix keyed by the caller; a second call switches the mode.
  Result<void> supervise(EndpointId caller, EndpointId agent, EndpointId supervisor,
                         mixer::SupervisionMode mode);
  // Everyone in `members` hears everyone else, keyed by the first member.
  Result<void> conference(const std::vector<EndpointId>& members);
  // Takes `id` out of its mix. A mix left with only a bridged pair dissolves, and the pair goes
  // back to relaying.
  void leave_mix(EndpointId id);
  std::size_t endpoint_count() const { return endpoints_.size(); }

 private:
  struct Recording {
    EndpointId caller = kNoEndpoint;
    EndpointId agent = kNoEndpoint;
    std::unique_ptr<FrameSink> sink;
  };

  struct Mix {
    EndpointId key = kNoEndpoint;
    mixer::Mixer mixer;
    std::vector<std::pair<EndpointId, mixer::ParticipantId>> members;
  };
  Mix* mix_of(EndpointId id, mixer::ParticipantId* participant = nullptr);
  Result<mixer::ParticipantId> join(Mix& mix, EndpointId id);

  void run();
  void drain_commands();
  void on_readable(uint64_t tag);
  void tick();
  void refresh_decoding(EndpointId id);
  void emit();
  void forward_digit(const MediaEvent& e);
  TimePoint now() const;

  std::size_t index_;
  MediaEventSink sink_;
  PortRelease release_port_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int timer_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{false};

  std::mutex mutex_;
  std::vector<Command> commands_;
  std::atomic<bool> has_commands_{false};

  std::unordered_map<EndpointId, std::unique_ptr<Endpoint>> endpoints_;
  std::vector<Recording> recordings_;
  std::vector<std::unique_ptr<Mix>> mixes_;
  DatagramBatch batch_;
  SendQueue send_;
  std::vector<MediaEvent> events_;
};

}  // namespace sb::media::engine
