// app/runtime_state.cc: bindings and logins as JSON under "binding/<aor>" and "agent/<name>".
#include "app/runtime_state.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "sip/registrar/location_service.h"
#include "store/sqlite_store.h"

namespace sb::app {
namespace {

constexpr std::string_view kBinding = "binding/";
constexpr std::string_view kAgent = "agent/";

int64_t to_us(TimePoint t) { return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count(); }
TimePoint from_us(int64_t us) { return TimePoint{std::chrono::duration_cast<Duration>(std::chrono::microseconds(us))}; }

// JSON text written by hand: a registration storm serialises thousands of bindings a second on
// the control thread, and building nlohmann objects cost four times the REGISTER itself.
// Bytes are copied as they came (UTF-8 or not); a row that does not parse back is skipped at
// restore, never fatal here (nlohmann's dump() throws on invalid UTF-8).
void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      out.append(fmt::format("\\u{:04x}", c));
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(",\"").append(name).append("\":");
  append_string(out, value);
}

void append_field(std::string& out, std::string_view name, int64_t value) {
  out.append(",\"").append(name).append("\":").append(std::to_string(value));
}

void append_binding(std::string& out, const sip::registrar::Binding& b) {
  out.append("{\"contact\":");
  append_string(out, b.contact);
  append_field(out, "expires_us", to_us(b.expires_at));
  append_field(out, "updated_us", to_us(b.updated_at));
  append_field(out, "call_id", b.call_id);
  append_field(out, "cseq", static_cast<int64_t>(b.cseq));
  out.append(",\"path\":[");
  for (size_t i = 0; i < b.path.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_string(out, b.path[i]);
  }
  out.push_back(']');
  append_field(out, "transport", sip::transport_name(b.received.transport));
  append_field(out, "remote_ip", b.received.remote.ip());
  append_field(out, "remote_port", static_cast<int64_t>(b.received.remote.port()));
  append_field(out, "local_ip", b.received.local.ip());
  append_field(out, "local_port", static_cast<int64_t>(b.received.local.port()));
  append_field(out, "instance", b.instance);
  append_field(out, "reg_id", b.reg_id);
  append_field(out, "user_agent", b.user_agent);
  if (b.q_milli) append_field(out, "q_milli", static_cast<int64_t>(*b.q_milli));
  out.push_back('}');
}

// nullopt for a row this build cannot use (edited by hand, or from a WebSocket phone).
std::optional<sip::registrar::Binding> binding_of(const nlohmann::json& j) {
  sip::registrar::Binding b;
  b.contact = j.at("contact").get<std::string>();
  b.expires_at = from_us(j.at("expires_us").get<int64_t>());
  b.updated_at = from_us(j.at("updated_us").get<int64_t>());
  b.call_id = j.at("call_id").get<std::string>();
  b.cseq = j.at("cseq").get<uint32_t>();
  b.path = j.at("path").get<std::vector<std::string>>();
  auto transport = sip::transport_from_name(j.at("transport").get<std::string>());
  auto remote = sip::SocketAddress::parse(j.at("remote_ip").get<std::string>(), j.at("remote_port").get<uint16_t>());
  auto local = sip::SocketAddress::parse(j.at("local_ip").get<std::string>(), j.at("local_port").get<uint16_t>());
  if (!transport || !remote || !local) return std::nullopt;
  // A WebSocket client is reached over its own connection only (RFC 7118), gone now; TCP and
  // TLS phones are reached over a new connection to where they registered from.
  if (*transport == sip::Transport::Ws || *transport == sip::Transport::Wss) return std::nullopt;
  b.received = sip::Peer{*transport, *remote, *local, 0};
  b.instance = j.at("instance").get<std::string>();
  b.reg_id = j.at("reg_id").get<std::string>();
  b.user_agent = j.at("user_agent").get<std::string>();
  if (j.contains("q_milli")) b.q_milli = j.at("q_milli").get<uint16_t>();
  return b;
}

store::StateWriter::StoreFactory factory(const std::string& db_path) {
  return [db_path]() -> Result<std::unique_ptr<store::StateStore>> {
    auto opened = store::SqliteStore::open(db_path);
    if (!opened) return opened.error();
    return std::unique_ptr<store::StateStore>(std::move(*opened));
  };
}

// Every row under `prefix`, read now (start-up only: this blocks on the disk).
std::vector<std::pair<std::string, std::string>> load(const std::string& db_path, std::string_view prefix) {
  auto store = store::SqliteStore::open(db_path);
  if (!store) {
    spdlog::warn("serve: runtime state not read: {}", store.error().to_string());
    return {};
  }
  auto rows = (*store)->load_state(std::string(prefix));
  if (!rows) {
    spdlog::warn("serve: runtime state not read: {}", rows.error().to_string());
    return {};
  }
  return std::move(*rows);
}

}  // namespace

