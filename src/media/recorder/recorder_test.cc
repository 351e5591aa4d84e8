// media/recorder/recorder_test.cc: recordings written through the real writer thread and read
// back with libsndfile: channel layout, duration, tones per channel, pauses and cues, drops,
// concurrency, and I/O errors.
#include "media/recorder/recorder.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "media/tone/test_goertzel.h"

namespace sb::media::recorder {
namespace {

constexpr double kLeftHz = 440.0;
constexpr double kRightHz = 1000.0;
constexpr double kAmplitude = 8000.0;
constexpr int kTicksPerSecond = 1000 / kFrameMs;

Frame sine_frame(double hz, int tick) {
  Frame f{};
  for (std::size_t n = 0; n < f.size(); ++n) {
    const double t = static_cast<double>(tick * kFrameSamples + n) / kMixRateHz;
    f[n] = static_cast<int16_t>(std::lround(kAmplitude * std::sin(2 * std::numbers::pi * hz * t)));
  }
  return f;
}

// Goertzel amplitude of `hz` in `x`, in dB relative to kAmplitude (0 dB: the tone at full level).
double tone_db(std::span<const int16_t> x, double hz) {
  const double amplitude = tone::testing::goertzel_amplitude(x, hz);
  return 20.0 * std::log10(std::max(amplitude, 1e-9) / kAmplitude);
}

RecordingSpec spec_for(std::string path, RecordingFormat format) {
  RecordingSpec spec;
  spec.path = std::move(path);
  spec.format = format;
  return spec;
}

struct ReadBack {
  SF_INFO info{};
  std::vector<int16_t> left;
  std::vector<int16_t> right;
  std::vector<SF_CUE_POINT> cues;
};

ReadBack read_back(const std::string& path) {
  ReadBack r;
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &r.info);
  if (f == nullptr) {
    ADD_FAILURE() << "cannot read " << path << ": " << sf_strerror(nullptr);
    return r;
  }
  std::vector<int16_t> interleaved(static_cast<std::size_t>(r.info.frames * r.info.channels));
  EXPECT_EQ(sf_readf_short(f, interleaved.data(), r.info.frames), r.info.frames);
  for (std::size_t i = 0; i + 1 < interleaved.size(); i += 2) {
    r.left.push_back(interleaved[i]);
    r.right.push_back(interleaved[i + 1]);
  }
  uint32_t count = 0;
  if (sf_command(f, SFC_GET_CUE_COUNT, &count, sizeof count) && count > 0) {
    auto cues = std::make_unique<SF_CUES>();
    if (sf_command(f, SFC_GET_CUE, cues.get(), sizeof(SF_CUES))) {
      r.cues.assign(cues->cue_points, cues->cue_points + cues->cue_count);
    }
  }
  sf_close(f);
  return r;
}

class RecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sb_recorder_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }

  // Pushes `ticks` of the two test tones, continuing from `first_tick`.
  static void push_tones(Recorder& r, int first_tick, int ticks) {
    for (int t = first_tick; t < first_tick + ticks; ++t) {
      r.push(sine_frame(kLeftHz, t), sine_frame(kRightHz, t));
    }
  }

  std::filesystem::path dir_;
};

RecordingResult finish(Recorder& r) {
  auto done = r.close();
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  return done.get();
}

TEST_F(RecorderTest, WavHasCallerLeftAgentRight) {
  RecordingWriter writer;
  auto r = Recorder::open(writer, spec_for(path("call.wav"), RecordingFormat::WavPcm16Stereo));
  ASSERT_TRUE(r) << r.error().to_string();
  push_tones(*r, 0, kTicksPerSecond);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();
  EXPECT_EQ(result.path, path("call.wav"));
  EXPECT_EQ(result.frames_written, kMixRateHz);
  EXPECT_EQ(result.dropped_blocks, 0u);

  ReadBack f = read_back(path("call.wav"));
  EXPECT_EQ(f.info.channels, 2);
  EXPECT_EQ(f.info.samplerate, kMixRateHz);
  EXPECT_NEAR(static_cast<double>(f.info.frames), kMixRateHz, kFrameSamples);
  EXPECT_NEAR(tone_db(f.left, kLeftHz), 0.0, 0.5);
  EXPECT_LT(tone_db(f.left, kRightHz), -40.0);
  EXPECT_NEAR(tone_db(f.right, kRightHz), 0.0, 0.5);
  EXPECT_LT(tone_db(f.right, kLeftHz), -40.0);
  EXPECT_TRUE(f.cues.empty());
}

