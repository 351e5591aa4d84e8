// bench/center_fixture.cc
#include "bench/center_fixture.h"

#include <algorithm>
#include <random>

namespace sb::bench {

acd::RoutingConfig make_center(const CenterShape& shape) {
  std::mt19937_64 rng(shape.seed);
  acd::RoutingConfig c;
  for (int s = 0; s < shape.skills; ++s) {
    c.skills.push_back("skill" + std::to_string(s));
  }
  for (int q = 0; q < shape.queues; ++q) {
    acd::QueueConfig queue;
    queue.name = "queue" + std::to_string(q);
    queue.priority = q % shape.priorities;
    queue.skills = {{acd::SkillId(static_cast<uint16_t>(q % shape.skills)), 1 + (q / shape.skills) % 3}};
    queue.ring_timeout = std::chrono::seconds(0);
    c.queues.push_back(queue);
  }
  std::uniform_int_distribution<int> skill(0, shape.skills - 1);
  std::uniform_int_distribution<int> proficiency(1, 5);
  for (int a = 0; a < shape.agents; ++a) {
    acd::AgentConfig agent;
    agent.name = "agent" + std::to_string(a);
    while (static_cast<int>(agent.skills.size()) < shape.skills_per_agent) {
      const auto s = acd::SkillId(static_cast<uint16_t>(skill(rng)));
      if (std::none_of(agent.skills.begin(), agent.skills.end(),
                       [&](const acd::AgentSkill& x) { return x.skill == s; })) {
        agent.skills.push_back({s, proficiency(rng)});
      }
    }
    c.agents.push_back(agent);
  }
  c.explanation_history = 1000;
  return c;
}

sim::TrafficModel make_day(const acd::RoutingConfig& center, int calls, Duration aht,
                           uint64_t seed) {
  sim::TrafficModel t;
  t.seed = seed;
  t.day_start = std::chrono::hours(8);
  t.day_length = std::chrono::hours(10);
  t.interval = std::chrono::minutes(15);
  // 40 intervals: ramp up to a late-morning peak, lunch dip, afternoon bump, evening fade.
  std::vector<double> profile;
  for (int i = 0; i < 40; ++i) {
    const double hour = 8 + i / 4.0;
    double w = hour < 11 ? 0.5 + (hour - 8) / 3 : hour < 13 ? 1.4 - (hour - 11) * 0.25
               : hour < 15 ? 1.0 + (hour - 13) * 0.1 : 1.2 - (hour - 15) * 0.25;
    profile.push_back(std::max(0.2, w));
  }
  for (size_t q = 0; q < center.queues.size(); ++q) {
    sim::QueueTraffic qt;
    qt.queue = acd::QueueId{static_cast<uint32_t>(q)};
    qt.calls_per_day = static_cast<double>(calls) / static_cast<double>(center.queues.size());
    qt.profile = profile;
    qt.handle_time = {sim::DurationDistribution::Kind::Exponential, aht, {}, {}};
    qt.patience = sim::DurationDistribution{sim::DurationDistribution::Kind::Exponential,
                                            std::chrono::seconds(180), {}, {}};
    t.queues.push_back(qt);
  }
  return t;
}

}  // namespace sb::bench
