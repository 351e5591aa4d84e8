// media/recorder/recording_writer.cc: the writer thread's loop, libsndfile calls and error
// mapping. Everything here that touches a file runs on the writer thread.
#include "media/recorder/recording_writer.h"

#include <pthread.h>
#include <sndfile.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "media/recorder/wav_cues.h"

namespace sb::media::recorder {

struct WriterSide {
  SNDFILE* file = nullptr;
  bool open_attempted = false;
  uint64_t next_seq = 0;  // the block the file expects next
  int64_t frames = 0;
  std::optional<Error> error;  // the first failure; after it, blocks are drained and discarded
};

RecordingTrack::RecordingTrack(RecordingSpec s, std::size_t ring_blocks,
                               std::shared_ptr<WriterWakeup> w)
    : spec(std::move(s)),
      ring(ring_blocks),
      wakeup(std::move(w)),
      writer_side(std::make_unique<WriterSide>()) {}

RecordingTrack::~RecordingTrack() = default;

namespace {

int sf_format(RecordingFormat f) {
  switch (f) {
    case RecordingFormat::WavPcm16Stereo:
      return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case RecordingFormat::OggOpusStereo:
      return SF_FORMAT_OGG | SF_FORMAT_OPUS;
  }
  return 0;
}

void open_file(const RecordingSpec& spec, WriterSide& side) {
  side.open_attempted = true;
  // The folder too, here and not on the caller's thread: creating it is file work, and the
  // control thread must not block on a slow disk.
  if (auto parent = std::filesystem::path(spec.path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  SF_INFO info{};
  info.samplerate = spec.sample_rate_hz;
  info.channels = 2;
  info.format = sf_format(spec.format);
  side.file = sf_open(spec.path.c_str(), SFM_WRITE, &info);
  if (side.file == nullptr) {
    side.error = Error{std::string("open: ") + sf_strerror(nullptr), spec.path};
  }
}

// Writes one block (or silence when `block` is null) and advances the timeline either way, so a
// failed file still drains its ring.
void write_block(const RecordingSpec& spec, WriterSide& side, const StereoBlock* block) {
  ++side.next_seq;
  if (side.file == nullptr || side.error) {
    return;
  }
  std::array<int16_t, 2 * kFrameSamples> interleaved{};
  if (block != nullptr) {
    for (std::size_t n = 0; n < kFrameSamples; ++n) {
      interleaved[2 * n] = block->left[n];
      interleaved[2 * n + 1] = block->right[n];
    }
  }
  const sf_count_t written = sf_writef_short(side.file, interleaved.data(), kFrameSamples);
  side.frames += written;
  if (written != static_cast<sf_count_t>(kFrameSamples)) {
    side.error = Error{std::string("write: ") + sf_strerror(side.file), spec.path};
  }
}

void drain(RecordingTrack& track) {
  WriterSide& side = *track.writer_side;
  StereoBlock block;
  while (track.ring.try_pop(block)) {
    // A gap in seq is blocks the ring dropped: silence keeps the file on the call's timeline.
    while (side.next_seq < block.seq) {
      write_block(track.spec, side, nullptr);
    }
    write_block(track.spec, side, &block);
  }
}

void finalise(RecordingTrack& track, bool closed_by_producer) {
  WriterSide& side = *track.writer_side;
  RecordingResult result;
  result.path = track.spec.path;
  if (closed_by_producer) {
    // Only valid after the acquire of `closing`; a shutdown without close() has no end_seq.
    while (side.next_seq < track.end_seq) {
      write_block(track.spec, side, nullptr);
    }
    result.pauses = track.pauses;
  }
  if (side.file != nullptr) {
    if (int rc = sf_close(side.file); rc != 0 && !side.error) {
      side.error = Error{std::string("close: ") + sf_error_number(rc), track.spec.path};
    }
    side.file = nullptr;
  }
  if (!side.error && track.spec.format == RecordingFormat::WavPcm16Stereo &&
      !result.pauses.empty()) {
    std::vector<WavCue> cues;
    for (const PauseSegment& p : result.pauses) {
      cues.push_back({static_cast<uint32_t>(p.start_sample), "pause"});
      cues.push_back({static_cast<uint32_t>(p.end_sample), "resume"});
    }
    if (auto r = append_wav_cues(track.spec.path, cues); !r) {
      side.error = r.error();
    }
  }
  result.frames_written = side.frames;
  result.dropped_blocks = track.dropped_blocks.load(std::memory_order_relaxed);
  result.error = side.error;
  if (track.spec.on_done) {
    track.spec.on_done(result);
  }
  track.done.set_value(std::move(result));
}

}  // namespace

RecordingWriter::RecordingWriter(RecordingWriterOptions options)
    : options_(options), draining_(options.draining), thread_([this] {
        ::pthread_setname_np(::pthread_self(), "sb-recordings");  // for top, perf and bench/call_load.py
        run();
      }) {}

RecordingWriter::~RecordingWriter() {
  {
    std::lock_guard lock(wakeup_->mu);
    stop_ = true;
  }
  wakeup_->cv.notify_one();
  thread_.join();
}

std::shared_ptr<RecordingTrack> RecordingWriter::add(RecordingSpec spec) {
  auto track = std::make_shared<RecordingTrack>(std::move(spec), options_.ring_blocks, wakeup_);
  std::lock_guard lock(wakeup_->mu);
  tracks_.push_back(track);
  return track;
}

void RecordingWriter::set_draining(bool on) {
  draining_.store(on);
  wakeup_->notify();
}

bool RecordingWriter::service(RecordingTrack& track, bool shutting_down) {
  WriterSide& side = *track.writer_side;
  if (!side.open_attempted) {
    open_file(track.spec, side);
  }
  drain(track);
  const bool closed = track.closing.load(std::memory_order_acquire);
  if (!closed && !shutting_down) {
    return false;
  }
  drain(track);  // blocks pushed between the first drain and the close flag
  finalise(track, closed);
  return true;
}

void RecordingWriter::run() {
  for (;;) {
    std::vector<std::shared_ptr<RecordingTrack>> batch;
    bool stopping = false;
    {
      std::unique_lock lock(wakeup_->mu);
      wakeup_->cv.wait_for(lock, options_.drain_period, [this] {
        return stop_ || wakeup_->pending.load(std::memory_order_acquire);
      });
      wakeup_->pending.store(false, std::memory_order_relaxed);
      stopping = stop_;
      batch = tracks_;
    }
    // Files are written outside the lock so add() never waits for the disk.
    std::vector<const RecordingTrack*> finished;
    if (stopping || draining_.load()) {
      for (const auto& track : batch) {
        if (service(*track, stopping)) {
          finished.push_back(track.get());
        }
      }
    }
    if (!finished.empty()) {
      std::lock_guard lock(wakeup_->mu);
      std::erase_if(tracks_, [&](const auto& t) {
        return std::find(finished.begin(), finished.end(), t.get()) != finished.end();
      });
    }
    if (stopping) {
      return;
    }
  }
}

}  // namespace sb::media::recorder
