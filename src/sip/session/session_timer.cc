// sip/session/session_timer.cc
#include "sip/session/session_timer.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "sip/parse/split.h"

namespace sb::sip::session {
namespace {

std::optional<long long> leading_seconds(std::string_view value) {
  value = trim_lws(value.substr(0, value.find(';')));
  long long seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds <= 0) return std::nullopt;
  return seconds;
}

// The "refresher" parameter of a Session-Expires value, lowercased: "uac", "uas" or "".
std::string refresher_param(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const size_t at = lower.find("refresher=");
  if (at == std::string::npos) return "";
  std::string_view rest = std::string_view(lower).substr(at + 10, 3);
  return std::string(rest);
}

bool lists_timer(const Message& m, HeaderName name) {
  std::vector<std::string_view> tokens;
  for (std::string_view value : m.values(name)) split_comma_list(value, tokens);
  for (std::string_view token : tokens) {
    {
      std::string t(trim_lws(token));
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
      if (t == "timer") return true;
    }
  }
  return false;
}

}  // namespace

std::string SessionTimer::header_value() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(interval).count()) +
         (refresher == Refresher::Uac ? ";refresher=uac" : ";refresher=uas");
}

Duration SessionTimer::expiry_after_refresh() const {
  if (we_refresh()) return interval;  // we refresh at half of it
  return interval - std::min<Duration>(std::chrono::seconds(32), interval / 3);
}

SessionTimerDecision decide_session_timer(const Message& invite, const SessionTimerPolicy& policy) {
  SessionTimerDecision out;
  const bool supports = lists_timer(invite, HeaderName::Supported) || lists_timer(invite, HeaderName::Require);
  auto expires = invite.first(HeaderName::SessionExpires);
  SessionTimer timer;
  if (expires) {
    auto seconds = leading_seconds(*expires);
    if (!seconds) {
      out.reject_status = 400;
      return out;
    }
    // A UAS may lower the interval (§9): anything beyond a day is, before it can overflow.
    const auto most = std::chrono::duration_cast<std::chrono::seconds>(policy.max_interval).count();
    timer.interval = std::chrono::seconds(std::min<long long>(*seconds, most));
    if (timer.interval < policy.min_se) {
      out.reject_status = 422;
      out.min_se_header = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(policy.min_se).count());
      return out;
    }
    const std::string asked = refresher_param(*expires);
    // §9: the UAS picks the refresher when the UAC left it open; a UAC without timer support
    // cannot refresh, so we do.
    timer.refresher = !supports || asked == "uas" ? Refresher::Uas : Refresher::Uac;
  } else if (supports) {
    timer.interval = policy.default_interval;
    timer.refresher = Refresher::Uac;
  } else {
    // Neither asked nor supported: we still guard the call by refreshing ourselves.
    timer.interval = policy.default_interval;
    timer.refresher = Refresher::Uas;
  }
  out.timer = timer;
  return out;
}

std::optional<SessionTimer> session_timer_of_answer(const Message& response, const SessionTimerPolicy& policy) {
  auto expires = response.first(HeaderName::SessionExpires);
  if (!expires) return std::nullopt;
  auto seconds = leading_seconds(*expires);
  if (!seconds) return std::nullopt;
  SessionTimer timer;
  timer.we_are_uac = true;
  const auto most = std::chrono::duration_cast<std::chrono::seconds>(policy.max_interval).count();
  // Below 90 s no compliant UAS answers; a broken one must not make us refresh in a loop.
  timer.interval = std::chrono::seconds(std::clamp<long long>(*seconds, 90, most));
  timer.refresher = refresher_param(*expires) == "uas" ? Refresher::Uas : Refresher::Uac;
  return timer;
}

}  // namespace sb::sip::session
