// acd/router_invariants.cc: the router's self-check. Stuck agents and stuck callers are the
// most common bug class in the self-hosted ACDs; this finds them. O(agents + interactions).
#include <fmt/format.h>

#include <algorithm>

#include "acd/router.h"

namespace sb::acd {

using detail::InteractionState;
using detail::Presence;

std::vector<std::string> Router::check_invariants() const {
  std::vector<std::string> problems;
  auto fail = [&](std::string text) {
    if (problems.size() < 50) {
      problems.push_back(std::move(text));
    }
  };

  // Agents: offers point back at offered interactions; free-set membership matches state.
  std::vector<int> staffed(pools_.size(), 0);
  for (size_t ai = 0; ai < agents_.size(); ++ai) {
    const auto& a = agents_[ai];
    const std::string& name = config_.agents[ai].name;
    int offered = 0;
    for (Slot slot : a.offers) {
      const auto& it = slots_[slot];
      if (!slot_of_.contains(index_of(it.id)) || it.state != InteractionState::Offered ||
          std::find(it.offered_to.begin(), it.offered_to.end(), AgentId(ai)) ==
              it.offered_to.end()) {
        fail(fmt::format("agent {} is reserved for an interaction that is not offered to them",
                         name));
      }
    }
    for (int c = 0; c < kChannelCount; ++c) {
      offered += a.offered[c];
      if (a.active[c] < 0 || a.offered[c] < 0) {
        fail(fmt::format("agent {} has a negative load counter", name));
      }
    }
    if (offered != static_cast<int>(a.offers.size())) {
      fail(fmt::format("agent {} counts {} offers but holds {}", name, offered, a.offers.size()));
    }
    if (a.presence == Presence::LoggedOut && !a.offers.empty()) {
      fail(fmt::format("agent {} is logged out but still offered work", name));
    }
    for (const auto& m : a.memberships) {
      const auto& pool = pools_[m.pool];
      const bool want = is_routable(a, pool.channel);
      const bool present = m.inserted && pool.available.contains(m.key);
      if (want != present || m.inserted != present) {
        fail(fmt::format("agent {} is {} the free set of queue {} step {} but should {}be", name,
                         present ? "in" : "missing from", config_.queues[index_of(pool.queue)].name,
                         pool.step, want ? "" : "not "));
      }
      if (a.presence == Presence::Ready || a.presence == Presence::Missed ||
          a.presence == Presence::WrapUp) {
        ++staffed[m.pool];
      }
    }
  }

  // Interactions: each live one is indexed exactly where its state says.
  size_t waiting = 0;
  std::vector<size_t> queue_waiting(queue_waiting_.size(), 0);
  std::vector<int> queue_virtual(queue_virtual_.size(), 0);
  std::vector<std::pair<uint64_t, Slot>> live;
  slot_of_.for_each([&](uint64_t id, uint32_t slot) { live.emplace_back(id, slot); });
  for (const auto& [id, slot] : live) {
    const auto& it = slots_[slot];
    const bool indexed = slot_is_indexed(slot);
    if (index_of(it.id) != id) {
      fail(fmt::format("interaction {} maps to a slot holding {}", id, index_of(it.id)));
    }
    queue_virtual[index_of(it.queue)] += it.virtual_hold ? 1 : 0;
    switch (it.state) {
      case InteractionState::Waiting:
        if (!indexed) {
          fail(fmt::format("interaction {} waits but is in no queue (stuck caller)", id));
        }
        ++waiting;
        ++queue_waiting[index_of(it.queue)];
        break;
      case InteractionState::Offered: {
        const bool ring_all = config_.queues[index_of(it.queue)].strategy == Strategy::RingAll;
        if (it.offered_to.empty() || (it.offered_to.size() > 1 && !ring_all)) {
          fail(fmt::format("interaction {} is offered to {} agents", id, it.offered_to.size()));
        }
        for (AgentId agent : it.offered_to) {
          const auto& offers = agents_[index_of(agent)].offers;
          if (std::find(offers.begin(), offers.end(), slot) == offers.end()) {
            fail(fmt::format("interaction {} rings agent {} who does not know it", id,
                             config_.agents[index_of(agent)].name));
          }
        }
        [[fallthrough]];
      }
      case InteractionState::Connected:
        if (indexed) {
          fail(fmt::format("interaction {} is with an agent but still queued", id));
        }
        break;
    }
  }

  // Counts.
  size_t pooled = 0;
  for (size_t p = 0; p < pools_.size(); ++p) {
    pooled += pools_[p].waiting.size();
    if (pools_[p].staffed != staffed[p]) {
      fail(fmt::format("queue {} step {} counts {} staffed agents, not {}",
                       config_.queues[index_of(pools_[p].queue)].name, pools_[p].step,
                       pools_[p].staffed, staffed[p]));
    }
  }
  if (pooled != waiting || waiting != waiting_total_) {
    fail(fmt::format("waiting counts disagree: {} indexed, {} waiting, {} counted", pooled,
                     waiting, waiting_total_));
  }
  for (size_t q = 0; q < queue_waiting_.size(); ++q) {
    if (queue_waiting_[q] != queue_waiting[q]) {
      fail(fmt::format("queue {} ranks {} callers but {} wait", config_.queues[q].name,
                       queue_waiting_[q], queue_waiting[q]));
    }
    if (queue_virtual_[q] != queue_virtual[q]) {
      fail(fmt::format("queue {} counts {} callbacks in virtual hold but holds {}",
                       config_.queues[q].name, queue_virtual_[q], queue_virtual[q]));
    }
  }

  // No free agent beside a caller it could take (unless the re-offer exclusion forbids it).
  for (const auto& pool : pools_) {
    if (pool.available.empty() || pool.waiting.empty()) {
      continue;
    }
    for (const auto& entry : pool.waiting) {
      const auto& it = slots_[entry.slot];
      for (const auto& k : pool.available) {
        if (!is_excluded(it, AgentId{k.agent})) {
          fail(fmt::format("agent {} is free while interaction {} waits for them in queue {}",
                           config_.agents[k.agent].name, index_of(it.id),
                           config_.queues[index_of(pool.queue)].name));
          break;
        }
      }
      if (it.exclusions.empty()) {
        break;  // the head is not blocked by exclusions; one report per pool is enough
      }
    }
  }
  return problems;
}

}  // namespace sb::acd
