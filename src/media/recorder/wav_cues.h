// media/recorder/wav_cues.h: appends cue points with labels ("cue " and LIST/adtl/labl chunks) to
// a finished WAV file. libsndfile only accepts SFC_SET_CUE before the first sample is written,
// and a recording's pauses are known only at its end. Not here: reading cues (libsndfile does).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace sb::media::recorder {

struct WavCue {
  uint32_t sample = 0;  // frame position in the data chunk
  std::string label;
};

// Appends the chunks after the data chunk and fixes the RIFF size. Needs a closed RIFF/WAVE file
// whose last chunk ends the file (what libsndfile writes for PCM). Fails on I/O errors or a file
// that is not RIFF/WAVE.
Result<void> append_wav_cues(const std::string& path, const std::vector<WavCue>& cues);

}  // namespace sb::media::recorder
