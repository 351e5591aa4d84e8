// bench/media_relay_server.cc: Switchboard's media engine as a plain RTP relay for
// bench/media_relay.py, with the same interface as the minimal C loop (bench/media/c_relay.c):
// call i owns ports base+4i (leg A) and base+4i+2 (leg B); each leg latches to whoever sends
// to it (symmetric RTP) and what one leg receives goes out of the other, rewritten into that
// leg's own SSRC/sequence/timestamp as in a real bridged call. Prints READY, runs until SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string>
#include <vector>

#include <unistd.h>

#include "media/engine/media_engine.h"

using namespace sb::media::engine;

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  int pairs = 0;
  int base = 0;
  int threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--pairs") pairs = std::atoi(argv[i + 1]);
    else if (arg == "--port-base") base = std::atoi(argv[i + 1]);
    else if (arg == "--threads") threads = std::atoi(argv[i + 1]);
  }
  if (pairs <= 0 || base < 1024 || base % 2 != 0 || base + 4 * pairs > 65535) {
    std::fprintf(stderr, "usage: media_relay_server --pairs N --port-base EVEN_PORT [--threads T]\n");
    return 2;
  }
  MediaEngineConfig config;
  config.port_min = static_cast<uint16_t>(base);
  config.port_max = static_cast<uint16_t>(base + 4 * pairs - 1);
  config.threads = static_cast<std::size_t>(threads);
  config.media_timeout = sb::Duration{0};
  auto engine = MediaEngine::start(config, [](MediaEvent) {});
  if (!engine) {
    std::fprintf(stderr, "media_relay_server: %s\n", engine.error().to_string().c_str());
    return 1;
  }
  EndpointMedia media;  // PCMU, far end unknown until it sends (symmetric RTP)
  media.remote_ip = "127.0.0.1";
  media.remote_rtp_port = 0;
  std::vector<EndpointId> ids;
  for (int call = 0; call < pairs; ++call) {
    auto a = (*engine)->create_endpoint("127.0.0.1", static_cast<uint64_t>(call));
    auto b = (*engine)->create_endpoint("127.0.0.1", static_cast<uint64_t>(call));
    if (!a || !b) {
      std::fprintf(stderr, "media_relay_server: %s\n", (a ? b : a).error().to_string().c_str());
      return 1;
    }
    (*engine)->configure(a->id, media);
    (*engine)->configure(b->id, media);
    (*engine)->bridge(a->id, b->id);
    ids.push_back(a->id);
    ids.push_back(b->id);
  }
  // Commands run in order per thread: once this one has, every endpoint before it exists.
  for (std::size_t t = 0; t < (*engine)->thread_count(); ++t) {
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      if (thread_of(*it) != t) continue;
      std::promise<void> done;
      (*engine)->inspect(*it, [&done](Endpoint*) { done.set_value(); });
      done.get_future().wait();
      break;
    }
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::printf("READY\n");
  std::fflush(stdout);
  while (g_stop == 0) pause();
  return 0;
}