TEST_F(RecorderTest, AMissingFolderIsCreatedOnTheWriterThread) {
  RecordingWriter writer;
  const std::string nested = path("voicemail/sales/call.wav");
  auto r = Recorder::open(writer, spec_for(nested, RecordingFormat::WavPcm16Stereo));
  ASSERT_TRUE(r) << r.error().to_string();
  push_tones(*r, 0, kTicksPerSecond / 10);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();
  EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST_F(RecorderTest, OggOpusKeepsChannelsApartWithinCodecLoss) {
  RecordingWriter writer;
  auto r = Recorder::open(writer, spec_for(path("call.opus"), RecordingFormat::OggOpusStereo));
  ASSERT_TRUE(r);
  push_tones(*r, 0, kTicksPerSecond);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();

  ReadBack f = read_back(path("call.opus"));
  EXPECT_EQ(f.info.channels, 2);
  EXPECT_EQ(f.info.samplerate, kMixRateHz);
  EXPECT_EQ(f.info.format & SF_FORMAT_TYPEMASK, SF_FORMAT_OGG);
  EXPECT_NEAR(static_cast<double>(f.info.frames), kMixRateHz, kFrameSamples);
  EXPECT_GT(tone_db(f.left, kLeftHz) - tone_db(f.left, kRightHz), 20.0);
  EXPECT_GT(tone_db(f.right, kRightHz) - tone_db(f.right, kLeftHz), 20.0);
  EXPECT_NEAR(tone_db(f.left, kLeftHz), 0.0, 3.0);
}

TEST_F(RecorderTest, PauseWritesSilenceReportsSegmentAndMarksCues) {
  RecordingWriter writer;
  auto r = Recorder::open(writer, spec_for(path("paused.wav"), RecordingFormat::WavPcm16Stereo));
  ASSERT_TRUE(r);
  push_tones(*r, 0, 25);  // 0.5 s
  r->pause();
  r->pause();  // no-op
  EXPECT_TRUE(r->is_paused());
  push_tones(*r, 25, 25);  // silenced, but the timeline runs on
  r->resume();
  push_tones(*r, 50, 25);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();
  const PauseSegment expected{8000, 16000};
  ASSERT_EQ(result.pauses.size(), 1u);
  EXPECT_EQ(result.pauses[0], expected);
  EXPECT_EQ(result.frames_written, 24000);

  ReadBack f = read_back(path("paused.wav"));
  ASSERT_EQ(f.left.size(), 24000u);
  auto silent = [](std::span<const int16_t> s) {
    return std::all_of(s.begin(), s.end(), [](int16_t v) { return v == 0; });
  };
  EXPECT_TRUE(silent(std::span(f.left).subspan(8000, 8000)));
  EXPECT_TRUE(silent(std::span(f.right).subspan(8000, 8000)));
  EXPECT_NEAR(tone_db(std::span(f.left).first(8000), kLeftHz), 0.0, 0.5);
  EXPECT_NEAR(tone_db(std::span(f.right).last(8000), kRightHz), 0.0, 0.5);

  ASSERT_EQ(f.cues.size(), 2u);
  EXPECT_EQ(f.cues[0].position, 8000u);
  EXPECT_EQ(f.cues[0].sample_offset, 8000u);
  EXPECT_EQ(f.cues[1].position, 16000u);
  // libsndfile does not return labl names through SFC_GET_CUE, so look for the chunks directly.
  std::ifstream in(path("paused.wav"), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_NE(bytes.find(std::string("labl\x0a\0\0\0\x01\0\0\0pause\0", 18)), std::string::npos);
  EXPECT_NE(bytes.find(std::string("labl\x0b\0\0\0\x02\0\0\0resume\0", 19)), std::string::npos);
}

TEST_F(RecorderTest, PauseOpenAtCloseEndsAtCloseAndOpusReportsIt) {
  RecordingWriter writer;
  auto r = Recorder::open(writer, spec_for(path("paused.opus"), RecordingFormat::OggOpusStereo));
  ASSERT_TRUE(r);
  push_tones(*r, 0, 10);
  r->pause();
  push_tones(*r, 10, 5);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();
  ASSERT_EQ(result.pauses.size(), 1u);
  EXPECT_EQ(result.pauses[0], (PauseSegment{3200, 4800}));
}

TEST_F(RecorderTest, FullRingDropsAndCountsWithoutBlocking) {
  RecordingWriterOptions options;
  options.ring_blocks = 10;
  options.draining = false;  // the writer is "stuck on disk"
  RecordingWriter writer(options);
  auto r = Recorder::open(writer, spec_for(path("dropped.wav"), RecordingFormat::WavPcm16Stereo));
  ASSERT_TRUE(r);
  int accepted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < 25; ++t) {
    accepted += r->push(sine_frame(kLeftHz, t), sine_frame(kRightHz, t)) ? 1 : 0;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));  // never waited
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(r->dropped_blocks(), 15u);

  writer.set_draining(true);
  RecordingResult result = finish(*r);
  ASSERT_FALSE(result.error) << result.error->to_string();
  EXPECT_EQ(result.dropped_blocks, 15u);
  // Dropped blocks become silence, so the file still spans the whole call.
  EXPECT_EQ(result.frames_written, 25 * static_cast<int64_t>(kFrameSamples));
  ReadBack f = read_back(path("dropped.wav"));
  ASSERT_EQ(f.left.size(), 25 * kFrameSamples);
  EXPECT_NEAR(tone_db(std::span(f.left).first(10 * kFrameSamples), kLeftHz), 0.0, 0.5);
  EXPECT_TRUE(std::all_of(f.left.begin() + 10 * kFrameSamples, f.left.end(),
                          [](int16_t v) { return v == 0; }));
}

