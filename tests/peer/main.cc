// peer/main.cc: `switchboard-test-peer --config FILE [--log-level L]`, a test helper, not part
// of the product. It runs the same SIP stack and media engine as `switchboard serve` (the same
// settings, app/stack_settings.h) but answers INVITEs with test sessions instead of the call
// center: sip:answer@ answers, sip:early@ sends reliable early media, sip:ring@ rings until
// cancelled, sip:record@ records real media (answering_test_sessions.h, media_test_sessions.h).
// SipIntegration's SIPp scenarios drive Switchboard as a plain UAS through it. SIGINT/SIGTERM
// stop it.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <functional>
#include <string>

#include "app/config/config_loader.h"
#include "app/stack_settings.h"
#include "media/engine/media_engine.h"
#include "media/recorder/recording_writer.h"
#include "net/event_loop.h"
#include "peer/answering_test_sessions.h"
#include "peer/media_test_sessions.h"
#include "sip/stack/session_layer_handler.h"
#include "sip/stack/sip_stack.h"

namespace {

int usage() {
  std::fprintf(stderr, "usage: switchboard-test-peer --config FILE [--log-level trace|debug|info|warn|error]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sb;
  std::string config_path;
  std::string log_level = "info";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--config") {
      config_path = argv[i + 1];
    } else if (flag == "--log-level") {
      log_level = argv[i + 1];
    } else {
      return usage();
    }
  }
  if (config_path.empty() || argc % 2 == 0) return usage();
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  app::LoadResult loaded = app::load_config_file(config_path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    return 1;
  }
  const app::SwitchboardConfig& config = *loaded.config;

  net::EventLoop loop;
  media::recorder::RecordingWriter recordings;
  std::function<void(const media::engine::MediaEvent&)> media_target;
  auto engine = media::engine::MediaEngine::start(app::engine_config(config.media),
                                                  [&loop, &media_target](media::engine::MediaEvent e) {
                                                    loop.post([&media_target, e = std::move(e)] {
                                                      if (media_target) media_target(e);
                                                    });
                                                  });
  if (!engine) {
    std::fprintf(stderr, "%s: media: %s\n", config_path.c_str(), engine.error().to_string().c_str());
    return 1;
  }
  peer::AnsweringTestSessions answering(loop);
  sip::SessionLayerHandler answering_layer(answering, sip::session::SessionPolicy{});
  peer::MediaTestSessions media_sessions(answering_layer, **engine, recordings, config.media);
  sip::SipStackConfig sip_config = app::stack_config(config.sip);
  // The test sessions run on the session layer, which does RFC 3262: PRACK and 100rel offered.
  sip_config.capabilities.allowed.push_back(sip::Method::Prack);
  sip_config.capabilities.supported.push_back("100rel");
  sip::SipStack stack(loop, std::move(sip_config), media_sessions);
  auto started = stack.start();
  if (!started) {
    std::fprintf(stderr, "%s: sip.listen: %s\n", config_path.c_str(), started.error().to_string().c_str());
    return 1;
  }
  answering.set_layer(&answering_layer.attach(stack));
  media_target = [&media_sessions](const media::engine::MediaEvent& e) { media_sessions.on_media_event(e); };

  boost::asio::signal_set signals(loop.io(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("serve: signal {}: stopping", signal);
    stack.stop();
    loop.stop();
  });
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::warn("test peer: INVITEs to answer@, early@, ring@ and record@ are answered (test only)");
  spdlog::info("serve: ready ({} listener(s))", started->size());
  loop.run();
  const auto& st = stack.stats();
  spdlog::info("serve: stopped: {} OPTIONS answered, {} REGISTERs ({} failed auth), {} INVITEs, {} bindings",
               st.options_answered, st.registers, st.auth_failures, st.invites, stack.locations().binding_count());
  return 0;
}
