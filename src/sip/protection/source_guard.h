// sip/protection/source_guard.h: per-source-address limits that keep scanners and password
// guessers from being served (OPTIONS sweeps, REGISTER floods, digest brute force). Each IP
// address gets a token bucket for requests and a sliding count of failed authentications;
// crossing either limit blocks the address for a while, and every episode is reported once
// so the server logs it without logging every dropped packet. Configured carriers, trunks and
// trusted networks are exempt: throttling a carrier is an outage, not a defence. Pure: time
// from a Clock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/address_filter.h"
#include "common/clock.h"

namespace sb::sip {

struct GuardLimits {
  double requests_per_second = 100;  // sustained rate per source
  double request_burst = 400;        // bucket size
  int auth_failures = 5;             // within auth_failure_window ...
  Duration auth_failure_window = std::chrono::minutes(1);
  Duration auth_block = std::chrono::minutes(5);   // ... blocks for this long
  Duration flood_block = std::chrono::seconds(30);  // an empty bucket blocks for this long
  size_t max_tracked_sources = 100000;  // memory bound; the quietest entries go first
  // Sources never limited nor blocked: trunks' carrier networks, our own proxies and SBCs.
  AddressFilter trusted;
};

enum class GuardEvent { FloodBlocked, AuthBlocked, Unblocked };

class SourceGuard {
 public:
  // `report` hears each block and unblock once (for the log), with the source's address text.
  SourceGuard(const Clock& clock, GuardLimits limits,
              std::function<void(GuardEvent, const std::string& source, const std::string& why)> report = {});

  // One request from `source` (an IP address, port excluded): false drops it.
  bool admit(const std::string& source);
  // `ip` is trusted from now on, like the networks of GuardLimits::trusted (a trunk's
  // registrar, once its name is resolved).
  void trust(const std::string& ip);
  bool is_trusted(const std::string& source) const;
  // A request from `source` failed authentication (wrong password, unknown user, replay).
  void auth_failed(const std::string& source);
  // A request from `source` authenticated: its failure count starts over.
  void auth_succeeded(const std::string& source);

  bool blocked(const std::string& source) const;
  size_t tracked() const { return sources_.size(); }
  uint64_t dropped() const { return dropped_; }
  // Forgets sources that are neither blocked nor recently active (call now and then).
  void purge();

 private:
  struct Source {
    double tokens = 0;
    TimePoint refilled{};
    TimePoint blocked_until{};
    int failures = 0;
    TimePoint failures_since{};
  };
  Source& entry(const std::string& source);
  void block(Source& s, const std::string& source, Duration how_long, GuardEvent why, const std::string& text);

  const Clock& clock_;
  GuardLimits limits_;
  std::function<void(GuardEvent, const std::string&, const std::string&)> report_;
  std::unordered_map<std::string, Source> sources_;
  std::unordered_set<std::string> trusted_ips_;
  uint64_t dropped_ = 0;
};

}  // namespace sb::sip