TEST_F(RecorderTest, TwoRecordingsFromTwoMediaThreads) {
  RecordingWriterOptions options;
  options.drain_period = std::chrono::milliseconds(10);
  options.ring_blocks = 400;  // > the ticks pushed: no drops even if the writer is slow
  RecordingWriter writer(options);
  auto a = Recorder::open(writer, spec_for(path("a.wav"), RecordingFormat::WavPcm16Stereo));
  auto b = Recorder::open(writer, spec_for(path("b.opus"), RecordingFormat::OggOpusStereo));
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  std::future<RecordingResult> done_a;
  std::future<RecordingResult> done_b;
  // Each Recorder moves to its own thread, as it would live on its call's media thread.
  std::thread ta([&, r = std::move(*a)]() mutable {
    push_tones(r, 0, 150);
    done_a = r.close();
  });
  std::thread tb([&, r = std::move(*b)]() mutable {
    for (int t = 0; t < 150; ++t) {
      r.push(sine_frame(kRightHz, t), sine_frame(kLeftHz, t));  // swapped tones
    }
    done_b = r.close();
  });
  ta.join();
  tb.join();
  RecordingResult ra = done_a.get();
  RecordingResult rb = done_b.get();
  ASSERT_FALSE(ra.error);
  ASSERT_FALSE(rb.error);
  EXPECT_EQ(ra.frames_written, 150 * static_cast<int64_t>(kFrameSamples));
  EXPECT_EQ(rb.frames_written, 150 * static_cast<int64_t>(kFrameSamples));
  EXPECT_EQ(ra.dropped_blocks + rb.dropped_blocks, 0u);
  ReadBack fa = read_back(path("a.wav"));
  ReadBack fb = read_back(path("b.opus"));
  EXPECT_GT(tone_db(fa.left, kLeftHz) - tone_db(fa.left, kRightHz), 40.0);
  EXPECT_GT(tone_db(fb.left, kRightHz) - tone_db(fb.left, kLeftHz), 20.0);
  EXPECT_GT(tone_db(fb.right, kLeftHz) - tone_db(fb.right, kRightHz), 20.0);
}

