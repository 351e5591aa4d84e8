// app/cmd_serve.cc: `switchboard serve --config FILE`: the call center. The SIP stack on the
// configured listeners (registrar, OPTIONS, trunk registrations), the media engine, the store
// behind its write-behind batcher, and the call layer (call/) taking the calls. SIGINT/SIGTERM
// end the calls properly, unregister the trunks, flush the store and stop.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/admin_socket.h"
#include "app/commands.h"
#include "app/config/config_loader.h"
#include "app/runtime_state.h"
#include "app/stack_settings.h"
#include "app/trunk_registrations.h"
#include "call/call_center.h"
#include "call/http_lookup.h"
#include "call/prompt_library.h"
#include "media/engine/media_engine.h"
#include "media/recorder/recording_writer.h"
#include "net/event_loop.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/stack/sip_stack.h"
#include "store/sqlite_store.h"
#include "store/write_behind.h"

namespace sb::app {
namespace {

struct ServeOptions {
  std::string config;
  std::string log_level = "info";
};

// The call layer's view of the config.
call::CallCenterConfig call_config(const SwitchboardConfig& c) {
  call::CallCenterConfig out;
  out.media.bind_address = c.media.address;
  out.media.public_address = c.media.public_address;
  out.recordings_dir = c.media.recordings_dir;
  out.voicemail_dir = c.store.voicemail_dir;
  for (const auto& r : c.ivr.inbound) out.inbound.push_back({r.did, r.flow, r.queue, r.early_media});
  for (const QueueCallSettings& q : c.queue_calls) {
    call::QueueCallSettings qc;
    qc.recording = q.recording == "all"       ? call::RecordingMode::All
                   : q.recording == "sampled" ? call::RecordingMode::Sampled
                                              : call::RecordingMode::None;
    qc.sample_percent = q.sample_percent;
    qc.consent = q.consent;
    qc.moh = q.music_on_hold;
    qc.callback_offer = q.callback_offer;
    qc.callback_confirmed = q.callback_confirmed;
    out.queues.push_back(std::move(qc));
  }
  out.default_language = c.ivr.languages.empty() ? "en" : c.ivr.languages.front();
  out.dialplan.country_code = c.sip.dialplan.country_code;
  out.dialplan.national_prefix = c.sip.dialplan.national_prefix;
  out.dialplan.international_prefix = c.sip.dialplan.international_prefix;
  std::vector<std::string> carriers;
  for (const auto& t : c.sip.trunks) carriers.insert(carriers.end(), t.allow.begin(), t.allow.end());
  if (auto filter = AddressFilter::parse(carriers)) out.carriers = std::move(*filter);  // checked by the loader
  out.realm = c.sip.realm;
  for (const auto& a : c.sip.accounts) out.accounts.push_back({a.user, a.password, {}});
  out.algorithms.clear();
  for (const auto& name : c.sip.digest_algorithms) {
    if (auto algorithm = sip::auth::parse_algorithm(name)) out.algorithms.push_back(*algorithm);
  }
  return out;
}

// The trunk that carries calls out: the dial plan's, else the first.
call::CallCenterConfig with_trunk(call::CallCenterConfig cc, const SwitchboardConfig& c, const TrunkRegistrations& trunks) {
  cc.trunks = trunks.outbound();
  for (const call::OutboundTrunk& t : trunks.outbound()) {
    if (!cc.outbound && (c.sip.dialplan.trunk.empty() || c.sip.dialplan.trunk == t.name)) cc.outbound = t;
  }
  return cc;
}

// Calendars become BusinessHours once (the config check already proved they are valid).
std::map<std::string, ivr::BusinessHours, std::less<>> business_hours(const IvrSettings& ivr) {
  std::map<std::string, ivr::BusinessHours, std::less<>> out;
  for (const auto& [name, calendar] : ivr.calendars) {
    if (auto hours = ivr::BusinessHours::create(calendar)) out.emplace(name, std::move(*hours));
  }
  return out;
}

// Every call holds descriptors (RTP and RTCP sockets, recordings, TCP and TLS phones): take
// the hard limit, not the 1,024 a login shell's soft limit leaves, as servers do.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    spdlog::info("serve: descriptor limit raised from {} to {}", before, limit.rlim_cur);
  }
}

