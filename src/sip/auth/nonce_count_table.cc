// sip/auth/nonce_count_table.cc
#include "sip/auth/nonce_count_table.h"

namespace sb::sip::auth {

NonceCountTable::NonceCountTable(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

NonceCountVerdict NonceCountTable::record(std::string_view nonce, uint32_t nc, TimePoint issued_at,
                                          TimePoint expires_at, TimePoint now) {
  purge(now);
  auto it = entries_.find(std::string(nonce));
  if (it != entries_.end()) {
    if (nc <= it->second.highest_nc) {
      return NonceCountVerdict::Replayed;
    }
    it->second.highest_nc = nc;
    return NonceCountVerdict::Accepted;
  }
  if (forgotten_through_ && issued_at <= *forgotten_through_) {
    return NonceCountVerdict::Forgotten;
  }
  // nc starts at 1 (RFC 7616 §3.4); 0 can never be higher than "nothing seen yet".
  if (nc == 0) {
    return NonceCountVerdict::Replayed;
  }
  while (entries_.size() >= capacity_ && !by_issue_.empty()) {
    forget_oldest();
  }
  entries_.emplace(std::string(nonce), Entry{nc, issued_at, expires_at});
  by_issue_.emplace(issued_at, std::string(nonce));
  return NonceCountVerdict::Accepted;
}

void NonceCountTable::purge(TimePoint now) {
  while (!by_issue_.empty()) {
    auto oldest = by_issue_.begin();
    auto entry = entries_.find(oldest->second);
    if (entry != entries_.end() && entry->second.expires_at > now) {
      return;
    }
    if (entry != entries_.end()) {
      entries_.erase(entry);
    }
    by_issue_.erase(oldest);
  }
}

void NonceCountTable::forget_oldest() {
  auto oldest = by_issue_.begin();
  if (oldest == by_issue_.end()) {
    return;
  }
  if (!forgotten_through_ || oldest->first > *forgotten_through_) {
    forgotten_through_ = oldest->first;
  }
  entries_.erase(oldest->second);
  by_issue_.erase(oldest);
}

}  // namespace sb::sip::auth
