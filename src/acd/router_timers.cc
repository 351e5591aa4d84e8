// acd/router_timers.cc: everything that happens because time passed: eligibility expansion,
// max wait, position announcements, callback offers, ring timeouts, the end of a re-offer
// exclusion, wrap-up and missed penalties. Timers are invalidated lazily by generation.
#include "acd/router.h"

namespace sb::acd {

using detail::InteractionState;
using detail::Presence;
using detail::TimerKind;

void Router::schedule(TimePoint at, TimerKind kind, uint32_t target, uint64_t id,
                      uint64_t generation) {
  timers_.push(detail::Timer{at, kind, target, id, generation, ++timer_sequence_});
}

void Router::schedule_queue_timers(Slot slot) {
  const auto& it = slots_[slot];
  if (!slot_of_.contains(index_of(it.id)) || it.queue_generation == 0) {
    return;  // left already (overflowed on entry)
  }
  const QueueConfig& qc = config_.queues[index_of(it.queue)];
  const uint64_t id = index_of(it.id);
  const uint64_t gen = it.queue_generation;
  if (!qc.expansion.empty()) {
    schedule(it.queued_at + qc.expansion[0].after, TimerKind::Expansion, slot, id, gen);
  }
  if (it.max_wait_at) {
    schedule(*it.max_wait_at, TimerKind::MaxWait, slot, id, gen);
  }
  if (qc.announce_every && *qc.announce_every > Duration::zero()) {
    schedule(it.queued_at + *qc.announce_every, TimerKind::Announce, slot, id, gen);
  }
  if (qc.callback_after && it.channel == Channel::Voice) {
    schedule(it.queued_at + *qc.callback_after, TimerKind::CallbackOffer, slot, id, gen);
  }
}

std::optional<TimePoint> Router::next_deadline() const {
  if (timers_.empty()) {
    return std::nullopt;
  }
  return timers_.top().at;
}

Actions Router::on_tick() {
  Actions out;
  catch_up(out);
  return out;
}

// Every entry point first runs the deadlines that are already due, so the router's state is
// never behind its clock: an event at the very instant an exclusion or a wrap-up ends sees
// the world after that deadline, whether or not the caller ticked first.
void Router::catch_up(Actions& out) {
  const TimePoint now = clock_.now();
  while (!timers_.empty() && timers_.top().at <= now) {
    const detail::Timer timer = timers_.top();
    timers_.pop();
    fire(timer, out);
  }
}

void Router::fire(const detail::Timer& timer, Actions& out) {
  if (timer.kind == TimerKind::WrapUpEnd || timer.kind == TimerKind::MissedEnd) {
    auto& a = agents_[timer.target];
    const Presence expected =
        timer.kind == TimerKind::WrapUpEnd ? Presence::WrapUp : Presence::Missed;
    if (a.timer_generation != timer.generation || a.presence != expected) {
      return;
    }
    if (timer.kind == TimerKind::WrapUpEnd) {
      become_free_or_not_ready(AgentId{timer.target}, out);
    } else {
      make_ready(AgentId{timer.target}, out);
    }
    return;
  }

  const Slot slot = timer.target;
  if (slot >= slots_.size() || index_of(slots_[slot].id) != timer.id ||
      !slot_of_.contains(timer.id)) {
    return;  // the interaction has ended; the slot may hold another one now
  }
  auto& it = slots_[slot];
  const QueueConfig& qc = config_.queues[index_of(it.queue)];
  if (timer.kind == TimerKind::RingTimeout) {
    if (it.state == InteractionState::Offered && it.offer_generation == timer.generation) {
      const std::vector<AgentId> ringing = it.offered_to;
      for (AgentId agent : ringing) {
        if (slot_of_.contains(timer.id) && slots_[slot].state == InteractionState::Offered) {
          miss(slot, agent, out);
        }
      }
    }
    return;
  }
  if (timer.kind == TimerKind::ExclusionEnd) {
    // Someone who was excluded may be free now; the interaction may take them.
    if (it.state == InteractionState::Waiting && slot_is_indexed(slot)) {
      remove_waiting(slot);
      route_interaction(slot, Explanation::Kind::Reoffered, out);
      if (slots_[slot].state == InteractionState::Waiting) {
        insert_waiting(slot);
      } else {
        record_departure(slots_[slot].queue);
      }
    }
    return;
  }
  if (it.queue_generation != timer.generation) {
    return;  // re-queued elsewhere since
  }
  const bool waiting = it.state == InteractionState::Waiting;
  switch (timer.kind) {
    case TimerKind::Expansion: {
      const size_t next = static_cast<size_t>(it.step) + 1;
      if (next > qc.expansion.size() || it.state == InteractionState::Connected) {
        return;  // nothing wider to reach, or answered: eligibility no longer matters
      }
      if (waiting) {
        remove_waiting(slot);
      }
      it.step = static_cast<int>(next);
      it.pool = queue_pools_[index_of(it.queue)][next];
      record(slot, Explanation{.kind = Explanation::Kind::Expanded, .at = clock_.now(),
                               .queue = it.queue, .step = it.step, .strategy = qc.strategy});
      if (next < qc.expansion.size()) {
        schedule(it.queued_at + qc.expansion[next].after, TimerKind::Expansion, slot, timer.id,
                 timer.generation);
      }
      if (waiting) {
        route_interaction(slot, Explanation::Kind::OfferedAfterExpansion, out);
        if (slots_[slot].state == InteractionState::Waiting) {
          insert_waiting(slot);
        } else {
          record_departure(slots_[slot].queue);
        }
      }
      return;
    }
    case TimerKind::MaxWait:
      if (waiting && !it.virtual_hold) {
        overflow(slot, Overflow::Why::MaxWait, out);
      }
      return;
    case TimerKind::Announce:
      if (waiting && !it.virtual_hold) {
        const int position = position_of(slot);
        out.push_back(AnnouncePosition{it.id, position, estimate_wait(it.queue, position)});
      }
      if (it.state != InteractionState::Connected) {
        schedule(clock_.now() + *qc.announce_every, TimerKind::Announce, slot, timer.id,
                 timer.generation);
      }
      return;
    case TimerKind::CallbackOffer:
      if (waiting && !it.virtual_hold && !it.callback_offered) {
        it.callback_offered = true;
        out.push_back(
            OfferCallback{it.id, it.queue, estimate_wait(it.queue, position_of(slot))});
      }
      return;
    default:
      return;
  }
}

}  // namespace sb::acd