int run_serve(const ServeOptions& options) {
  auto level = spdlog::level::from_str(options.log_level);
  spdlog::set_level(level);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  raise_descriptor_limit();
  LoadResult loaded = load_config_file(options.config);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::fprintf(stderr, "%s: %zu error(s)\n", options.config.c_str(), loaded.errors.size());
    return 1;
  }
  net::EventLoop loop;
  const SwitchboardConfig& config = *loaded.config;
  const MediaSettings& media = config.media;
  media::recorder::RecordingWriter recordings;
  // Media events reach whoever takes the calls, on the loop.
  std::function<void(const media::engine::MediaEvent&)> media_target;
  media::engine::MediaEngineConfig engine_config;
  engine_config.port_min = media.rtp_port_min;
  engine_config.port_max = media.rtp_port_max;
  engine_config.threads = static_cast<std::size_t>(media.threads);
  engine_config.media_timeout = media.media_timeout;
  auto engine = media::engine::MediaEngine::start(engine_config, [&loop, &media_target](media::engine::MediaEvent e) {
    loop.post([&media_target, e = std::move(e)] {
      if (media_target) media_target(e);
    });
  });
  if (!engine) {
    std::fprintf(stderr, "%s: media: %s\n", options.config.c_str(), engine.error().to_string().c_str());
    return 1;
  }
  // The store: SQLite under ./data by default, written behind the control thread.
  const std::string db_path = config.store.path;
  if (auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  if (auto probe = store::SqliteStore::open(db_path); !probe) {
    std::fprintf(stderr, "%s: store: %s\n", options.config.c_str(), probe.error().to_string().c_str());
    return 1;
  }
  store::WriteBehindOptions store_options;
  store_options.spill_path = db_path + ".spill";
  store::WriteBehind events(
      [db_path]() -> Result<std::unique_ptr<store::EventStore>> {
        auto opened = store::SqliteStore::open(db_path);
        if (!opened) return opened.error();
        return std::unique_ptr<store::EventStore>(std::move(*opened));
      },
      store_options);
  // Phones' bindings and agents' logins, kept across restarts (crashes included).
  auto runtime = RuntimeState::open(db_path);
  if (!runtime) {
    std::fprintf(stderr, "%s: store: %s\n", options.config.c_str(), runtime.error().to_string().c_str());
    return 1;
  }
  auto prompts = std::make_shared<const call::PromptLibrary>(config.ivr.prompts_dir, config.ivr.languages);
  call::HttpLookups lookups(loop);  // the IVR's CRM lookups, on the loop
  std::unique_ptr<call::CallCenter> center;
  // INVITEs get 480 until the call center, which needs the stack, takes them.
  sip::UnavailableSessions not_yet;
  sip::SipStack stack(loop, stack_config(config.sip), not_yet);
  auto started = stack.start();
  if (!started) {
    std::fprintf(stderr, "%s: sip.listen: %s\n", options.config.c_str(), started.error().to_string().c_str());
    return 1;
  }
  const size_t bindings = (*runtime)->restore_bindings(stack.locations(), loop.clock());
  (*runtime)->watch_bindings(stack.locations(), loop.clock());
  auto trunks = TrunkRegistrations::create(stack, config.sip.trunks);
  if (!trunks) {
    std::fprintf(stderr, "%s: %s\n", options.config.c_str(), trunks.error().to_string().c_str());
    return 1;
  }
  (*trunks)->start();
  {
    call::CallCenterPorts ports{stack,      stack.locations(), loop, **engine, recordings, lookups,
                               [&events](events::Event e) { events.submit(std::move(e)); }};
    center = std::make_unique<call::CallCenter>(std::move(ports), config.routing,
                                                std::make_shared<const ivr::FlowSet>(config.ivr.flows),
                                                business_hours(config.ivr), prompts,
                                                with_trunk(call_config(config), config, **trunks));
    stack.set_session_handler(*center);
    media_target = [&center](const media::engine::MediaEvent& e) { center->on_media_event(e); };
    const size_t logins = (*runtime)->restore_logins(*center);
    (*runtime)->watch_logins(*center);
    if (bindings + logins > 0) spdlog::info("serve: restored {} phone binding(s) and {} agent login(s)", bindings, logins);
    spdlog::info("serve: {} inbound route(s), {} flow(s), {} queue(s), {} agent(s), {} prompt(s), store {}",
                 config.ivr.inbound.size(), config.ivr.flows.flows.size(), config.routing.queues.size(),
                 config.routing.agents.size(), prompts->size(), db_path);
  }
  // SIGHUP or `switchboard admin reload`: the file again, for new calls; a file with errors
  // changes nothing.
  // SIGHUP or `switchboard admin reload`: the file again, for new calls; a file with errors
  // changes nothing. Reading the file and the prompts is file work: it runs on `files`, a
  // thread of its own, and the result is applied on the loop.
  boost::asio::thread_pool files(1);
  auto apply_reload = [&](const LoadResult& again, std::shared_ptr<const call::PromptLibrary> next_prompts) -> AdminReply {
    if (!again.config) {
      std::string text = fmt::format("reload refused ({} error(s)); the running configuration stays", again.errors.size());
      for (const auto& e : again.errors) {
        spdlog::error("serve: reload: {}", e.to_string());
        text += "\n" + e.to_string();
      }
      spdlog::error("serve: {}", text.substr(0, text.find('\n')));
      return {false, text};
    }
    std::string text = "reloaded " + options.config;
    if (center) {
      const SwitchboardConfig& next = *again.config;
      if (next.routing.queues.size() != config.routing.queues.size() ||
          next.routing.agents.size() != config.routing.agents.size()) {
        spdlog::warn("serve: reload: queues and agents changed; they take effect at the next restart");
        text += "\nqueues and agents changed: they take effect at the next restart";
      }
      center->reload(std::make_shared<const ivr::FlowSet>(next.ivr.flows), business_hours(next.ivr),
                     std::move(next_prompts), with_trunk(call_config(next), next, **trunks));
    }
    return {true, text};
  };
  auto reload = [&](AdminReplyTo done) {
    boost::asio::post(files, [&, done = std::move(done)] {
      auto again = std::make_shared<LoadResult>(load_config_file(options.config));
      std::shared_ptr<const call::PromptLibrary> next_prompts;
      if (again->config) {
        next_prompts = std::make_shared<const call::PromptLibrary>(again->config->ivr.prompts_dir,
                                                                   again->config->ivr.languages);
      }
      loop.post([&, again, next_prompts, done] { done(apply_reload(*again, next_prompts)); });
    });
  };
  boost::asio::signal_set hangups(loop.io(), SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_hangup = [&](const boost::system::error_code& ec, int) {
    if (ec) return;
    reload([](const AdminReply&) {});
    hangups.async_wait(on_hangup);
  };
  hangups.async_wait(on_hangup);
  auto admin = AdminSocket::open(loop.io(), config.admin.socket, [&](const std::string& command, AdminReplyTo reply) {
    if (command == "reload") return reload(std::move(reply));
    if (command == "status") {
      return reply({true, fmt::format("{} call(s) active, {} RTP port pair(s) in use; agents: {}; router self-check: {} run(s), "
                                "{} violation(s); {} illegal call move(s)",
                                center ? center->active_calls() : 0,
                                (*engine)->port_capacity() - (*engine)->ports_available(),
                                center ? center->agents_summary() : "none",
                                center ? center->stats().self_checks : 0,
                                center ? center->stats().invariant_violations : 0,
                                center ? center->stats().illegal_moves : 0)});
    }
    reply({false, "unknown command '" + command + "' (reload, status)"});
  });
  if (!admin) {
    std::fprintf(stderr, "%s: admin.socket: %s\n", options.config.c_str(), admin.error().to_string().c_str());
    return 1;
  }
  std::function<void()> finish;  // polls the unregistrations at shutdown; outlives the loop
  std::function<void()> stop_calls;  // ends the calls and starts `finish`
  boost::asio::signal_set signals(loop.io(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("serve: signal {}: stopping", signal);
    hangups.cancel();
    admin->reset();  // no reloads while calls end
    // What was still in use before shutdown cleans up: leaks show here, not hidden by it.
    // The media threads first finish the teardowns already posted (a call that ended a
    // moment ago has given its ports back), then the loop goes on.
    (*engine)->after_commands([&] { loop.post([&] { stop_calls(); }); });
  });
  stop_calls = [&] {
    spdlog::info("serve: at stop: {} call(s) active, {} RTP port pair(s) in use", center ? center->active_calls() : 0,
                 (*engine)->port_capacity() - (*engine)->ports_available());
    if (center) center->log_agents();
    // Calls end properly (BYE on every leg, final events written), then the trunks
    // unregister (Expires: 0), with up to 2 s for the answers and the media teardown.
    if (center) center->shutdown();
    (*trunks)->unregister_all();
    auto deadline = loop.now() + std::chrono::seconds(2);
    finish = [&, deadline] {
      // Media threads release ports as they tear the ended calls' endpoints down.
      const bool ports_back = (*engine)->ports_available() == (*engine)->port_capacity();
      if (((*trunks)->all_idle() && ports_back) || loop.now() >= deadline) {
        stack.stop();
        loop.stop();
      } else {
        loop.schedule_after(std::chrono::milliseconds(20), finish);
      }
    };
    finish();
  };
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::info("serve: ready ({} listener(s))", started->size());
  loop.run();
  const auto& st = stack.stats();
  spdlog::info("serve: stopped: {} OPTIONS answered, {} REGISTERs ({} failed auth), {} INVITEs, {} bindings",
               st.options_answered, st.registers, st.auth_failures, st.invites, stack.locations().binding_count());
  // After shutdown ended every call: anything still held here is a leak.
  spdlog::info("serve: after shutdown: {} call(s) active, {} RTP port pair(s) in use", center ? center->active_calls() : 0,
               (*engine)->port_capacity() - (*engine)->ports_available());
  if (center) {
    const auto& cs = center->stats();
    spdlog::info("serve: {} calls, {} connected to agents, {} abandoned, {} agent offers, {} feature codes", cs.calls,
                 cs.connected, cs.abandoned, cs.offers, cs.feature_codes);
  }
  media_target = nullptr;
  center.reset();
  events.flush();
  (*runtime)->flush();
  const auto ws = events.stats();
  spdlog::info("serve: store: {} events written in {} batches{}", ws.durable, ws.batches,
               ws.spilled ? fmt::format(", {} spilled to {}", ws.spilled, store_options.spill_path) : "");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the call center (SIP, media, IVR, queues, store)");
  cmd->add_option("--config,-c", options->config, "Config file")->required();
  cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->callback([options, &run] { run = [options] { return run_serve(*options); }; });
}

}  // namespace sb::app
