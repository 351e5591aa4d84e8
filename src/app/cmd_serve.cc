// app/cmd_serve.cc: `switchboard serve --config FILE`: runs the SIP stack on the configured
// listeners as registrar and OPTIONS responder, registers to the configured trunks; INVITEs
// get 480 until the call path exists. SIGINT/SIGTERM unregister the trunks and stop.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <memory>

#include "app/commands.h"
#include "app/config/config_loader.h"
#include "app/media_test_sessions.h"
#include "app/trunk_registrations.h"
#include "media/engine/media_engine.h"
#include "media/recorder/recording_writer.h"
#include "net/event_loop.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/stack/sip_stack.h"

namespace sb::app {
namespace {

struct ServeOptions {
  std::string config;
  std::string log_level = "info";
  bool test_answer = false;
};

sip::SipStackConfig stack_config(const SipSettings& s) {
  sip::SipStackConfig c;
  for (const auto& l : s.listeners) {
    sip::ListenerConfig lc;
    lc.transport = sip::transport_from_name(l.transport).value_or(sip::Transport::Udp);
    lc.address = l.address;
    lc.port = l.port;
    lc.certificate = l.certificate;
    lc.private_key = l.private_key;
    c.listeners.push_back(lc);
  }
  c.transactions.timers.t1 = s.t1;
  c.transactions.timers.t2 = s.t2;
  c.transactions.timers.t4 = s.t4;
  c.guard.requests_per_second = s.requests_per_second;
  c.guard.request_burst = s.request_burst;
  c.guard.auth_failures = s.auth_failures;
  c.guard.auth_failure_window = s.auth_failure_window;
  c.guard.auth_block = s.auth_block;
  auto& r = c.registrar;
  r.realm = s.realm;
  r.domains = s.domains;
  r.require_auth = s.require_auth;
  for (const auto& a : s.accounts) r.accounts.push_back({a.user, a.password});
  r.algorithms.clear();
  for (const auto& name : s.digest_algorithms) {
    if (auto algorithm = sip::auth::parse_algorithm(name)) r.algorithms.push_back(*algorithm);
  }
  r.default_expires = std::chrono::duration_cast<std::chrono::seconds>(s.default_expires);
  r.min_expires = std::chrono::duration_cast<std::chrono::seconds>(s.min_expires);
  r.max_expires = std::chrono::duration_cast<std::chrono::seconds>(s.max_expires);
  r.max_contacts_per_aor = static_cast<size_t>(s.max_contacts);
  r.nonce_lifetime = std::chrono::duration_cast<std::chrono::seconds>(s.nonce_lifetime);
  c.user_agent = s.user_agent;
  return c;
}

int run_serve(const ServeOptions& options) {
  auto level = spdlog::level::from_str(options.log_level);
  spdlog::set_level(level);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  LoadResult loaded = load_config_file(options.config);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::fprintf(stderr, "%s: %zu error(s)\n", options.config.c_str(), loaded.errors.size());
    return 1;
  }
  net::EventLoop loop;
  const MediaSettings& media = loaded.config->media;
  media::recorder::RecordingWriter recordings;
  MediaTestSessions* media_target = nullptr;  // set below; events reach it on the loop
  media::engine::MediaEngineConfig engine_config;
  engine_config.port_min = media.rtp_port_min;
  engine_config.port_max = media.rtp_port_max;
  engine_config.threads = static_cast<std::size_t>(media.threads);
  engine_config.media_timeout = media.media_timeout;
  auto engine = media::engine::MediaEngine::start(engine_config, [&loop, &media_target](media::engine::MediaEvent e) {
    loop.post([&media_target, e = std::move(e)] {
      if (media_target != nullptr) media_target->on_media_event(e);
    });
  });
  if (!engine) {
    std::fprintf(stderr, "%s: media: %s\n", options.config.c_str(), engine.error().to_string().c_str());
    return 1;
  }
  sip::UnavailableSessions unavailable;
  sip::AnsweringSessions answering;
  MediaTestSessions media_sessions(answering, **engine, recordings, media);
  media_target = &media_sessions;
  sip::SessionHandler& sessions =
      options.test_answer ? static_cast<sip::SessionHandler&>(media_sessions) : static_cast<sip::SessionHandler&>(unavailable);
  sip::SipStack stack(loop, stack_config(loaded.config->sip), sessions);
  auto started = stack.start();
  if (!started) {
    std::fprintf(stderr, "%s: sip.listen: %s\n", options.config.c_str(), started.error().to_string().c_str());
    return 1;
  }
  auto trunks = TrunkRegistrations::create(stack, loaded.config->sip.trunks);
  if (!trunks) {
    std::fprintf(stderr, "%s: %s\n", options.config.c_str(), trunks.error().to_string().c_str());
    return 1;
  }
  (*trunks)->start();
  if (options.test_answer) spdlog::warn("serve: --test-answer: INVITEs to answer@, ring@ and record@ are answered (test only)");
  std::function<void()> finish;  // polls the unregistrations at shutdown; outlives the loop
  boost::asio::signal_set signals(loop.io(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("serve: signal {}: stopping", signal);
    // Trunks unregister first (Expires: 0), with up to 2 s for the answers.
    (*trunks)->unregister_all();
    auto deadline = loop.now() + std::chrono::seconds(2);
    finish = [&, deadline] {
      if ((*trunks)->all_idle() || loop.now() >= deadline) {
        stack.stop();
        loop.stop();
      } else {
        loop.schedule_after(std::chrono::milliseconds(20), finish);
      }
    };
    finish();
  });
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::info("serve: ready ({} listener(s))", started->size());
  loop.run();
  const auto& st = stack.stats();
  spdlog::info("serve: stopped: {} OPTIONS answered, {} REGISTERs ({} failed auth), {} INVITEs, {} bindings",
               st.options_answered, st.registers, st.auth_failures, st.invites, stack.locations().binding_count());
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the server (SIP registrar and OPTIONS responder)");
  cmd->add_option("--config,-c", options->config, "Config file")->required();
  cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->add_flag("--test-answer", options->test_answer,
                "Test only: answer INVITEs to sip:answer@ (200 after 180), ring sip:ring@ until cancelled, record sip:record@ with real media");
  cmd->callback([options, &run] { run = [options] { return run_serve(*options); }; });
}

}  // namespace sb::app
