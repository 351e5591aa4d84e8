// bench/naive_router.h: the anchor for the routing benchmark and the differential test: the
// same decisions as acd::Router for longest-idle queues with skills and priorities, made the
// way a straightforward ACD makes them: by scanning every agent or every waiting caller.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "acd/config.h"
#include "common/clock.h"

namespace sb::bench {

class NaiveRouter {
 public:
  NaiveRouter(const Clock& clock, const acd::RoutingConfig& config);

  // Each returns the agent (or interaction) offered, if any.
  std::optional<uint32_t> arrive(uint64_t id, uint32_t queue, int priority);
  std::optional<uint64_t> agent_free(uint32_t agent);  // login, or end of the last call
  void answered(uint32_t agent);                         // offered -> busy

 private:
  struct Agent {
    bool free = false;
    TimePoint idle_since{};
    std::vector<int> proficiency;  // per skill, 0 = none
  };
  struct Waiting {
    uint64_t id;
    uint32_t queue;
    double score;
    int64_t seniority;
    uint64_t sequence;
  };
  bool eligible(const Agent& a, uint32_t queue) const;

  const Clock& clock_;
  const acd::RoutingConfig& config_;
  TimePoint epoch_;
  std::vector<Agent> agents_;
  std::vector<Waiting> waiting_;
  uint64_t sequence_ = 0;
};

}  // namespace sb::bench
