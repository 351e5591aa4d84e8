// media/engine/media_engine.h: the media plane as the control plane sees it. It allocates
// RTP ports, creates endpoints on media threads and sends them commands; everything it does
// returns at once (commands are posted), and what happens in the media arrives as
// MediaEvents on the sink, called on a media thread. Endpoints that will be bridged must be
// created with the same affinity (the call's id), so they share a thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "media/engine/endpoint.h"
#include "media/engine/media_control.h"
#include "media/engine/media_types.h"
#include "media/engine/port_allocator.h"
#include "media/mixer/supervision.h"

namespace sb::media::engine {

class MediaThread;

struct MediaEngineConfig {
  uint16_t port_min = 20000;
  uint16_t port_max = 30000;
  std::size_t threads = 1;
  Duration media_timeout = std::chrono::seconds(30);  // zero: never
};

class MediaEngine final : public MediaControl {
 public:
  static Result<std::unique_ptr<MediaEngine>> start(const MediaEngineConfig& config,
                                                    MediaEventSink sink);
  ~MediaEngine() override;  // stops the threads, closing every endpoint
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // Binds an RTP/RTCP socket pair on `bind_ip` from the port range. The endpoint receives
  // nothing useful until configure() names the far end and the codec.
  Result<LocalEndpoint> create_endpoint(const std::string& bind_ip, uint64_t affinity) override;
  // `done`, if given, is called on the media thread with the outcome.
  void configure(EndpointId id, EndpointMedia media,
                 std::function<void(Result<void>)> done = {}) override;
  void bridge(EndpointId a, EndpointId b) override;
  void unbridge(EndpointId id) override;
  // Plays to `id` instead of its partner's audio until the source ends (PlaybackDone) or
  // stop_playing(); a FrameSource that returns true from on_dtmf() stops on a digit.
  // Returns the playback's id, which its PlaybackDone event carries: a done event for a source
  // already replaced can be told from the current one's.
  uint64_t play(EndpointId id, std::unique_ptr<FrameSource> source) override;
  void stop_playing(EndpointId id) override;
  void record(EndpointId caller, EndpointId agent, std::unique_ptr<FrameSink> sink) override;
  void stop_recording(EndpointId caller) override;
  // Pause/resume a recording (card numbers read out): silence in the file, the gap marked.
  void pause_recording(EndpointId caller, bool paused) override;
  // Supervisor monitor/whisper/barge on a bridged caller/agent pair (all three created with
  // the call's affinity); calling again switches the mode. leave_mix(supervisor) ends it and
  // the pair goes back to its direct bridge.
  void supervise(EndpointId caller, EndpointId agent, EndpointId supervisor,
                 mixer::SupervisionMode mode) override;
  // A small conference: everyone hears everyone else (up to 16 legs on one media thread).
  void conference(std::vector<EndpointId> members) override;
  void leave_mix(EndpointId id) override;
  // RFC 4733 digits sent to `id` (with the end packet sent three times), in order.
  void send_dtmf(EndpointId id, std::string digits,
                 Duration tone = std::chrono::milliseconds(100)) override;
  void destroy(EndpointId id) override;

  // Calls `done` (on a media thread) once every media thread has run the commands posted
  // before this call: after it, ports_available() counts every endpoint destroyed so far.
  void after_commands(std::function<void()> done);

  // Runs `fn` on the media thread that owns `id` (tests, diagnostics).
  void inspect(EndpointId id, std::function<void(Endpoint*)> fn);

  std::size_t thread_count() const { return threads_.size(); }
  std::size_t ports_available() const { return ports_.available(); }
  std::size_t port_capacity() const { return ports_.capacity(); }

 private:
  MediaEngine(const MediaEngineConfig& config, PortAllocator ports);
  MediaThread& owner(EndpointId id);

  MediaEngineConfig config_;
  PortAllocator ports_;
  std::vector<std::unique_ptr<MediaThread>> threads_;
  std::atomic<uint64_t> next_id_{1};
  std::atomic<uint64_t> next_playback_{1};
  std::atomic<uint32_t> next_ssrc_;
};

}  // namespace sb::media::engine
