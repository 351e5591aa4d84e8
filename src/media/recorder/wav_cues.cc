// media/recorder/wav_cues.cc: RIFF chunk bytes for cue points, written little-endian by hand.
#include "media/recorder/wav_cues.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace sb::media::recorder {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

void put_tag(std::string& out, const char (&tag)[5]) { out.append(tag, 4); }

Error io_error(const std::string& path, const char* what) {
  return Error{std::string(what) + ": " + std::strerror(errno), path};
}

}  // namespace

Result<void> append_wav_cues(const std::string& path, const std::vector<WavCue>& cues) {
  std::string chunks;
  // "cue " chunk: count, then per point id, position, fccChunk, chunkStart, blockStart, offset.
  put_tag(chunks, "cue ");
  put_u32(chunks, static_cast<uint32_t>(4 + 24 * cues.size()));
  put_u32(chunks, static_cast<uint32_t>(cues.size()));
  for (std::size_t i = 0; i < cues.size(); ++i) {
    put_u32(chunks, static_cast<uint32_t>(i + 1));
    put_u32(chunks, cues[i].sample);
    put_tag(chunks, "data");
    put_u32(chunks, 0);
    put_u32(chunks, 0);
    put_u32(chunks, cues[i].sample);
  }
  // LIST/adtl with one labl per cue: the names players show at the markers.
  std::string adtl;
  put_tag(adtl, "adtl");
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const uint32_t size = static_cast<uint32_t>(4 + cues[i].label.size() + 1);
    put_tag(adtl, "labl");
    put_u32(adtl, size);
    put_u32(adtl, static_cast<uint32_t>(i + 1));
    adtl.append(cues[i].label);
    adtl.push_back('\0');
    if (size % 2 != 0) {
      adtl.push_back('\0');  // RIFF chunks are word aligned; the pad is not counted in the size
    }
  }
  put_tag(chunks, "LIST");
  put_u32(chunks, static_cast<uint32_t>(adtl.size()));
  chunks += adtl;

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "r+b"), &std::fclose);
  if (!f) {
    return io_error(path, "open for cues");
  }
  char riff[12];
  if (std::fread(riff, 1, sizeof riff, f.get()) != sizeof riff ||
      std::memcmp(riff, "RIFF", 4) != 0 || std::memcmp(riff + 8, "WAVE", 4) != 0) {
    return Error{"not a RIFF/WAVE file", path};
  }
  if (std::fseek(f.get(), 0, SEEK_END) != 0) {
    return io_error(path, "seek");
  }
  const long end = std::ftell(f.get());
  if (end < 12 || end % 2 != 0) {
    return Error{"unexpected WAV length " + std::to_string(end), path};
  }
  if (std::fwrite(chunks.data(), 1, chunks.size(), f.get()) != chunks.size()) {
    return io_error(path, "write cues");
  }
  std::string riff_size;
  put_u32(riff_size, static_cast<uint32_t>(end + static_cast<long>(chunks.size()) - 8));
  if (std::fseek(f.get(), 4, SEEK_SET) != 0 || std::fwrite(riff_size.data(), 1, 4, f.get()) != 4) {
    return io_error(path, "rewrite RIFF size");
  }
  if (std::fflush(f.get()) != 0) {
    return io_error(path, "flush");
  }
  return {};
}

}  // namespace sb::media::recorder
