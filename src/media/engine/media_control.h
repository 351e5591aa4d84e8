// media/engine/media_control.h: what the control plane asks of the media plane, as an
// interface: MediaEngine implements it on its threads, and call/'s tests use a fake that
// records each command (call/call_center_test_support.h). Every call returns at once; what
// happens in the media comes back as MediaEvents (media_types.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/clock.h"
#include "media/engine/endpoint.h"  // FrameSource, FrameSink
#include "media/engine/media_types.h"
#include "media/mixer/supervision.h"

namespace sb::media::engine {

class MediaControl {
 public:
  virtual ~MediaControl() = default;
  // Binds an RTP/RTCP socket pair on `bind_ip` from the port range. Endpoints that will be
  // bridged must share an `affinity` (the call's id).
  virtual Result<LocalEndpoint> create_endpoint(const std::string& bind_ip, uint64_t affinity) = 0;
  // `done`, if given, is called on the media thread with the outcome.
  virtual void configure(EndpointId id, EndpointMedia media, std::function<void(Result<void>)> done = {}) = 0;
  virtual void bridge(EndpointId a, EndpointId b) = 0;
  virtual void unbridge(EndpointId id) = 0;
  // Plays to `id` instead of its partner's audio until the source ends (PlaybackDone, with the
  // id returned here) or stop_playing().
  virtual uint64_t play(EndpointId id, std::unique_ptr<FrameSource> source) = 0;
  virtual void stop_playing(EndpointId id) = 0;
  virtual void record(EndpointId caller, EndpointId agent, std::unique_ptr<FrameSink> sink) = 0;
  virtual void stop_recording(EndpointId caller) = 0;
  virtual void pause_recording(EndpointId caller, bool paused) = 0;
  virtual void supervise(EndpointId caller, EndpointId agent, EndpointId supervisor, mixer::SupervisionMode mode) = 0;
  virtual void conference(std::vector<EndpointId> members) = 0;
  virtual void leave_mix(EndpointId id) = 0;
  virtual void send_dtmf(EndpointId id, std::string digits, Duration tone = std::chrono::milliseconds(100)) = 0;
  // Closes the endpoint; its Quality event follows.
  virtual void destroy(EndpointId id) = 0;
};

}  // namespace sb::media::engine
