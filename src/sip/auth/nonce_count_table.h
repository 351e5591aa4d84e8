// sip/auth/nonce_count_table.h: replay protection for digest credentials (RFC 7616 §3.3,
// RFC 2617 §3.2.2): the highest nonce-count accepted per nonce. Bounded: entries leave when
// their nonce expires, and when the table is full the oldest nonce is forgotten. A forgotten
// nonce must not become replayable, so any nonce issued no later than the newest forgotten
// one, and not in the table, is answered Forgotten (the server then sends stale=TRUE).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/clock.h"

namespace sb::sip::auth {

enum class NonceCountVerdict : uint8_t {
  Accepted,   // higher than any count seen for this nonce; now recorded
  Replayed,   // equal to or lower than a count already accepted
  Forgotten,  // the table no longer knows this nonce; make the client fetch a new one
};

class NonceCountTable {
 public:
  explicit NonceCountTable(size_t capacity);

  // Checks and records `nc` for `nonce`, a genuine unexpired nonce issued at `issued_at` that
  // dies at `expires_at`. Call only once the digest itself was verified: recording counts of
  // unverified requests would let anyone holding a nonce lock its owner out. Purges expired
  // entries first.
  NonceCountVerdict record(std::string_view nonce, uint32_t nc, TimePoint issued_at,
                           TimePoint expires_at, TimePoint now);

  // Drops the entries whose nonce has expired at `now`.
  void purge(TimePoint now);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t highest_nc = 0;
    TimePoint issued_at{};
    TimePoint expires_at{};
  };
  void forget_oldest();

  size_t capacity_;
  std::unordered_map<std::string, Entry> entries_;
  // Issue order; with one lifetime for every nonce, also expiry order.
  std::set<std::pair<TimePoint, std::string>> by_issue_;
  std::optional<TimePoint> forgotten_through_;
};

}  // namespace sb::sip::auth
