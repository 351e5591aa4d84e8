// media/engine/recording_sink.h: a bridge's decoded audio into a Recorder (caller left, agent
// right). Lives on the media thread; destroying it closes the recording.
#pragma once

#include <utility>

#include "media/engine/endpoint.h"
#include "media/recorder/recorder.h"

namespace sb::media::engine {

class RecordingSink final : public FrameSink {
 public:
  explicit RecordingSink(recorder::Recorder recorder) : recorder_(std::move(recorder)) {}
  ~RecordingSink() override {
    if (recorder_.is_open()) (void)recorder_.close();
  }
  void on_frames(const Frame& left, const Frame& right) override { recorder_.push(left, right); }
  void set_paused(bool paused) override {
    if (paused) recorder_.pause();
    else recorder_.resume();
  }
  recorder::Recorder& recorder() { return recorder_; }

 private:
  recorder::Recorder recorder_;
};

}  // namespace sb::media::engine
