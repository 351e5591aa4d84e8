#include "app/stack_settings.h"

#include "common/address_filter.h"
#include "sip/auth/digest_algorithm.h"

namespace sb::app {

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
  // Carriers are never throttled: the trusted networks and every trunk's own (the registrar of
  // each trunk is trusted once it resolves, in TrunkRegistrations).
  std::vector<std::string> trusted = s.trusted;
  for (const auto& t : s.trunks) trusted.insert(trusted.end(), t.allow.begin(), t.allow.end());
  if (auto filter = AddressFilter::parse(trusted)) c.guard.trusted = std::move(*filter);  // checked by the loader
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

media::engine::MediaEngineConfig engine_config(const MediaSettings& media) {
  media::engine::MediaEngineConfig c;
  c.port_min = media.rtp_port_min;
  c.port_max = media.rtp_port_max;
  c.threads = static_cast<std::size_t>(media.threads);
  c.media_timeout = media.media_timeout;
  return c;
}

}  // namespace sb::app
