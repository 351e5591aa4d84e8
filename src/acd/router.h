// acd/router.h: routing decisions. Pure: no I/O, no threads, time from the Clock.
// Every entry point returns what the caller must do; the router never calls out. The same
// router runs in the live server and in `switchboard simulate`, so a routing bug replays.
#pragma once

#include <optional>
#include <deque>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "acd/actions.h"
#include "acd/config.h"
#include "acd/ewt.h"
#include "acd/id_map.h"
#include "acd/router_types.h"
#include "common/clock.h"

namespace sb::acd {

// What the caller knows about a new interaction.
struct NewInteraction {
  InteractionId id{};
  QueueId queue{};
  int priority = 0;   // on top of the queue's priority
  bool vip = false;   // a VIP known by other means; attached data can also say so
  // Data attached by the IVR or the CRM lookup. When RoutingConfig::vip.attribute is present
  // with a truthy value ("true", "yes", "1", a tier name, ...) the VIP boost applies.
  std::vector<std::pair<std::string, std::string>> attached = {};
};

struct QueueSnapshot {
  int waiting = 0;          // including callbacks in virtual hold
  int virtual_hold = 0;
  int staffed = 0;          // logged in and not not-ready, base rule
  int available = 0;        // free right now, base rule
  Duration oldest_wait{};
};

struct InteractionSnapshot {
  QueueId queue{};
  detail::InteractionState state{};
  bool virtual_hold = false;
  int step = 0;
  int position = 0;         // 1-based while waiting, else 0
  Duration estimated_wait{};
  Duration predicted_wait{};  // the estimate given when it was queued
  std::optional<AgentId> agent;
};

class Router {
 public:
  // `seed` drives the random strategies only; the rest is deterministic.
  Router(const Clock& clock, RoutingConfig config, uint64_t seed = 1);

  // Interactions.
  Actions on_arrived(const NewInteraction& interaction);
  Actions on_abandoned(InteractionId id);             // caller gone before or while offered
  Actions on_answered(InteractionId id, AgentId agent);
  Actions on_rejected(InteractionId id, AgentId agent);      // declined: counts as a miss
  Actions on_ring_timeout(InteractionId id, AgentId agent);  // ring-no-answer
  Actions on_ended(InteractionId id);                  // conversation over: wrap-up starts
  Actions on_callback_accepted(InteractionId id);      // caller took the virtual-hold offer
  // A transfer to a named agent: the interaction is offered to `agent` alone, now, when the
  // agent is free for the queue's channel; nothing happens otherwise (interaction(id) stays
  // empty: the caller reports the agent busy). Should the agent not answer or reject it, the
  // interaction waits in `interaction.queue` like any other, seniority from now.
  Actions on_arrived_for_agent(const NewInteraction& interaction, AgentId agent);

  // Agents.
  Actions on_agent_login(AgentId agent, bool ready = true);
  Actions on_agent_logout(AgentId agent);
  Actions on_agent_ready(AgentId agent);               // also ends wrap-up or missed early
  Actions on_agent_not_ready(AgentId agent, ReasonCode reason);
  Actions on_wrap_up_done(AgentId agent);

  // Time: run every deadline that is due (expansion, max wait, announcements, callback
  // offers, ring timeouts, wrap-up and missed penalties). Call when the clock reaches
  // next_deadline(), or at least once a second.
  Actions on_tick();
  std::optional<TimePoint> next_deadline() const;

  // Queries (cheap; for the call layer, the API and the simulator).
  AgentState agent_state(AgentId agent) const;
  ReasonCode agent_reason(AgentId agent) const;
  QueueSnapshot queue_snapshot(QueueId queue) const;
  std::optional<InteractionSnapshot> interaction(InteractionId id) const;
  // Every decision taken for an interaction, live or among the last ended ones.
  const std::vector<Explanation>* explanations(InteractionId id) const;
  std::string explain(InteractionId id) const;
  size_t waiting_count() const { return waiting_total_; }
  size_t waiting_count(QueueId queue) const { return queue_waiting_[index_of(queue)]; }
  // Queues whose base rule admits the agent (for reports; wider steps not included).
  const std::vector<QueueId>& queues_of(AgentId agent) const {
    return agents_[index_of(agent)].base_queues;
  }
  const RoutingConfig& config() const { return config_; }

