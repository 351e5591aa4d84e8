// acd/router.cc: the interaction side of the router: arrival, queueing, offers, answers,
// abandonment, overflow and callbacks. Agents are in router_agents.cc, time in
// router_timers.cc, the self-check in router_invariants.cc.
#include "acd/router.h"

#include <algorithm>

namespace sb::acd {

using detail::InteractionState;
using detail::Presence;

Router::Router(const Clock& clock, RoutingConfig config, uint64_t seed)
    : clock_(clock), config_(std::move(config)), epoch_(clock.now()), rng_(seed) {
  agents_.resize(config_.agents.size());
  ewt_.reset(config_.queues);
  build_pools();
  queue_waiting_.assign(config_.queues.size(), 0);
  queue_virtual_.assign(config_.queues.size(), 0);
  rr_last_position_.assign(config_.queues.size(), -1);
}

detail::WaitKey Router::wait_key(const NewInteraction& in, TimePoint seniority) {
  // Aging adds aging_per_minute points per minute waited. Because every interaction ages at
  // the same rate, "priority + rate * (now - seniority)" orders like "priority - rate *
  // seniority": a constant key, so the indexes never need re-sorting as time passes.
  const QueueConfig& queue = config_.queues[index_of(in.queue)];
  int extra = in.priority + (is_vip(in) ? config_.vip.boost : 0);
  double minutes = static_cast<double>(micros_since_epoch(seniority)) / 60e6;
  return detail::WaitKey{queue.priority + extra - config_.aging_per_minute * minutes,
                         micros_since_epoch(seniority), ++sequence_};
}

bool Router::is_vip(const NewInteraction& in) const {
  if (in.vip) {
    return true;
  }
  for (const auto& [key, value] : in.attached) {
    if (key == config_.vip.attribute) {
      return !value.empty() && value != "0" && value != "false" && value != "no" &&
             value != "none";
    }
  }
  return false;
}

Router::Slot Router::new_slot() {
  if (!free_slots_.empty()) {
    Slot slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  slots_.emplace_back();
  return static_cast<Slot>(slots_.size() - 1);
}

Router::Slot Router::find_slot(InteractionId id) const {
  const uint32_t slot = slot_of_.find(index_of(id));
  return slot == detail::IdMap::kAbsent ? detail::kNoSlot : slot;
}

void Router::free_slot(Slot slot, Actions&) {
  auto& it = slots_[slot];
  const uint64_t id = index_of(it.id);
  if (it.virtual_hold) {
    --queue_virtual_[index_of(it.queue)];
  }
  if (config_.explanation_history > 0) {
    // A ring of the last N: the oldest entry makes room, its vector's memory is reused.
    size_t place = history_.size();
    if (history_.size() < config_.explanation_history) {
      history_.emplace_back(id, std::move(it.explanations));
    } else {
      place = history_next_;
      const uint64_t evicted = history_[place].first;
      if (history_index_.find(evicted) == place) {
        history_index_.erase(evicted);
      }
      history_[place].first = id;
      std::swap(history_[place].second, it.explanations);
      history_next_ = (place + 1) % config_.explanation_history;
    }
    history_index_.insert(id, static_cast<uint32_t>(place));
  }
  slot_of_.erase(id);
  // Generations keep counting across reuse of the slot: if the same interaction id comes back
  // into this slot, timers of its earlier life (same slot, same id) must not match it.
  const uint64_t queue_generation = it.queue_generation;
  const uint64_t offer_generation = it.offer_generation;
  it = detail::InteractionRuntime{};
  it.queue_generation = queue_generation;
  it.offer_generation = offer_generation;
  free_slots_.push_back(slot);
}

Actions Router::on_arrived(const NewInteraction& in) {
  Actions out;
  catch_up(out);
  if (index_of(in.queue) >= config_.queues.size() || slot_of_.contains(index_of(in.id))) {
    return out;  // unknown queue or duplicate id: the caller's bug, never a corrupt index
  }
  enqueue(admit(in), in.queue, false, out);
  return out;
}

Actions Router::on_arrived_for_agent(const NewInteraction& in, AgentId agent) {
  Actions out;
  catch_up(out);
  if (index_of(in.queue) >= config_.queues.size() || index_of(agent) >= agents_.size() ||
      slot_of_.contains(index_of(in.id))) {
    return out;
  }
  const QueueConfig& qc = config_.queues[index_of(in.queue)];
  if (!is_routable(agents_[index_of(agent)], qc.channel)) {
    return out;  // busy, ringing, in wrap-up, not ready or logged out
  }
  const Slot slot = admit(in);
  place_in(slot, in.queue);
  auto& it = slots_[slot];
  Explanation e{.kind = Explanation::Kind::OfferedToNamedAgent, .at = clock_.now(), .queue = in.queue,
                .strategy = qc.strategy};
  offer(slot, it.pool, {agent}, e, out);
  schedule_queue_timers(slot);
  return out;
}

// A slot for a new interaction, keyed for waiting from now.
Router::Slot Router::admit(const NewInteraction& in) {
  const TimePoint now = clock_.now();
  Slot slot = new_slot();
  auto& it = slots_[slot];
  it.id = in.id;
  it.arrived_at = now;
  it.extra_priority = in.priority + (is_vip(in) ? config_.vip.boost : 0);
  it.key = wait_key(in, now);
  slot_of_.insert(index_of(in.id), slot);
  return slot;
}

// The interaction now belongs to `queue`, at its base eligibility step, not yet routed.
void Router::place_in(Slot slot, QueueId queue) {
  auto& it = slots_[slot];
  const QueueConfig& qc = config_.queues[index_of(queue)];
  const TimePoint now = clock_.now();
  it.queue = queue;
  it.channel = qc.channel;
  it.queued_at = now;
  it.step = 0;
  it.pool = queue_pools_[index_of(queue)][0];
  it.state = InteractionState::Waiting;
  it.callback_offered = false;
  it.max_wait_at = qc.max_wait ? std::optional(now + *qc.max_wait) : std::nullopt;
  ++it.queue_generation;
}

void Router::enqueue(Slot slot, QueueId queue, bool keep_seniority, Actions& out) {
  auto& it = slots_[slot];
  const QueueConfig& qc = config_.queues[index_of(queue)];
  const TimePoint now = clock_.now();
  if (keep_seniority) {
    // Overflow into another queue: that queue's priority applies, the caller's seniority stays.
    const TimePoint seniority = epoch_ + Duration(it.key.seniority);
    NewInteraction again{it.id, queue, it.extra_priority, false};
    it.key = wait_key(again, seniority);
  }
  place_in(slot, queue);

  if (qc.overflow_when_no_agents && pools_[queue_pools_[index_of(queue)].back()].staffed == 0) {
    overflow(slot, Overflow::Why::NoAgents, out);
    if (qc.overflow.kind == OverflowKind::Callback) {
      // Still in this queue, in virtual hold: its expansion steps must still run, or an agent
      // eligible only at a wider step who logs in later never gets the callback.
      schedule_queue_timers(slot);
    }
    return;
  }
  route_interaction(slot, Explanation::Kind::OfferedOnArrival, out);
  if (it.state == InteractionState::Waiting) {
    insert_waiting(slot);
    int position = position_of(slot);
    it.predicted_wait = estimate_wait(queue, position);
    Explanation e{.kind = Explanation::Kind::Queued, .at = now, .queue = queue,
                  .strategy = qc.strategy};
    record(slot, e);
    out.push_back(Queued{it.id, queue, position, it.predicted_wait});
  }
  schedule_queue_timers(slot);
}

void Router::insert_waiting(Slot slot) {
  auto& it = slots_[slot];
  pools_[it.pool].waiting.insert(detail::WaitEntry{it.key, slot});
  if (++queue_waiting_[index_of(it.queue)] == 1) {
    ewt_.queue_became_busy(it.queue, clock_.now());
  }
  ++waiting_total_;
}

void Router::record_departure(QueueId queue) {
  ewt_.record_departure(queue, clock_.now(), queue_waiting_[index_of(queue)]);
}

void Router::remove_waiting(Slot slot) {
  auto& it = slots_[slot];
  pools_[it.pool].waiting.erase(detail::WaitEntry{it.key, slot});
  --queue_waiting_[index_of(it.queue)];
  --waiting_total_;
}

bool Router::is_excluded(const detail::InteractionRuntime& it, AgentId agent) const {
  if (it.exclusions.empty()) {
    return false;
  }
  const TimePoint now = clock_.now();
  return std::any_of(it.exclusions.begin(), it.exclusions.end(), [&](const detail::Exclusion& e) {
    return e.agent == agent && e.until > now;
  });
}

// Picks agents for a waiting (not indexed) interaction from its step's pool and offers it.
// Leaves the interaction Waiting when nobody eligible is free.
void Router::route_interaction(Slot slot, Explanation::Kind kind, Actions& out) {
  auto& it = slots_[slot];
  const PoolIndex pool_index = it.pool;
  detail::Pool& pool = pools_[pool_index];
  if (pool.available.empty()) {
    return;
  }
  Explanation e{.kind = kind, .at = clock_.now(), .queue = it.queue, .step = it.step,
                .strategy = pool.strategy,
                .available_candidates = static_cast<int>(pool.available.size())};
  std::vector<AgentId> chosen;
  auto usable = [&](const detail::AvailKey& k) {
    if (is_excluded(it, AgentId{k.agent})) {
      ++e.excluded;
      return false;
    }
    return true;
  };
  if (pool.strategy == Strategy::RingAll) {
    // Every usable agent of the lowest penalty that has one. The group is set by the first
    // usable agent, not the first free one: when the whole best group is excluded after a
    // miss, the next group rings in full, not just its first agent.
    std::optional<int> group;
    for (const auto& k : pool.available) {
      if (group && k.penalty != *group) {
        break;
      }
      if (usable(k)) {
        group = k.penalty;
        chosen.push_back(AgentId{k.agent});
      }
    }
  } else {
    auto first = pool.available.begin();
    if (pool.strategy == Strategy::RoundRobin) {
      // rrmemory: continue after the last agent offered, within the best penalty group.
      const int best_penalty = first->penalty;
      const double after = rr_last_position_[index_of(it.queue)];
      auto next = pool.available.upper_bound(
          detail::AvailKey{best_penalty, after, std::numeric_limits<int64_t>::max(),
                           std::numeric_limits<uint32_t>::max()});
      for (auto k = next; k != pool.available.end() && k->penalty == best_penalty; ++k) {
        if (usable(*k)) {
          chosen.push_back(AgentId{k->agent});
          break;
        }
      }
    }
    for (auto k = first; chosen.empty() && k != pool.available.end(); ++k) {
      if (usable(*k)) {
        chosen.push_back(AgentId{k->agent});
      }
    }
  }
  if (chosen.empty()) {
    return;
  }
  fill_top(e, pool);
  offer(slot, pool_index, std::move(chosen), e, out);
}

void Router::offer(Slot slot, PoolIndex pool_index, std::vector<AgentId> agents, Explanation e,
                   Actions& out) {
  auto& it = slots_[slot];
  detail::Pool& pool = pools_[pool_index];
  const int channel = static_cast<int>(it.channel);
  for (AgentId agent : agents) {
    auto& a = agents_[index_of(agent)];
    a.offers.push_back(slot);
    ++a.offered[channel];
    if (pool.strategy == Strategy::RoundRobin || pool.strategy == Strategy::Random ||
        pool.strategy == Strategy::WeightedRandom) {
      for (const auto& m : a.memberships) {
        if (m.pool != pool_index) {
          continue;
        }
        if (pool.strategy == Strategy::RoundRobin) {
          rr_last_position_[index_of(it.queue)] = m.position;
        } else if (m.inserted) {
          pool.race_clock = std::max(pool.race_clock, m.key.primary);  // the race's winner
        }
      }
    }
    refresh_availability(agent);
    out.push_back(AgentStateChanged{agent, AgentState::Offered, a.reason});
  }
  it.state = InteractionState::Offered;
  it.offered_to = agents;
  ++it.offer_generation;
  e.chosen = agents.front();
  record(slot, e);
  const Duration ring_timeout = config_.queues[index_of(it.queue)].ring_timeout;
  if (ring_timeout > Duration::zero()) {
    schedule(clock_.now() + ring_timeout, detail::TimerKind::RingTimeout, slot,
             index_of(it.id), it.offer_generation);
  }
  out.push_back(OfferToAgents{it.id, it.queue, std::move(agents), it.virtual_hold});
}

// Cancels the offer to every agent ringing for `slot` except `keep`; the agents go back to
// work with their idle time untouched (losing a ring-all race is not their fault).
void Router::withdraw_offers(Slot slot, std::optional<AgentId> keep, Actions& out) {
  auto& it = slots_[slot];
  std::vector<AgentId> released;
  for (AgentId agent : it.offered_to) {
    if (keep && agent == *keep) {
      continue;
    }
    auto& a = agents_[index_of(agent)];
    std::erase(a.offers, slot);
    --a.offered[static_cast<int>(it.channel)];
    out.push_back(CancelOffer{it.id, agent});
    released.push_back(agent);
  }
  it.offered_to.clear();
  if (keep) {
    it.offered_to.push_back(*keep);
  }
  for (AgentId agent : released) {
    auto& a = agents_[index_of(agent)];
    if (a.presence == Presence::Ready && a.pending_not_ready && a.offers.empty() &&
        a.active[0] + a.active[1] + a.active[2] == 0) {
      become_free_or_not_ready(agent, out);
    } else {
      offer_released(agent, out);
    }
  }
}

void Router::requeue_after_failed_offer(Slot slot, Actions& out) {
  auto& it = slots_[slot];
  it.state = InteractionState::Waiting;
  if (!it.virtual_hold && it.max_wait_at && clock_.now() >= *it.max_wait_at) {
    overflow(slot, Overflow::Why::MaxWait, out);
    return;
  }
  route_interaction(slot, Explanation::Kind::Reoffered, out);
  if (it.state == InteractionState::Waiting) {
    insert_waiting(slot);  // same key: the caller keeps their place
  }
}

void Router::overflow(Slot slot, Overflow::Why why, Actions& out) {
  auto& it = slots_[slot];
  const QueueConfig& qc = config_.queues[index_of(it.queue)];
  OverflowTarget target = qc.overflow;
  if (target.kind == OverflowKind::None) {
    target.kind = OverflowKind::Hangup;
  }
  Explanation e{.kind = Explanation::Kind::Overflowed, .at = clock_.now(), .queue = it.queue,
                .step = it.step, .strategy = qc.strategy};
  record(slot, e);
  out.push_back(Overflow{it.id, it.queue, target, why});
  const bool indexed = it.state == InteractionState::Waiting && slot_is_indexed(slot);
  switch (target.kind) {
    case OverflowKind::Queue:
      if (indexed) {
        remove_waiting(slot);
        record_departure(it.queue);
      }
      enqueue(slot, target.queue, true, out);
      break;
    case OverflowKind::Callback:
      if (!it.virtual_hold) {
        it.virtual_hold = true;
        ++queue_virtual_[index_of(it.queue)];
      }
      if (!indexed) {
        // Overflowing straight out of a failed offer: someone may be free for it right now.
        route_interaction(slot, Explanation::Kind::Reoffered, out);
        if (it.state == InteractionState::Waiting) {
          insert_waiting(slot);
        }
      }
      break;
    default:
      if (indexed) {
        remove_waiting(slot);
        record_departure(it.queue);
      }
      free_slot(slot, out);
      break;
  }
}

bool Router::slot_is_indexed(Slot slot) const {
  const auto& it = slots_[slot];
  const auto& waiting = pools_[it.pool].waiting;
  return waiting.find(detail::WaitEntry{it.key, slot}) != waiting.end();
}

Actions Router::on_abandoned(InteractionId id) {
  Actions out;
  catch_up(out);
  Slot slot = find_slot(id);
  if (slot == detail::kNoSlot) {
    return out;
  }
  auto& it = slots_[slot];
  switch (it.state) {
    case InteractionState::Waiting:
      remove_waiting(slot);
      record_departure(it.queue);
      break;
    case InteractionState::Offered:
      withdraw_offers(slot, std::nullopt, out);
      break;
    case InteractionState::Connected:
      return on_ended(id);
  }
  free_slot(slot, out);
  return out;
}

Actions Router::on_callback_accepted(InteractionId id) {
  Actions out;
  catch_up(out);
  Slot slot = find_slot(id);
  if (slot == detail::kNoSlot || slots_[slot].virtual_hold ||
      slots_[slot].state != InteractionState::Waiting) {
    return out;
  }
  // Virtual hold: the same entry, same key, same place; only the caller is off the line.
  slots_[slot].virtual_hold = true;
  ++queue_virtual_[index_of(slots_[slot].queue)];
  return out;
}

Actions Router::on_answered(InteractionId id, AgentId agent) {
  Actions out;
  catch_up(out);
  Slot slot = find_slot(id);
  if (slot == detail::kNoSlot || slots_[slot].state != InteractionState::Offered ||
      std::find(slots_[slot].offered_to.begin(), slots_[slot].offered_to.end(), agent) ==
          slots_[slot].offered_to.end()) {
    return out;  // late answer after a cancel or timeout: the call layer hangs it up
  }
  auto& it = slots_[slot];
  withdraw_offers(slot, agent, out);
  auto& a = agents_[index_of(agent)];
  const int channel = static_cast<int>(it.channel);
  std::erase(a.offers, slot);
  --a.offered[channel];
  ++a.active[channel];
  a.consecutive_misses = 0;
  it.state = InteractionState::Connected;
  it.agent = agent;
  it.answered_at = clock_.now();
  it.offered_to.clear();
  // Kept with the interaction: how good the wait estimate was is measured, not assumed.
  record(slot, Explanation{.kind = Explanation::Kind::Answered, .at = it.answered_at,
                           .queue = it.queue, .step = it.step,
                           .strategy = config_.queues[index_of(it.queue)].strategy,
                           .chosen = agent, .predicted_wait = it.predicted_wait,
                           .actual_wait = it.answered_at - it.arrived_at});
  if (it.virtual_hold) {
    it.virtual_hold = false;
    --queue_virtual_[index_of(it.queue)];
  }
  refresh_availability(agent);
  // Busy, unless other chats still ring this agent (agent_state() says Offered then).
  out.push_back(AgentStateChanged{agent, agent_state(agent), a.reason});
  find_work_for(agent, out);  // chat and email agents may take more
  return out;
}

Actions Router::on_rejected(InteractionId id, AgentId agent) {
  return on_ring_timeout(id, agent);
}

Actions Router::on_ring_timeout(InteractionId id, AgentId agent) {
  Actions out;
  catch_up(out);
  Slot slot = find_slot(id);
  if (slot == detail::kNoSlot || slots_[slot].state != InteractionState::Offered ||
      std::find(slots_[slot].offered_to.begin(), slots_[slot].offered_to.end(), agent) ==
          slots_[slot].offered_to.end()) {
    return out;
  }
  miss(slot, agent, out);
  return out;
}

Actions Router::on_ended(InteractionId id) {
  Actions out;
  catch_up(out);
  Slot slot = find_slot(id);
  if (slot == detail::kNoSlot) {
    return out;
  }
  auto& it = slots_[slot];
  if (it.state != InteractionState::Connected) {
    return on_abandoned(id);
  }
  const AgentId agent = *it.agent;
  auto& a = agents_[index_of(agent)];
  const QueueConfig& qc = config_.queues[index_of(it.queue)];
  const Duration talk = clock_.now() - it.answered_at;
  --a.active[static_cast<int>(it.channel)];
  a.talk_time += talk;
  ++a.handled;
  a.last_queue = it.queue;
  ewt_.record_handle_time(it.queue, talk + qc.wrap_up);
  free_slot(slot, out);
  if (a.presence != Presence::Ready) {
    return out;  // logged out (or not ready) while talking: nothing to resume
  }
  const bool idle = a.active[0] + a.active[1] + a.active[2] + a.offers.size() == 0;
  if (idle && qc.wrap_up > Duration::zero()) {
    set_presence(agent, Presence::WrapUp, a.reason, out);
    schedule(clock_.now() + qc.wrap_up, detail::TimerKind::WrapUpEnd, index_of(agent), 0,
             a.timer_generation);
  } else if (idle) {
    become_free_or_not_ready(agent, out);
  } else {
    refresh_availability(agent, true);
    find_work_for(agent, out);
  }
  return out;
}

int Router::position_of(Slot slot) const {
  const auto& it = slots_[slot];
  size_t ahead = 0;
  for (PoolIndex p : queue_pools_[index_of(it.queue)]) {
    ahead += pools_[p].waiting.order_of_key(detail::WaitEntry{it.key, slot});
  }
  return static_cast<int>(ahead) + 1;
}

Duration Router::estimate_wait(QueueId queue, int position) const {
  const auto& pool = pools_[queue_pools_[index_of(queue)][0]];
  return ewt_.estimate(queue, position, static_cast<int>(pool.available.size()));
}

}  // namespace sb::acd
