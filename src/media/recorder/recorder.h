// media/recorder/recorder.h: the per-call recording handle a media thread feeds every tick. It
// never blocks or touches the disk: blocks go into a lock-free ring for the RecordingWriter.
// Not here: when to record (policy), consent prompts, storage.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "common/result.h"
#include "media/frame.h"
#include "media/recorder/recording_writer.h"

namespace sb::media::recorder {

// One recording, stereo: left = caller, right = agent. Owned and used by one media thread.
// Call push() every 20 ms tick for the whole call, paused or not: the file's timeline is the
// count of pushes. Movable; destroying an open Recorder closes it and discards the result.
class Recorder {
 public:
  // Validates the spec and registers it with `writer`; the file itself is opened on the writer
  // thread, so an unwritable path is reported in the close() result, not here. Fails on an empty
  // path or a sample rate other than kMixRateHz. Not from a media tick (takes the writer's lock).
  static Result<Recorder> open(RecordingWriter& writer, RecordingSpec spec);

  Recorder(Recorder&&) noexcept = default;
  Recorder& operator=(Recorder&&) noexcept;
  ~Recorder();

  // Queues one tick; while paused, queues silence instead. Returns false when the block was
  // dropped because the writer is behind (counted, and written as silence). Wait-free.
  bool push(const Frame& left, const Frame& right);

  // Starts / ends a pause segment at the current tick. Repeated calls are no-ops.
  void pause();
  void resume();
  bool is_paused() const { return paused_; }

  // Ends the recording at the current tick (ending any pause). The future becomes ready once
  // the writer has finalised the file. Wait-free; a second call returns an invalid future.
  std::future<RecordingResult> close();

  bool is_open() const { return track_ != nullptr; }
  uint64_t dropped_blocks() const;
  int64_t position_samples() const { return static_cast<int64_t>(seq_ * kFrameSamples); }

 private:
  Recorder(std::shared_ptr<RecordingTrack> track, std::future<RecordingResult> done)
      : track_(std::move(track)), done_(std::move(done)) {}

  std::shared_ptr<RecordingTrack> track_;
  std::future<RecordingResult> done_;
  uint64_t seq_ = 0;
  bool paused_ = false;
  std::vector<PauseSegment> pauses_;
};

}  // namespace sb::media::recorder