  // Self-check of the router's invariants (no agent reserved without an offer, no
  // interaction offered to two agents except ring-all, indexes consistent with states, no
  // free agent left beside a caller it could take). Empty when healthy. O(agents + waiting).
  std::vector<std::string> check_invariants() const;

 private:
  using Slot = detail::Slot;
  using PoolIndex = detail::PoolIndex;

  // router_setup.cc
  void build_pools();
  // router.cc: interaction flow
  Slot new_slot();
  void free_slot(Slot slot, Actions& out);
  Slot admit(const NewInteraction& in);
  void enqueue(Slot slot, QueueId queue, bool keep_seniority, Actions& out);
  void place_in(Slot slot, QueueId queue);
  void insert_waiting(Slot slot);
  void remove_waiting(Slot slot);
  void record_departure(QueueId queue);  // a waiting caller left `queue` (for EWT)
  void route_interaction(Slot slot, Explanation::Kind kind, Actions& out);
  void offer(Slot slot, PoolIndex pool, std::vector<AgentId> agents, Explanation e,
             Actions& out);
  void withdraw_offers(Slot slot, std::optional<AgentId> keep, Actions& out);
  bool slot_is_indexed(Slot slot) const;
  void requeue_after_failed_offer(Slot slot, Actions& out);
  void overflow(Slot slot, Overflow::Why why, Actions& out);
  Slot find_slot(InteractionId id) const;
  int position_of(Slot slot) const;
  Duration estimate_wait(QueueId queue, int position) const;
  // router_agents.cc: agent side
  void set_presence(AgentId agent, detail::Presence presence, ReasonCode reason, Actions& out,
                    bool defer_availability = false);
  void make_ready(AgentId agent, Actions& out, bool rekey = false);
  void refresh_availability(AgentId agent, bool rekey = false);
  bool is_routable(const detail::AgentRuntime& a, Channel channel) const;
  void agent_freed(AgentId agent, Actions& out);
  void offer_released(AgentId agent, Actions& out);
  void find_work_for(AgentId agent, Actions& out);
  void miss(Slot slot, AgentId agent, Actions& out);
  void become_free_or_not_ready(AgentId agent, Actions& out);
  detail::AvailKey make_avail_key(AgentId agent, detail::Membership& m);
  // router_timers.cc
  void schedule(TimePoint at, detail::TimerKind kind, uint32_t target, uint64_t id,
                uint64_t generation);
  void schedule_queue_timers(Slot slot);
  void fire(const detail::Timer& timer, Actions& out);
  void catch_up(Actions& out);
  // explanations
  void record(Slot slot, Explanation e);
  void fill_top(Explanation& e, const detail::Pool& pool) const;

  bool is_excluded(const detail::InteractionRuntime& it, AgentId agent) const;
  detail::WaitKey wait_key(const NewInteraction& in, TimePoint seniority);
  bool is_vip(const NewInteraction& in) const;
  int64_t micros_since_epoch(TimePoint t) const { return (t - epoch_).count(); }

  const Clock& clock_;
  RoutingConfig config_;
  TimePoint epoch_;
  std::mt19937_64 rng_;
  std::vector<detail::Pool> pools_;
  std::vector<std::vector<PoolIndex>> queue_pools_;   // per queue, one pool per step
  std::vector<size_t> queue_waiting_;                 // per queue, callers waiting
  std::vector<int> queue_virtual_;                    // per queue, callbacks in virtual hold
  std::vector<int> rr_last_position_;                 // per queue
  std::vector<detail::AgentRuntime> agents_;
  std::vector<detail::InteractionRuntime> slots_;
  std::vector<Slot> free_slots_;
  detail::IdMap slot_of_;  // interaction id -> slot
  std::priority_queue<detail::Timer, std::vector<detail::Timer>, std::greater<>> timers_;
  WaitTimeEstimator ewt_;
  uint64_t sequence_ = 0;
  uint64_t timer_sequence_ = 0;
  size_t waiting_total_ = 0;
  // Explanations of ended interactions, oldest first, bounded by config.explanation_history.
  std::vector<std::pair<uint64_t, std::vector<Explanation>>> history_;  // a ring
  size_t history_next_ = 0;
  detail::IdMap history_index_;  // interaction id -> place in history_
};

}  // namespace sb::acd
