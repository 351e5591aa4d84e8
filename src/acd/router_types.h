// acd/router_types.h: the router's internal indexes. Private to acd/ (router*.cc and tests).
// Pools are the unit of indexing: one per (queue, eligibility step), each with the free agents
// ordered by the queue's strategy and the waiting interactions in global order, so a
// decision looks at set heads instead of scanning agents or callers.
#pragma once

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include "acd/agent_state.h"
#include "acd/config.h"
#include "acd/explanation.h"
#include "acd/ids.h"
#include "common/clock.h"

namespace sb::acd::detail {

using PoolIndex = uint32_t;
using Slot = uint32_t;  // index of a live interaction in the router's slab
inline constexpr Slot kNoSlot = std::numeric_limits<Slot>::max();

// Global order of waiting interactions, the same in every pool and every queue: higher
// priority first (aging folded in as a constant, see Router::wait_key), then seniority.
struct WaitKey {
  double score = 0;      // higher first
  int64_t seniority = 0; // microseconds since the router's epoch; earlier first
  uint64_t sequence = 0; // arrival order, unique: makes the order total
  friend bool operator<(const WaitKey& a, const WaitKey& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.seniority != b.seniority) return a.seniority < b.seniority;
    return a.sequence < b.sequence;
  }
};

struct WaitEntry {
  WaitKey key;
  Slot slot = kNoSlot;
  friend bool operator<(const WaitEntry& a, const WaitEntry& b) { return a.key < b.key; }
};

// Free agents of a pool, best first: lower penalty, then the strategy's key.
struct AvailKey {
  int penalty = 0;
  double primary = 0;     // strategy key (lower wins)
  int64_t secondary = 0;  // tie-break, usually idle-since
  uint32_t agent = 0;
  friend bool operator<(const AvailKey& a, const AvailKey& b) {
    if (a.penalty != b.penalty) return a.penalty < b.penalty;
    if (a.primary != b.primary) return a.primary < b.primary;
    if (a.secondary != b.secondary) return a.secondary < b.secondary;
    return a.agent < b.agent;
  }
};

// Callers of a pool in global order, as an order-statistics tree: a caller's queue position
// is the sum of its rank in each of the queue's pools, in O(steps x log n).
using WaitingSet =
    __gnu_pbds::tree<WaitEntry, __gnu_pbds::null_type, std::less<WaitEntry>,
                     __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

struct Pool {
  QueueId queue{};
  int step = 0;
  Channel channel = Channel::Voice;
  Strategy strategy{};
  std::set<AvailKey> available;
  WaitingSet waiting;
  double race_clock = 0;   // random strategies: the exponential race's current time
  int staffed = 0;         // members logged in and not not-ready
  std::vector<AgentId> members;  // static membership, for invariants and explanations
};

// An agent's place in one pool: static except the key, which is set while inserted.
struct Membership {
  PoolIndex pool = 0;
  int penalty = 0;
  int position = 0;        // order in the queue's member list (linear, round-robin)
  int proficiency = 0;     // sum over the queue's skills (best-skill-match)
  bool inserted = false;
  AvailKey key{};
};

enum class Presence : uint8_t { LoggedOut, Ready, NotReady, Missed, WrapUp };

struct AgentRuntime {
  Presence presence = Presence::LoggedOut;
  ReasonCode reason{};
  bool pending_not_ready = false;  // asked for not-ready while busy: applied when free
  ReasonCode pending_reason{};
  TimePoint state_since{};
  TimePoint idle_since{};
  uint64_t timer_generation = 0;   // invalidates wrap-up / missed timers
  int offered[kChannelCount] = {0, 0, 0};
  int active[kChannelCount] = {0, 0, 0};
  int consecutive_misses = 0;
  int64_t handled = 0;
  Duration talk_time{};
  uint8_t routable_channels = 0;     // bit per channel: in those pools' free sets
  std::vector<Membership> memberships;
  std::vector<QueueId> base_queues;  // queues whose base rule admits the agent
  std::vector<Slot> offers;          // interactions currently ringing this agent
  QueueId last_queue{};              // queue of the last interaction (wrap-up time)
};

enum class InteractionState : uint8_t { Waiting, Offered, Connected };

struct Exclusion {
  AgentId agent{};
  TimePoint until{};
};

struct InteractionRuntime {
  InteractionId id{};
  QueueId queue{};
  Channel channel = Channel::Voice;
  InteractionState state = InteractionState::Waiting;
  bool virtual_hold = false;        // accepted a callback: keeps its place, caller not on line
  bool callback_offered = false;
  WaitKey key{};
  int extra_priority = 0;           // the interaction's own priority plus any VIP boost
  int step = 0;
  PoolIndex pool = 0;               // pool of the current step (while waiting)
  TimePoint arrived_at{};
  TimePoint queued_at{};            // entry into the current queue
  TimePoint answered_at{};
  std::optional<TimePoint> max_wait_at;
  Duration predicted_wait{};
  uint64_t offer_generation = 0;    // invalidates ring-timeout timers
  uint64_t queue_generation = 0;    // invalidates expansion/max-wait/announce timers
  std::vector<AgentId> offered_to;
  std::optional<AgentId> agent;     // connected agent
  std::vector<Exclusion> exclusions;
  std::vector<Explanation> explanations;
};

enum class TimerKind : uint8_t {
  Expansion, MaxWait, Announce, CallbackOffer, RingTimeout, ExclusionEnd,  // interaction
  WrapUpEnd, MissedEnd,                                                    // agent
};

struct Timer {
  TimePoint at{};
  TimerKind kind{};
  uint32_t target = 0;       // slot or agent index
  uint64_t id = 0;           // interaction id (slots are reused)
  uint64_t generation = 0;
  uint64_t sequence = 0;     // scheduling order: equal deadlines fire first-scheduled first
  friend bool operator>(const Timer& a, const Timer& b) {
    return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
  }
};

}  // namespace sb::acd::detail