TEST_F(RecorderTest, UnwritablePathReportsErrorInResult) {
  RecordingWriter writer;
  // A folder cannot be made inside a file: the path stays unwritable (missing folders are
  // created, see AMissingFolderIsCreatedOnTheWriterThread).
  std::ofstream(path("a-file")) << "x";
  const std::string bad = path("a-file/call.wav");
  bool callback_saw_error = false;
  RecordingSpec spec = spec_for(bad, RecordingFormat::WavPcm16Stereo);
  spec.on_done = [&](const RecordingResult& res) { callback_saw_error = res.error.has_value(); };
  auto r = Recorder::open(writer, std::move(spec));
  ASSERT_TRUE(r);  // the open itself happens on the writer thread
  r->pause();
  push_tones(*r, 0, 20);  // pushes still succeed; the writer discards them
  RecordingResult result = finish(*r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->where, bad);
  EXPECT_NE(result.error->message.find("open"), std::string::npos);
  EXPECT_EQ(result.frames_written, 0);
  EXPECT_TRUE(callback_saw_error);
  EXPECT_FALSE(std::filesystem::exists(bad));
}

TEST_F(RecorderTest, OpenRejectsBadSpecs) {
  RecordingWriter writer;
  EXPECT_FALSE(Recorder::open(writer, spec_for("", RecordingFormat::WavPcm16Stereo)));
  RecordingSpec narrow = spec_for(path("x.wav"), RecordingFormat::WavPcm16Stereo);
  narrow.sample_rate_hz = 8000;
  auto r = Recorder::open(writer, narrow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where, "sample_rate_hz");
}

TEST_F(RecorderTest, WriterShutdownFinalisesRecordingsStillOpen) {
  std::future<RecordingResult> done;
  std::optional<Recorder> survivor;
  {
    RecordingWriter writer;
    auto r = Recorder::open(writer, spec_for(path("orphan.wav"), RecordingFormat::WavPcm16Stereo));
    ASSERT_TRUE(r);
    push_tones(*r, 0, 5);
    survivor.emplace(std::move(*r));
  }
  // The writer is gone; the handle must stay safe to use and close.
  survivor->push(Frame{}, Frame{});  // lands in a ring nobody drains: harmless
  done = survivor->close();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  RecordingResult result = done.get();
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.frames_written, 5 * static_cast<int64_t>(kFrameSamples));
  EXPECT_EQ(read_back(path("orphan.wav")).left.size(), 5 * kFrameSamples);
}

TEST_F(RecorderTest, DestroyingAnOpenRecorderStillFinalisesTheFile) {
  RecordingWriter writer;
  std::promise<RecordingResult> seen;
  RecordingSpec spec = spec_for(path("dropped-handle.wav"), RecordingFormat::WavPcm16Stereo);
  spec.on_done = [&](const RecordingResult& res) { seen.set_value(res); };
  {
    auto r = Recorder::open(writer, std::move(spec));
    ASSERT_TRUE(r);
    push_tones(*r, 0, 3);
  }  // destroyed without close()
  auto done = seen.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(done.get().frames_written, 3 * static_cast<int64_t>(kFrameSamples));
  EXPECT_EQ(read_back(path("dropped-handle.wav")).left.size(), 3 * kFrameSamples);
}

}  // namespace
}  // namespace sb::media::recorder
