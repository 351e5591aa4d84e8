// media/recorder/recording_writer.h: the one background thread that writes every call recording
// to disk with libsndfile, draining per-recording lock-free rings. Not here: the per-call handle
// a media thread uses (recorder.h), retention, upload.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "media/recorder/block_ring.h"

namespace sb::media::recorder {

enum class RecordingFormat {
  WavPcm16Stereo,  // RIFF/WAVE, 16-bit PCM; pauses also marked as cue points
  OggOpusStereo,   // Ogg/Opus (RFC 7845) through libsndfile's encoder
};

// A paused stretch of the recording, in sample frames from the start of the file: the file holds
// silence in [start_sample, end_sample).
struct PauseSegment {
  int64_t start_sample = 0;
  int64_t end_sample = 0;
  friend bool operator==(const PauseSegment&, const PauseSegment&) = default;
};

// What a finished recording reports, once, from the writer thread.
struct RecordingResult {
  std::string path;
  int64_t frames_written = 0;   // stereo sample frames in the file, dropped blocks included
  uint64_t dropped_blocks = 0;  // blocks lost to a full ring; written as silence to keep alignment
  std::vector<PauseSegment> pauses;
  std::optional<Error> error;  // open, write, close or cue failure; the file may be partial
};

struct RecordingSpec {
  std::string path;  // its folder is created (on the writer thread) when missing
  RecordingFormat format = RecordingFormat::WavPcm16Stereo;
  int sample_rate_hz = 16000;  // only kMixRateHz for now
  // Runs on the writer thread when the file is final, before the close() future is ready. Must
  // not block; post to the owning thread instead.
  std::function<void(const RecordingResult&)> on_done;
};

struct RecordingWriterOptions {
  std::chrono::milliseconds drain_period{100};
  std::size_t ring_blocks = 100;  // 2 s of 20 ms blocks per recording
  bool draining = true;           // test hook: false leaves rings undrained until set_draining
};

// Wakes the writer early (a recording closed). Shared so a Recorder outliving the writer only
// pokes a condition variable nobody waits on.
struct WriterWakeup {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> pending{false};
  // Never blocks the caller on the writer: no lock taken; a wake lost in the race with the
  // writer's wait costs at most one drain period.
  void notify() {
    pending.store(true, std::memory_order_release);
    cv.notify_one();
  }
};

struct WriterSide;  // the writer thread's per-recording state (libsndfile handle, counters)

// One recording's shared state. Fields are split by owner: the producer (one media thread) owns
// the ring's push side and fills `end_seq` and `pauses` before setting `closing`; after that only
// the writer reads them.
struct RecordingTrack {
  RecordingTrack(RecordingSpec s, std::size_t ring_blocks, std::shared_ptr<WriterWakeup> w);
  ~RecordingTrack();

  const RecordingSpec spec;
  BlockRing ring;
  std::atomic<uint64_t> dropped_blocks{0};
  uint64_t end_seq = 0;
  std::vector<PauseSegment> pauses;
  std::atomic<bool> closing{false};  // release by the producer, acquire by the writer
  std::promise<RecordingResult> done;
  std::shared_ptr<WriterWakeup> wakeup;
  std::unique_ptr<WriterSide> writer_side;  // writer thread only
};

// Owns the writer thread. Construct once at start-up; open recordings through Recorder::open().
// Destruction finalises every recording still open (as if closed at its last pushed block), then
// joins the thread.
class RecordingWriter {
 public:
  explicit RecordingWriter(RecordingWriterOptions options = {});
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  // Registers a recording; the file is opened on the writer thread (an open error arrives in the
  // result). Any thread; takes a short lock shared with the writer, so not from a media tick.
  std::shared_ptr<RecordingTrack> add(RecordingSpec spec);

  // Test hook: stop or resume draining (rings fill up while stopped).
  void set_draining(bool on);

  std::size_t ring_blocks() const { return options_.ring_blocks; }

 private:
  void run();
  // Drains one track; returns true once it is finalised and can be dropped.
  bool service(RecordingTrack& track, bool shutting_down);

  const RecordingWriterOptions options_;
  std::shared_ptr<WriterWakeup> wakeup_ = std::make_shared<WriterWakeup>();
  std::atomic<bool> draining_;
  bool stop_ = false;                                    // guarded by wakeup_->mu
  std::vector<std::shared_ptr<RecordingTrack>> tracks_;  // guarded by wakeup_->mu
  std::thread thread_;                                   // last: starts after the rest exists
};

}  // namespace sb::media::recorder
