#include "app/trunk_registrations.h"

#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/event_loop.h"
#include "sip/parse/uri.h"

namespace sb::app {
namespace {

using sip::client::RegistrationStatus;

// Numeric addresses as they are; names through the resolver (A/AAAA only: RFC 3263 NAPTR/SRV
// lookups are not done, so a trunk that needs them is configured with its host and port).
std::optional<sip::SocketAddress> resolve(const std::string& host, uint16_t port) {
  if (auto numeric = sip::SocketAddress::parse(host, port)) return numeric;
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return std::nullopt;
  auto address = sip::SocketAddress::from_sockaddr(found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  address.set_port(port);
  return address;
}

}  // namespace

Result<std::unique_ptr<TrunkRegistrations>> TrunkRegistrations::create(sip::SipStack& stack,
                                                                       const std::vector<SipTrunkSettings>& trunks) {
  auto out = std::make_unique<TrunkRegistrations>();
  for (const SipTrunkSettings& t : trunks) {
    const std::string where = "sip.trunks." + t.name;
    auto uri = sip::parse_uri(t.registrar);
    if (!uri) return Error{"registrar " + t.registrar + ": " + uri.error().message, where};
    const auto transport = sip::transport_from_name(t.transport).value_or(sip::Transport::Udp);
    const std::string host(uri->host);
    auto remote = resolve(host, uri->port.value_or(transport == sip::Transport::Tls ? 5061 : 5060));
    if (!remote) return Error{"cannot resolve the registrar host " + host, where};
    stack.trust_source(remote->ip());  // the carrier's requests are never throttled
    // Send from the listener of that transport and family.
    const sip::Peer* listener = nullptr;
    for (const sip::Peer& p : stack.transport().local_endpoints()) {
      if (p.transport == transport && p.local.is_v6() == remote->is_v6()) {
        listener = &p;
        break;
      }
    }
    if (listener == nullptr) {
      return Error{"no " + std::string(sip::transport_name(transport)) + " listener of the registrar's address family", where};
    }
    sip::client::RegistrationConfig c;
    c.registrar_uri = t.registrar;
    c.destination.transport = transport;
    c.destination.remote = *remote;
    c.destination.local = listener->local;
    const std::string wildcard = listener->local.is_v6() ? "::" : "0.0.0.0";
    if (listener->local.ip() == wildcard) {
      if (auto towards = sip::local_address_towards(*remote)) {
        c.destination.local = *towards;
        c.destination.local.set_port(listener->local.port());
      }
    }
    c.aor_user = t.user;
    c.aor_domain = t.domain.empty() ? uri->host_is_ipv6 ? "[" + host + "]" : host : t.domain;
    c.auth_user = t.auth_user;
    c.password = t.password;
    c.expires = std::chrono::duration_cast<std::chrono::seconds>(t.expires);
    c.contact_uri = "sip:" + t.user + "@" + c.destination.local.to_string() +
                    (transport == sip::Transport::Udp ? "" : ";transport=" + std::string(sip::transport_name(transport)));
    if (auto invalid = sip::client::validate(c)) return Error{invalid->to_string(), where};
    call::OutboundTrunk way_out;
    way_out.name = t.name;
    way_out.destination = c.destination;
    way_out.domain = c.aor_domain;
    way_out.caller_id = t.caller_id.empty() ? t.user : t.caller_id;
    way_out.credentials = sip::client::Credentials{t.auth_user.empty() ? t.user : t.auth_user, t.password, ""};
    way_out.codecs = t.codecs;
    if (auto allow = AddressFilter::parse(t.allow)) way_out.allow = std::move(*allow);
    out->outbound_.push_back(std::move(way_out));
    if (!t.registers) continue;
    const std::string name = t.name;
    net::EventLoop& loop = stack.loop();
    out->clients_.push_back(std::make_unique<sip::client::RegistrationClient>(
        stack.uac(), loop.clock(), loop.timers(), c, [name, &loop](const sip::client::RegistrationState& state) {
          const std::string text = sip::client::describe(state, loop.now());
          if (state.status == RegistrationStatus::Failed) {
            spdlog::warn("trunk {}: {}", name, text);
          } else {
            spdlog::info("trunk {}: {}", name, text);
          }
        }));
  }
  return out;
}

void TrunkRegistrations::start() {
  for (auto& c : clients_) {
    if (auto started = c->start(); !started) spdlog::error("trunk: {}", started.error().to_string());
  }
}

void TrunkRegistrations::unregister_all() {
  for (auto& c : clients_) c->unregister();
}

bool TrunkRegistrations::all_idle() const {
  for (const auto& c : clients_) {
    const auto s = c->state().status;
    if (s == RegistrationStatus::Registering || s == RegistrationStatus::Unregistering) return false;
  }
  return true;
}

}  // namespace sb::app
