// sip/session/reliable_provisional.cc: RFC 3262 bookkeeping.
#include "sip/session/reliable_provisional.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "sip/ascii.h"
#include "sip/parse/split.h"

namespace sb::sip::session {
namespace {

// A 1*DIGIT that fits RFC 3262's range (1..2^32-1).
std::optional<uint32_t> number(std::string_view s) {
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return n;
}

bool lists(const Message& m, HeaderName header, std::string_view option) {
  std::vector<std::string_view> tokens;
  for (std::string_view value : m.values(header)) {
    split_comma_list(value, tokens);
  }
  for (std::string_view token : tokens) {
    if (iequals(trim_lws(token), option)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string RAck::value() const {
  return std::to_string(rseq) + " " + std::to_string(cseq) + " " + std::string(method_name(method));
}

std::optional<RAck> parse_rack(std::string_view value) {
  value = trim_lws(value);
  const size_t a = value.find_first_of(" \t");
  if (a == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = trim_lws(value.substr(a));
  const size_t b = rest.find_first_of(" \t");
  if (b == std::string_view::npos) {
    return std::nullopt;
  }
  auto rseq = number(value.substr(0, a));
  auto cseq = number(rest.substr(0, b));
  const Method method = parse_method(trim_lws(rest.substr(b)));
  if (!rseq || !cseq || method == Method::Unknown) {
    return std::nullopt;
  }
  return RAck{*rseq, *cseq, method};
}

bool supports_option(const Message& message, std::string_view option) {
  return lists(message, HeaderName::Supported, option) || lists(message, HeaderName::Require, option);
}

bool requires_option(const Message& message, std::string_view option) {
  return lists(message, HeaderName::Require, option);
}

bool allows_method(const Message& message, Method method) {
  return lists(message, HeaderName::Allow, method_name(method));
}

uint32_t ReliableSender::sent(uint32_t cseq, bool with_sdp, TimePoint now, Duration t1) {
  const uint32_t rseq = next_rseq_;
  // §3: each new reliable 1xx of the transaction takes the next number (wrapping never
  // happens in practice: the start is below 2^31).
  next_rseq_ = next_rseq_ == UINT32_MAX ? 1 : next_rseq_ + 1;
  unacked_ = Unacked{rseq, cseq, with_sdp, now, now + t1, t1, 64 * t1};
  return rseq;
}

bool ReliableSender::prack_received(const RAck& rack) {
  if (!unacked_ || rack.method != Method::Invite || rack.rseq != unacked_->rseq || rack.cseq != unacked_->cseq) {
    return false;
  }
  unacked_.reset();
  return true;
}

std::optional<TimePoint> ReliableSender::next_retransmit() const {
  if (!unacked_) {
    return std::nullopt;
  }
  // The last wake-up is at 64*T1 itself, to give up on time.
  return std::min(unacked_->next, unacked_->first_sent + unacked_->give_up_after);
}

bool ReliableSender::retransmitted(TimePoint now) {
  if (!unacked_) {
    return false;
  }
  if (now - unacked_->first_sent >= unacked_->give_up_after) {
    return false;
  }
  unacked_->interval *= 2;
  unacked_->next = now + unacked_->interval;
  return true;
}

ProvisionalKind ReliableReceiver::classify(const Message& provisional) {
  if (provisional.status() <= 100 || provisional.status() >= 200 || !requires_option(provisional, "100rel")) {
    return ProvisionalKind::Unreliable;
  }
  auto header = provisional.first(HeaderName::RSeq);
  auto rseq = header ? number(trim_lws(*header)) : std::nullopt;
  if (!rseq || *rseq == 0) {
    return ProvisionalKind::Unreliable;
  }
  if (!last_rseq_) {
    last_rseq_ = *rseq;
    return ProvisionalKind::Prack;
  }
  if (*rseq <= *last_rseq_) {
    return ProvisionalKind::Duplicate;
  }
  if (*rseq != *last_rseq_ + 1) {
    return ProvisionalKind::OutOfOrder;
  }
  last_rseq_ = *rseq;
  return ProvisionalKind::Prack;
}

}  // namespace sb::sip::session
