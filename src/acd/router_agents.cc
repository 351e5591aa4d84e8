// acd/router_agents.cc: the agent side of the router: login, ready / not-ready with reason
// codes, wrap-up, missed offers, and keeping each agent's place in the pools' free sets.
#include <algorithm>

#include "acd/router.h"

namespace sb::acd {

using detail::InteractionState;
using detail::Presence;

namespace {

bool is_staffed(Presence p) {
  return p == Presence::Ready || p == Presence::Missed || p == Presence::WrapUp;
}

int total_load(const detail::AgentRuntime& a) {
  int load = static_cast<int>(a.offers.size());
  for (int c = 0; c < kChannelCount; ++c) {
    load += a.active[c];
  }
  return load;
}

}  // namespace

bool Router::is_routable(const detail::AgentRuntime& a, Channel channel) const {
  if (a.presence != Presence::Ready || a.pending_not_ready) {
    return false;
  }
  const int c = static_cast<int>(channel);
  const AgentConfig& cfg = config_.agents[&a - agents_.data()];
  if (cfg.capacity[c] <= 0) {
    return false;
  }
  if (channel == Channel::Voice) {
    return total_load(a) == 0;  // a voice call takes the agent whole
  }
  const int voice = static_cast<int>(Channel::Voice);
  return a.offered[voice] + a.active[voice] == 0 && a.offered[c] + a.active[c] < cfg.capacity[c];
}

detail::AvailKey Router::make_avail_key(AgentId agent, detail::Membership& m) {
  const auto& a = agents_[index_of(agent)];
  detail::Pool& pool = pools_[m.pool];
  detail::AvailKey key{m.penalty, 0, micros_since_epoch(a.idle_since), index_of(agent)};
  switch (pool.strategy) {
    case Strategy::LongestIdle:
    case Strategy::RingAll:
      break;
    case Strategy::RoundRobin:
    case Strategy::Linear:
      key.primary = m.position;
      key.secondary = 0;
      break;
    case Strategy::FewestInteractions:
      key.primary = static_cast<double>(a.handled);
      break;
    case Strategy::LeastTalkTime:
      key.primary = to_seconds(a.talk_time);
      break;
    case Strategy::BestSkillMatch:
      key.primary = -m.proficiency;
      break;
    case Strategy::Random:
    case Strategy::WeightedRandom: {
      // Exponential race: each free agent holds an Exp(weight) clock started at the race's
      // current time; the smallest wins. Memorylessness makes every pick proportional to
      // weight, whenever agents join, with an O(log n) ordered set.
      const double weight =
          pool.strategy == Strategy::Random ? 1.0 : config_.agents[index_of(agent)].weight;
      std::exponential_distribution<double> race(weight);
      key.primary = pool.race_clock + race(rng_);
      key.secondary = 0;
      break;
    }
  }
  return key;
}

void Router::refresh_availability(AgentId agent, bool rekey) {
  auto& a = agents_[index_of(agent)];
  uint8_t routable = 0;
  for (int c = 0; c < kChannelCount; ++c) {
    routable |= is_routable(a, static_cast<Channel>(c)) ? (1u << c) : 0u;
  }
  if (routable == a.routable_channels && (!rekey || routable == 0)) {
    return;  // the free sets already hold the agent exactly where it belongs
  }
  a.routable_channels = routable;
  for (auto& m : a.memberships) {
    detail::Pool& pool = pools_[m.pool];
    const bool want = (routable >> static_cast<int>(pool.channel)) & 1u;
    if (m.inserted && (!want || rekey)) {
      pool.available.erase(m.key);
      m.inserted = false;
    }
    if (want && !m.inserted) {
      m.key = make_avail_key(agent, m);
      pool.available.insert(m.key);
      m.inserted = true;
    }
  }
}

void Router::set_presence(AgentId agent, Presence presence, ReasonCode reason, Actions& out,
                          bool defer_availability) {
  auto& a = agents_[index_of(agent)];
  const bool was_staffed = is_staffed(a.presence);
  a.presence = presence;
  a.reason = presence == Presence::NotReady ? reason : ReasonCode{};
  a.state_since = clock_.now();
  ++a.timer_generation;
  const bool staffed = is_staffed(presence);
  if (was_staffed != staffed) {
    const int delta = staffed ? 1 : -1;
    for (const auto& m : a.memberships) {
      pools_[m.pool].staffed += delta;
    }
    const AgentConfig& cfg = config_.agents[index_of(agent)];
    for (QueueId q : a.base_queues) {
      const int capacity = cfg.capacity[static_cast<int>(config_.queues[index_of(q)].channel)];
      ewt_.add_servers(q, delta * static_cast<double>(capacity) /
                              static_cast<double>(a.base_queues.size()));
    }
  }
  if (!defer_availability) {
    refresh_availability(agent);
  }
  out.push_back(AgentStateChanged{agent, agent_state(agent), a.reason});
}

// Ready again: first look for waiting work, then enter the free sets only if none was found.
// An agent freed beside a queue would otherwise be inserted into and erased from every pool
// it belongs to within the same event.
void Router::make_ready(AgentId agent, Actions& out, bool rekey) {
  set_presence(agent, Presence::Ready, {}, out, true);
  find_work_for(agent, out);
  refresh_availability(agent, rekey);
}

// The agent may take work again: give it the best waiting interaction it can serve, or leave
// it in the free sets. Called with the agent already Ready.
void Router::agent_freed(AgentId agent, Actions& out) {
  find_work_for(agent, out);
  refresh_availability(agent);
}

// The agent lost an offer without a presence change (ring-all loser, caller gone, ring-no-answer
// without a missed penalty, a chat agent still busy with others). Its caller was told "offered",
// and whoever tracks agent states from the actions (reports, the simulator's occupancy) would
// otherwise keep it offered: report where it is now, then give it work.
void Router::offer_released(AgentId agent, Actions& out) {
  refresh_availability(agent);
  const AgentState state = agent_state(agent);
  if (state != AgentState::Offered) {
    out.push_back(AgentStateChanged{agent, state, agents_[index_of(agent)].reason});
  }
  find_work_for(agent, out);
}

void Router::find_work_for(AgentId agent, Actions& out) {
  auto& a = agents_[index_of(agent)];
  // Chat and email agents with spare capacity may take several; voice at most one.
  for (int round = 0; round < 64; ++round) {
    const detail::WaitEntry* best = nullptr;
    PoolIndex best_pool = 0;
    int compared = 0;
    for (const auto& m : a.memberships) {
      detail::Pool& pool = pools_[m.pool];
      if (pool.waiting.empty() || !is_routable(a, pool.channel)) {
        continue;
      }
      ++compared;
      for (const auto& entry : pool.waiting) {
        if (best && !(entry < *best)) {
          break;  // nothing further in this pool can beat the best so far
        }
        if (!is_excluded(slots_[entry.slot], agent)) {
          best = &entry;
          best_pool = m.pool;
          break;
        }
      }
    }
    if (!best) {
      return;
    }
    const Slot slot = best->slot;
    remove_waiting(slot);
    record_departure(slots_[slot].queue);
    Explanation e{.kind = Explanation::Kind::OfferedWhenAgentFreed, .at = clock_.now(),
                  .queue = slots_[slot].queue, .step = slots_[slot].step,
                  .strategy = pools_[best_pool].strategy,
                  .available_candidates = static_cast<int>(pools_[best_pool].available.size()),
                  .competing_pools = compared};
    fill_top(e, pools_[best_pool]);
    offer(slot, best_pool, {agent}, e, out);
  }
}

void Router::become_free_or_not_ready(AgentId agent, Actions& out) {
  auto& a = agents_[index_of(agent)];
  if (a.pending_not_ready) {
    a.pending_not_ready = false;
    set_presence(agent, Presence::NotReady, a.pending_reason, out);
    return;
  }
  a.idle_since = clock_.now();
  // A chat or email agent with spare capacity stayed in the free sets while it worked, keyed
  // by its old idle time and counts: re-key it, or it keeps its old place in longest-idle,
  // fewest-interactions and least-talk-time order.
  make_ready(agent, out, a.presence == Presence::Ready);
}

// Ring-no-answer or rejection: exclude the agent from this interaction for the queue's
// re-offer exclusion, put the agent out of rotation, and offer the interaction onward.
void Router::miss(Slot slot, AgentId agent, Actions& out) {
  auto& it = slots_[slot];
  auto& a = agents_[index_of(agent)];
  const QueueConfig& qc = config_.queues[index_of(it.queue)];
  const TimePoint now = clock_.now();
  std::erase(it.offered_to, agent);
  std::erase(a.offers, slot);
  --a.offered[static_cast<int>(it.channel)];
  out.push_back(CancelOffer{it.id, agent});
  if (qc.reoffer_exclusion > Duration::zero()) {
    std::erase_if(it.exclusions, [&](const detail::Exclusion& x) { return x.until <= now; });
    it.exclusions.push_back({agent, now + qc.reoffer_exclusion});
    // Not tied to the queue generation: the exclusion follows the caller into an overflow
    // queue, and so must the moment it ends.
    schedule(now + qc.reoffer_exclusion, detail::TimerKind::ExclusionEnd, slot, index_of(it.id),
             0);
  }
  if (it.offered_to.empty()) {
    requeue_after_failed_offer(slot, out);
  }
  ++a.consecutive_misses;
  const MissedPolicy& policy = config_.missed;
  if (a.presence != Presence::Ready) {
    return;  // already logged out or not ready
  }
  if (policy.auto_not_ready_after > 0 && a.consecutive_misses >= policy.auto_not_ready_after) {
    a.pending_not_ready = false;
    set_presence(agent, Presence::NotReady, policy.not_ready_reason, out);
  } else if (total_load(a) > 0) {
    offer_released(agent, out);  // still busy with other chats, maybe room for another
  } else if (a.pending_not_ready) {
    // Asked for not-ready while this offer rang, and now free: apply it. Going to Missed
    // instead would bring the agent back to Ready with the request still pending, where it
    // is neither routable nor ever made not-ready (stuck "available").
    become_free_or_not_ready(agent, out);
  } else if (policy.penalty > Duration::zero()) {
    set_presence(agent, Presence::Missed, {}, out);
    schedule(now + policy.penalty, detail::TimerKind::MissedEnd, index_of(agent), 0,
             a.timer_generation);
  } else {
    offer_released(agent, out);
  }
}

Actions Router::on_agent_login(AgentId agent, bool ready) {
  Actions out;
  catch_up(out);
  if (index_of(agent) >= agents_.size() || agents_[index_of(agent)].presence != Presence::LoggedOut) {
    return out;
  }
  auto& a = agents_[index_of(agent)];
  a.idle_since = clock_.now();
  a.consecutive_misses = 0;
  a.pending_not_ready = false;
  // fewest-interactions and least-talk-time count "since login" (config.h); without the reset
  // an agent back from a logout would be ranked by the calls of an earlier session.
  a.handled = 0;
  a.talk_time = Duration::zero();
  if (ready) {
    make_ready(agent, out);
  } else {
    set_presence(agent, Presence::NotReady, {}, out);
  }
  return out;
}

Actions Router::on_agent_logout(AgentId agent) {
  Actions out;
  catch_up(out);
  if (index_of(agent) >= agents_.size() || agents_[index_of(agent)].presence == Presence::LoggedOut) {
    return out;
  }
  auto& a = agents_[index_of(agent)];
  a.pending_not_ready = false;
  set_presence(agent, Presence::LoggedOut, {}, out);
  // Offers ringing this agent go to the next agent, without a miss and without exclusion.
  const std::vector<Slot> ringing = a.offers;
  for (Slot slot : ringing) {
    auto& it = slots_[slot];
    std::erase(it.offered_to, agent);
    std::erase(a.offers, slot);
    --a.offered[static_cast<int>(it.channel)];
    out.push_back(CancelOffer{it.id, agent});
    if (it.offered_to.empty()) {
      requeue_after_failed_offer(slot, out);
    }
  }
  // Queues that leave when nobody is logged in: callers waiting there go now, each once.
  // Callers already in virtual hold stay: their callback waits for the next agent, like it
  // does past max wait. (Draining "until the pool is empty" looped forever with a callback
  // target, whose callers stay in place.)
  std::vector<QueueId> emptied;
  for (const auto& m : a.memberships) {
    const QueueId q = pools_[m.pool].queue;
    if (config_.queues[index_of(q)].overflow_when_no_agents &&
        pools_[queue_pools_[index_of(q)].back()].staffed == 0 &&
        std::find(emptied.begin(), emptied.end(), q) == emptied.end()) {
      emptied.push_back(q);
    }
  }
  for (QueueId q : emptied) {
    std::vector<Slot> leaving;
    for (PoolIndex p : queue_pools_[index_of(q)]) {
      for (const auto& entry : pools_[p].waiting) {
        if (!slots_[entry.slot].virtual_hold) {
          leaving.push_back(entry.slot);
        }
      }
    }
    for (Slot slot : leaving) {
      overflow(slot, Overflow::Why::NoAgents, out);
    }
  }
  return out;
}

Actions Router::on_agent_ready(AgentId agent) {
  Actions out;
  catch_up(out);
  if (index_of(agent) >= agents_.size()) {
    return out;
  }
  auto& a = agents_[index_of(agent)];
  switch (a.presence) {
    case Presence::LoggedOut:
      return on_agent_login(agent, true);
    case Presence::Ready:
      a.pending_not_ready = false;  // "ready after all": cancels a pending not-ready
      agent_freed(agent, out);
      break;
    case Presence::NotReady:
      a.consecutive_misses = 0;
      a.idle_since = clock_.now();
      make_ready(agent, out);
      break;
    case Presence::Missed:
      make_ready(agent, out);  // idle time kept: the miss cost it enough
      break;
    case Presence::WrapUp:
      a.pending_not_ready = false;
      become_free_or_not_ready(agent, out);
      break;
  }
  return out;
}

Actions Router::on_agent_not_ready(AgentId agent, ReasonCode reason) {
  Actions out;
  catch_up(out);
  if (index_of(agent) >= agents_.size() || index_of(reason) >= config_.reason_codes.size()) {
    return out;
  }
  auto& a = agents_[index_of(agent)];
  if (a.presence == Presence::LoggedOut) {
    return out;
  }
  if (total_load(a) > 0 && a.presence == Presence::Ready) {
    // Busy or ringing: not ready once this work is done ("not ready after this call").
    a.pending_not_ready = true;
    a.pending_reason = reason;
    refresh_availability(agent);
    return out;
  }
  a.pending_not_ready = false;
  set_presence(agent, Presence::NotReady, reason, out);
  return out;
}

Actions Router::on_wrap_up_done(AgentId agent) {
  Actions out;
  catch_up(out);
  if (index_of(agent) < agents_.size() && agents_[index_of(agent)].presence == Presence::WrapUp) {
    become_free_or_not_ready(agent, out);
  }
  return out;
}

AgentState Router::agent_state(AgentId agent) const {
  const auto& a = agents_[index_of(agent)];
  switch (a.presence) {
    case Presence::LoggedOut: return AgentState::LoggedOut;
    case Presence::NotReady: return AgentState::NotReady;
    case Presence::Missed: return AgentState::Missed;
    case Presence::WrapUp: return AgentState::WrapUp;
    case Presence::Ready: break;
  }
  if (!a.offers.empty()) {
    return AgentState::Offered;
  }
  return total_load(a) > 0 ? AgentState::Busy : AgentState::Available;
}

ReasonCode Router::agent_reason(AgentId agent) const { return agents_[index_of(agent)].reason; }

}  // namespace sb::acd
