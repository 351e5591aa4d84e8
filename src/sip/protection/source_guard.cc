#include "sip/protection/source_guard.h"

#include <algorithm>
#include <vector>

namespace sb::sip {

SourceGuard::SourceGuard(const Clock& clock, GuardLimits limits,
                         std::function<void(GuardEvent, const std::string&, const std::string&)> report)
    : clock_(clock), limits_(limits), report_(std::move(report)) {}

SourceGuard::Source& SourceGuard::entry(const std::string& source) {
  auto it = sources_.find(source);
  if (it != sources_.end()) return it->second;
  if (sources_.size() >= limits_.max_tracked_sources) purge();
  Source s;
  s.tokens = limits_.request_burst;
  s.refilled = clock_.now();
  return sources_.emplace(source, s).first->second;
}

void SourceGuard::block(Source& s, const std::string& source, Duration how_long, GuardEvent why,
                        const std::string& text) {
  s.blocked_until = clock_.now() + how_long;
  if (report_) report_(why, source, text);
}

void SourceGuard::trust(const std::string& ip) {
  trusted_ips_.insert(ip);
  sources_.erase(ip);
}

bool SourceGuard::is_trusted(const std::string& source) const {
  return trusted_ips_.count(source) != 0 || (!limits_.trusted.empty() && limits_.trusted.allows(source));
}

bool SourceGuard::admit(const std::string& source) {
  if (is_trusted(source)) return true;
  Source& s = entry(source);
  const TimePoint now = clock_.now();
  if (s.blocked_until != TimePoint{}) {
    if (now < s.blocked_until) {
      ++dropped_;
      return false;
    }
    s.blocked_until = TimePoint{};
    s.tokens = limits_.request_burst;
    s.refilled = now;
    s.failures = 0;
    if (report_) report_(GuardEvent::Unblocked, source, "block expired");
  }
  s.tokens = std::min(limits_.request_burst, s.tokens + to_seconds(now - s.refilled) * limits_.requests_per_second);
  s.refilled = now;
  if (s.tokens < 1) {
    ++dropped_;
    block(s, source, limits_.flood_block, GuardEvent::FloodBlocked,
          "more than " + std::to_string(limits_.requests_per_second) + " requests/s sustained");
    return false;
  }
  s.tokens -= 1;
  return true;
}

void SourceGuard::auth_failed(const std::string& source) {
  if (is_trusted(source)) return;
  Source& s = entry(source);
  const TimePoint now = clock_.now();
  if (s.failures == 0 || now - s.failures_since > limits_.auth_failure_window) {
    s.failures = 0;
    s.failures_since = now;
  }
  if (++s.failures >= limits_.auth_failures && now >= s.blocked_until) {
    block(s, source, limits_.auth_block, GuardEvent::AuthBlocked,
          std::to_string(s.failures) + " failed authentications");
  }
}

void SourceGuard::auth_succeeded(const std::string& source) {
  auto it = sources_.find(source);
  if (it != sources_.end()) it->second.failures = 0;
}

bool SourceGuard::blocked(const std::string& source) const {
  auto it = sources_.find(source);
  return it != sources_.end() && clock_.now() < it->second.blocked_until;
}

void SourceGuard::purge() {
  const TimePoint now = clock_.now();
  // Idle long enough for a full bucket, not blocked, no failures in the window: nothing to remember.
  const Duration refill = from_seconds(limits_.request_burst / limits_.requests_per_second);
  std::erase_if(sources_, [&](const auto& kv) {
    const Source& s = kv.second;
    return now >= s.blocked_until && now - s.refilled >= refill &&
           (s.failures == 0 || now - s.failures_since > limits_.auth_failure_window);
  });
  if (sources_.size() < limits_.max_tracked_sources) return;
  // Still full (a spoofed-source flood): drop the least recently active unblocked entries.
  std::vector<std::pair<TimePoint, std::string>> idle;
  for (const auto& [key, s] : sources_) {
    if (now >= s.blocked_until) idle.emplace_back(s.refilled, key);
  }
  std::sort(idle.begin(), idle.end());
  for (size_t i = 0; i < idle.size() / 2 + 1 && i < idle.size(); ++i) sources_.erase(idle[i].second);
}

}  // namespace sb::sip
