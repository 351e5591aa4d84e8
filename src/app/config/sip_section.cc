// app/config/sip_section.cc: the `sip:` section (see sip_settings.h for the meaning of each key).
#include <fmt/format.h>

#include <unordered_set>

#include <algorithm>
#include <array>

#include "app/config/section.h"
#include "app/config/sections.h"
#include "common/address_filter.h"

namespace sb::app {
namespace {

constexpr std::array<std::string_view, 5> kTransports = {"udp", "tcp", "tls", "ws", "wss"};

bool is_numeric_address(std::string_view s) {
  // The stack binds numeric addresses only: a name could resolve to anything.
  if (s.empty()) return false;
  if (s.find(':') != std::string_view::npos) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
  }
  int dots = 0;
  for (char c : s) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

void read_listener(YamlReader& reader, const Field& field, std::vector<SipListenerSettings>& out) {
  auto s = Section::open(reader, field, {"transport", "address", "port", "certificate", "private_key"});
  if (!s) return;
  SipListenerSettings l;
  bool known_transport = false;
  if (auto f = s->require("transport")) {
    if (auto t = reader.string(*f)) {
      if (std::find(kTransports.begin(), kTransports.end(), *t) == kTransports.end()) {
        reader.error(*f, fmt::format("expected one of udp, tcp, tls, ws, wss, got \"{}\"", *t));
      } else {
        l.transport = *t;
        known_transport = true;
      }
    }
  }
  if (s->read_string("address", l.address) && !is_numeric_address(l.address)) {
    reader.error(*s->get("address"), fmt::format("expected a numeric IPv4 or IPv6 address, got \"{}\"", l.address));
  }
  int port = l.transport == "tls" || l.transport == "wss" ? 5061 : (l.transport == "ws" ? 8088 : 5060);
  s->read_int("port", 0, 65535, port);
  l.port = static_cast<uint16_t>(port);
  s->read_string("certificate", l.certificate);
  s->read_string("private_key", l.private_key);
  if ((l.transport == "tls" || l.transport == "wss") && (l.certificate.empty() || l.private_key.empty())) {
    reader.error(field, fmt::format("a {} listener needs certificate and private_key", l.transport));
  }
  if (!known_transport) return;
  for (const auto& other : out) {
    if (other.transport == l.transport && other.address == l.address && other.port == l.port && l.port != 0) {
      reader.error(field, fmt::format("{} {}:{} is listed twice", l.transport, l.address, l.port));
      return;
    }
  }
  out.push_back(std::move(l));
}

void read_accounts(YamlReader& reader, const Field& field, std::vector<SipAccountSettings>& out) {
  auto items = reader.list_items(field);
  if (!items) return;
  // Repeats found in a set: a list of 100,000 accounts is checked in linear time.
  std::unordered_set<std::string> users;
  users.reserve(items->size());
  for (const Field& item : *items) {
    auto s = Section::open(reader, item, {"user", "password"});
    if (!s) continue;
    SipAccountSettings a;
    if (auto f = s->require("user")) {
      if (auto u = reader.string(*f)) {
        a.user = *u;
        if (a.user.empty()) reader.error(*f, "expected a user name, got an empty string");
        if (!users.insert(a.user).second) reader.error(*f, fmt::format("account \"{}\" is listed twice", a.user));
      }
    }
    if (auto f = s->require("password")) {
      if (auto p = reader.string(*f)) {
        a.password = *p;
        if (a.password.empty()) reader.error(*f, "expected a password, got an empty string");
      }
    }
    out.push_back(std::move(a));
  }
}

// A list of networks in CIDR notation, each checked (file:line for a bad one).
void read_networks(YamlReader& reader, const Field& f, std::vector<std::string>& out) {
  if (auto items = reader.string_items(f, true, "network")) {
    for (const auto& item : *items) {
      if (auto ok = AddressFilter::parse({item.name}); !ok) {
        reader.error(item.field, ok.error().message);
      } else {
        out.push_back(item.name);
      }
    }
  }
}

void read_trunks(YamlReader& reader, const Field& field, std::vector<SipTrunkSettings>& out) {
  auto entries = reader.map_entries(field);
  if (!entries) return;
  for (const MapEntry& e : *entries) {
    auto s = Section::open(reader, e.value,
                           {"registrar", "transport", "user", "auth_user", "password", "domain", "expires", "register",
                            "caller_id", "allow", "codecs"});
    if (!s) continue;
    SipTrunkSettings t;
    t.name = e.key;
    if (s->require("registrar") && s->read_string("registrar", t.registrar) &&
        t.registrar.rfind("sip:", 0) != 0 && t.registrar.rfind("sips:", 0) != 0) {
      reader.error(*s->get("registrar"), fmt::format("expected a sip: or sips: URI, got \"{}\"", t.registrar));
    }
    if (s->read_string("transport", t.transport) &&
        std::find(kTransports.begin(), kTransports.begin() + 3, t.transport) == kTransports.begin() + 3) {
      reader.error(*s->get("transport"), fmt::format("expected udp, tcp or tls, got \"{}\"", t.transport));
    }
    if (s->require("user")) s->read_string("user", t.user);
    s->read_string("auth_user", t.auth_user);
    if (t.auth_user.empty()) t.auth_user = t.user;
    if (s->require("password")) s->read_string("password", t.password);
    s->read_string("domain", t.domain);
    s->read_duration("expires", t.expires, /*positive=*/true);
    s->read_bool("register", t.registers);
    s->read_string("caller_id", t.caller_id);
    if (auto f = s->get("codecs")) {
      if (auto items = reader.string_items(*f, true, "codec")) {
        for (const auto& item : *items) {
          std::string lower = item.name;
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (lower != "pcmu" && lower != "pcma" && lower != "g722" && lower != "opus") {
            reader.error(item.field, fmt::format("unknown codec \"{}\"; expected one of PCMU, PCMA, G722, opus", item.name));
          } else {
            t.codecs.push_back(item.name);
          }
        }
      }
    }
    if (auto f = s->get("allow")) read_networks(reader, *f, t.allow);
    if (t.caller_id.empty()) t.caller_id = t.user;
    out.push_back(std::move(t));
  }
}

}  // namespace

void read_sip(YamlReader& reader, const Field& field, SipSettings& out) {
  auto s = Section::open(reader, field,
                         {"listen", "timers", "user_agent", "domains", "realm", "require_auth", "accounts", "digest_algorithms",
                          "registration", "protection", "trunks", "dialplan"});
  if (!s) return;
  if (auto f = s->get("listen")) {
    if (auto items = reader.list_items(*f)) {
      for (const Field& item : *items) read_listener(reader, item, out.listeners);
    }
  }
  if (auto f = s->get("timers")) {
    if (auto t = Section::open(reader, *f, {"t1", "t2", "t4"})) {
      t->read_duration("t1", out.t1, true);
      t->read_duration("t2", out.t2, true);
      t->read_duration("t4", out.t4, true);
      if (out.t2 < out.t1) reader.error(*f, "t2 must not be shorter than t1 (RFC 3261 §17.1.2.2)");
    }
  }
  s->read_string("user_agent", out.user_agent);
  if (auto f = s->get("domains")) read_name_list(reader, *f, "domain", out.domains);
  if (s->read_string("realm", out.realm) && out.realm.empty()) reader.error(*s->get("realm"), "expected a realm, got an empty string");
  s->read_bool("require_auth", out.require_auth);
  if (auto f = s->get("accounts")) read_accounts(reader, *f, out.accounts);
  if (auto f = s->get("digest_algorithms")) {
    if (auto items = reader.string_items(*f, /*unique=*/true, "algorithm")) {
      out.digest_algorithms.clear();
      for (const NamedItem& item : *items) {
        if (item.name != "SHA-256" && item.name != "MD5" && item.name != "SHA-512-256") {
          reader.error(item.field, fmt::format("expected SHA-256, SHA-512-256 or MD5, got \"{}\"", item.name));
        } else {
          out.digest_algorithms.push_back(item.name);
        }
      }
      if (items->empty()) reader.error(*f, "expected at least one algorithm");
    }
  }
  if (auto f = s->get("registration")) {
    if (auto r = Section::open(reader, *f, {"default_expires", "min_expires", "max_expires", "max_contacts", "nonce_lifetime"})) {
      r->read_duration("default_expires", out.default_expires, true);
      r->read_duration("min_expires", out.min_expires, true);
      r->read_duration("max_expires", out.max_expires, true);
      r->read_int("max_contacts", 1, 100, out.max_contacts);
      r->read_duration("nonce_lifetime", out.nonce_lifetime, true);
      if (out.min_expires > out.max_expires) reader.error(*f, "min_expires is longer than max_expires");
      if (out.default_expires < out.min_expires || out.default_expires > out.max_expires) {
        reader.error(*f, "default_expires must lie between min_expires and max_expires");
      }
    }
  }
  if (auto f = s->get("protection")) {
    if (auto p = Section::open(reader, *f, {"requests_per_second", "request_burst", "auth_failures", "auth_failure_window",
                                            "auth_block", "trusted"})) {
      p->read_number("requests_per_second", NumberRange::above(0), out.requests_per_second);
      p->read_int("request_burst", 1, 1000000, out.request_burst);
      p->read_int("auth_failures", 1, 1000, out.auth_failures);
      p->read_duration("auth_failure_window", out.auth_failure_window, true);
      p->read_duration("auth_block", out.auth_block, true);
      if (auto t = p->get("trusted")) read_networks(reader, *t, out.trusted);
    }
  }
  if (auto f = s->get("trunks")) read_trunks(reader, *f, out.trunks);
  if (auto f = s->get("dialplan")) {
    if (auto d = Section::open(reader, *f, {"country_code", "national_prefix", "international_prefix", "trunk"})) {
      auto& plan = out.dialplan;
      d->read_string("country_code", plan.country_code);
      d->read_string("national_prefix", plan.national_prefix);
      d->read_string("international_prefix", plan.international_prefix);
      const bool digits = plan.country_code.find_first_not_of("0123456789") == std::string::npos &&
                          plan.national_prefix.find_first_not_of("0123456789") == std::string::npos &&
                          plan.international_prefix.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || plan.country_code.empty() || plan.country_code.size() > 3 || plan.country_code[0] == '0') {
        reader.error(*f, "country_code (1-3 digits, not starting with 0) and the prefixes must be digits");
      }
      if (d->read_string("trunk", plan.trunk)) {
        bool known = false;
        for (const auto& t : out.trunks) known = known || t.name == plan.trunk;
        if (!known) reader.error(*d->get("trunk"), fmt::format("no trunk \"{}\" in sip.trunks", plan.trunk));
      }
    }
  }
  if (out.require_auth && out.accounts.empty() && s->has("require_auth")) {
    reader.error(*s->get("require_auth"), "require_auth is on but there are no accounts: nobody could register");
  }
}

}  // namespace sb::app