RuntimeState::RuntimeState(std::string db_path) : db_path_(std::move(db_path)), writer_(factory(db_path_)) {}

Result<std::unique_ptr<RuntimeState>> RuntimeState::open(const std::string& db_path) {
  if (auto probe = store::SqliteStore::open(db_path); !probe) return probe.error();
  return std::unique_ptr<RuntimeState>(new RuntimeState(db_path));
}

size_t RuntimeState::restore_bindings(sip::registrar::LocationService& locations, const Clock& clock) {
  size_t restored = 0;
  const TimePoint now = clock.now();
  for (const auto& [key, value] : load(db_path_, kBinding)) {
    const std::string aor = key.substr(kBinding.size());
    std::vector<sip::registrar::Binding> bindings;
    try {
      for (const auto& item : nlohmann::json::parse(value)) {
        auto b = binding_of(item);
        if (b && !b->is_expired(now)) bindings.push_back(std::move(*b));
      }
    } catch (const std::exception& e) {  // a row edited by hand: skipped, not fatal
      spdlog::warn("serve: binding of {} not restored: {}", aor, e.what());
      bindings.clear();
    }
    if (bindings.empty()) {
      writer_.erase(key);
      continue;
    }
    restored += bindings.size();
    locations.set_bindings(aor, std::move(bindings));
  }
  return restored;
}

void RuntimeState::watch_bindings(sip::registrar::LocationService& locations, const Clock&) {
  locations.add_observer([this](std::string_view aor, const std::vector<sip::registrar::Binding>& bindings) {
    std::string key = std::string(kBinding) + std::string(aor);
    if (bindings.empty()) return writer_.erase(std::move(key));
    std::string list = "[";
    for (const auto& b : bindings) {
      if (list.size() > 1) list.push_back(',');
      append_binding(list, b);
    }
    list.push_back(']');
    writer_.put(std::move(key), std::move(list));
  });
}

size_t RuntimeState::restore_logins(call::CallCenter& center) {
  size_t restored = 0;
  for (const auto& [key, value] : load(db_path_, kAgent)) {
    const std::string agent = key.substr(kAgent.size());
    call::AgentLogin login;
    try {
      const auto j = nlohmann::json::parse(value);
      login.phone = j.at("phone").get<std::string>();
      login.ready = j.at("ready").get<bool>();
      login.reason = j.value("reason", "");
    } catch (const std::exception& e) {
      spdlog::warn("serve: login of {} not restored: {}", agent, e.what());
      writer_.erase(key);
      continue;
    }
    if (center.restore_login(agent, login)) {
      ++restored;
    } else {
      writer_.erase(key);  // an agent the config no longer has
    }
  }
  return restored;
}

void RuntimeState::watch_logins(call::CallCenter& center) {
  center.set_agent_login_sink([this](const std::string& agent, const std::optional<call::AgentLogin>& login) {
    std::string key = std::string(kAgent) + agent;
    if (!login) return writer_.erase(std::move(key));
    nlohmann::json j = {{"phone", login->phone}, {"ready", login->ready}};
    if (!login->ready) j["reason"] = login->reason;
    // A phone's AOR comes from the network: replace what is not UTF-8 rather than throw.
    writer_.put(std::move(key), j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

}  // namespace sb::app
