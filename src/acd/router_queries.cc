// acd/router_queries.cc: read-only views of the router for the call layer, the API and the
// simulator, and the per-interaction routing explanations.
#include "acd/router.h"

namespace sb::acd {

using detail::InteractionState;

QueueSnapshot Router::queue_snapshot(QueueId queue) const {
  QueueSnapshot s;
  const size_t q = index_of(queue);
  if (q >= config_.queues.size()) {
    return s;
  }
  s.waiting = static_cast<int>(queue_waiting_[q]);
  s.virtual_hold = queue_virtual_[q];
  const auto& base = pools_[queue_pools_[q][0]];
  s.staffed = base.staffed;
  s.available = static_cast<int>(base.available.size());
  // O(waiting in this queue): the order is by priority, not by age, so the oldest caller
  // can be anywhere. Snapshots are for wallboards, not for the routing path.
  TimePoint oldest = TimePoint::max();
  for (PoolIndex p : queue_pools_[q]) {
    for (const auto& entry : pools_[p].waiting) {
      oldest = std::min(oldest, slots_[entry.slot].queued_at);
    }
  }
  if (oldest != TimePoint::max()) {
    s.oldest_wait = clock_.now() - oldest;
  }
  return s;
}

std::optional<InteractionSnapshot> Router::interaction(InteractionId id) const {
  const Slot slot = find_slot(id);
  if (slot == detail::kNoSlot) {
    return std::nullopt;
  }
  const auto& it = slots_[slot];
  InteractionSnapshot s;
  s.queue = it.queue;
  s.state = it.state;
  s.virtual_hold = it.virtual_hold;
  s.step = it.step;
  s.predicted_wait = it.predicted_wait;
  s.agent = it.agent;
  if (it.state == InteractionState::Waiting && slot_is_indexed(slot)) {
    s.position = position_of(slot);
    s.estimated_wait = estimate_wait(it.queue, s.position);
  }
  return s;
}

const std::vector<Explanation>* Router::explanations(InteractionId id) const {
  const Slot slot = find_slot(id);
  if (slot != detail::kNoSlot) {
    return &slots_[slot].explanations;
  }
  const uint32_t place = history_index_.find(index_of(id));
  return place == detail::IdMap::kAbsent ? nullptr : &history_[place].second;
}

std::string Router::explain(InteractionId id) const {
  const auto* list = explanations(id);
  return list ? describe_all(*list, config_) : std::string("unknown interaction\n");
}

void Router::record(Slot slot, Explanation e) {
  auto& list = slots_[slot].explanations;
  // Bounded: a caller bounced between agents for an hour must not grow without limit.
  if (list.size() >= 32) {
    list.erase(list.begin() + 1);
  }
  list.push_back(e);
}

void Router::fill_top(Explanation& e, const detail::Pool& pool) const {
  e.shown = 0;
  for (const auto& k : pool.available) {
    if (e.shown == e.top.size()) {
      break;
    }
    const Duration idle = clock_.now() - agents_[k.agent].idle_since;
    e.top[e.shown++] = Candidate{AgentId{k.agent}, k.penalty, k.primary, idle};
  }
}

}  // namespace sb::acd
