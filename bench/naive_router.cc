// bench/naive_router.cc: full scans, on purpose.
#include "bench/naive_router.h"

namespace sb::bench {

NaiveRouter::NaiveRouter(const Clock& clock, const acd::RoutingConfig& config)
    : clock_(clock), config_(config), epoch_(clock.now()), agents_(config.agents.size()) {
  for (size_t i = 0; i < agents_.size(); ++i) {
    agents_[i].proficiency.assign(config.skills.size(), 0);
    for (const auto& s : config.agents[i].skills) {
      agents_[i].proficiency[acd::index_of(s.skill)] = s.proficiency;
    }
  }
}

bool NaiveRouter::eligible(const Agent& a, uint32_t queue) const {
  for (const auto& r : config_.queues[queue].skills) {
    if (a.proficiency[acd::index_of(r.skill)] < r.min_proficiency) {
      return false;
    }
  }
  return true;
}

std::optional<uint32_t> NaiveRouter::arrive(uint64_t id, uint32_t queue, int priority) {
  const int64_t seniority = (clock_.now() - epoch_).count();
  std::optional<uint32_t> best;
  for (uint32_t i = 0; i < agents_.size(); ++i) {
    const Agent& a = agents_[i];
    if (a.free && eligible(a, queue) && (!best || a.idle_since < agents_[*best].idle_since)) {
      best = i;
    }
  }
  if (best) {
    agents_[*best].free = false;
    return best;
  }
  const double minutes = static_cast<double>(seniority) / 60e6;
  waiting_.push_back(Waiting{id, queue,
                             config_.queues[queue].priority + priority -
                                 config_.aging_per_minute * minutes,
                             seniority, ++sequence_});
  return std::nullopt;
}

std::optional<uint64_t> NaiveRouter::agent_free(uint32_t agent) {
  Agent& a = agents_[agent];
  a.idle_since = clock_.now();
  size_t best = waiting_.size();
  for (size_t i = 0; i < waiting_.size(); ++i) {
    const Waiting& w = waiting_[i];
    if (!eligible(a, w.queue)) {
      continue;
    }
    if (best == waiting_.size() || w.score > waiting_[best].score ||
        (w.score == waiting_[best].score && w.seniority < waiting_[best].seniority) ||
        (w.score == waiting_[best].score && w.seniority == waiting_[best].seniority &&
         w.sequence < waiting_[best].sequence)) {
      best = i;
    }
  }
  if (best == waiting_.size()) {
    a.free = true;
    return std::nullopt;
  }
  const uint64_t id = waiting_[best].id;
  waiting_[best] = waiting_.back();
  waiting_.pop_back();
  return id;
}

void NaiveRouter::answered(uint32_t) {}

}  // namespace sb::bench
