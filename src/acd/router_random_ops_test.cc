// acd/router_random_ops_test.cc: a randomized property test. Thousands of random events from a
// fixed seed (arrivals, answers, misses, ends, abandons, callbacks, agent state changes, time)
// against a config that uses every feature; after every event the router's self-check is
// empty and a model built only from the actions agrees with the router's queries. Then every
// agent comes back and works the queues empty: nobody is stuck.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "acd/router.h"
#include "acd/router_test_support.h"

namespace sb::acd {
namespace {

using namespace testing;
using ::testing::IsEmpty;
using detail::InteractionState;

constexpr SkillId kBilling{0};
constexpr SkillId kSales{1};
constexpr SkillId kSpanish{2};

RoutingConfig busy_center(std::mt19937_64& rng, bool missed_penalty) {
  RoutingConfig c = config_with_skills({"billing", "sales", "spanish"});
  c.aging_per_minute = 0.5;
  c.missed.penalty = missed_penalty ? 5s : 0s;
  c.missed.auto_not_ready_after = 3;
  c.vip.boost = 5;
  c.explanation_history = 500;

  const QueueId billing = add_queue(c, "billing", {{kBilling, 3}}, Strategy::LongestIdle);
  const QueueId sales = add_queue(c, "sales", {{kSales, 1}}, Strategy::RoundRobin);
  const QueueId spanish = add_queue(c, "spanish", {{kSpanish, 1}}, Strategy::RingAll);
  const QueueId chat = add_queue(c, "chat", {{kBilling, 1}}, Strategy::FewestInteractions);
  const QueueId lottery = add_queue(c, "lottery", {}, Strategy::Random);
  const QueueId top = add_queue(c, "top", {}, Strategy::Linear);
  const QueueId skilled = add_queue(c, "skilled", {{kBilling, 1}, {kSpanish, 1}},
                                    Strategy::BestSkillMatch);
  (void)skilled;

  QueueConfig& b = c.queues[index_of(billing)];
  b.wrap_up = 5s;
  b.ring_timeout = 15s;
  b.max_wait = 120s;
  b.overflow = {OverflowKind::Queue, sales, ""};
  b.expansion = {lower_proficiency_after(20s, 1),
                 add_queue_after(40s, sales)};
  b.callback_after = 30s;
  b.announce_every = 20s;

  QueueConfig& s = c.queues[index_of(sales)];
  s.priority = 1;
  s.max_wait = 200s;
  s.overflow = {OverflowKind::Callback, {}, ""};
  s.ring_timeout = 20s;

  QueueConfig& sp = c.queues[index_of(spanish)];
  sp.ring_timeout = 10s;
  sp.max_wait = 90s;
  sp.overflow = {OverflowKind::Voicemail, {}, "mensaje"};
  sp.overflow_when_no_agents = true;
  sp.max_penalty = 1;
  sp.expansion = {widen_penalty_after(30s, 5)};
  sp.wrap_up = 3s;

  QueueConfig& ch = c.queues[index_of(chat)];
  ch.channel = Channel::Chat;
  ch.max_wait = 300s;
  ch.overflow = {OverflowKind::Hangup, {}, ""};

  QueueConfig& l = c.queues[index_of(lottery)];
  l.overflow_when_no_agents = true;
  l.overflow = {OverflowKind::Callback, {}, ""};
  l.reoffer_exclusion = 0s;
  l.callback_after = 10s;

  QueueConfig& t = c.queues[index_of(top)];
  t.max_wait = 60s;
  t.overflow = {OverflowKind::Queue, billing, ""};

  std::uniform_int_distribution<int> proficiency(0, 5);
  std::uniform_int_distribution<int> penalty(0, 3);
  for (int i = 0; i < 10; ++i) {
    std::vector<AgentSkill> skills;
    for (SkillId skill : {kBilling, kSales, kSpanish}) {
      if (int p = proficiency(rng); p > 0) {
        skills.push_back({skill, p});
      }
    }
    if (i == 0) {
      skills = {{kBilling, 5}, {kSales, 5}, {kSpanish, 5}};  // every queue has someone
    }
    const AgentId agent = add_agent(c, "agent" + std::to_string(i), std::move(skills));
    for (uint32_t q = 0; q < c.queues.size(); ++q) {
      set_penalty(c, agent, QueueId{q}, penalty(rng));
    }
    c.agents.back().capacity[static_cast<int>(Channel::Chat)] = 1 + i % 3;
    c.agents.back().weight = 1 + i % 4;
  }
  c.queues[index_of(top)].members = {AgentId{3}, AgentId{0}, AgentId{7}};
  c.queues[index_of(lottery)].members = {AgentId{4}, AgentId{5}};  // often nobody there
  return c;
}

// What the caller of the router knows, built only from the actions it was handed.
struct Model {
  struct Live {
    QueueId queue{};
    InteractionState state = InteractionState::Waiting;
    std::set<AgentId> ringing{};
    std::optional<AgentId> agent{};
    bool virtual_hold = false;
  };
  std::map<uint64_t, Live> live;
  std::set<uint64_t> ended;       // we ended or abandoned it
  std::set<uint64_t> overflowed;  // left to voicemail or a hang-up
  std::set<uint64_t> callback_offered;
  std::map<AgentId, AgentState> reported;
  std::vector<std::string> problems;

  void problem(std::string text) {
    if (problems.size() < 20) {
      problems.push_back(std::move(text));
    }
  }

  void apply(const Actions& actions) {
    for (const auto& action : actions) {
      if (const auto* o = std::get_if<OfferToAgents>(&action)) {
        auto it = live.find(index_of(o->interaction));
        if (it == live.end()) {
          problem("offer for a gone interaction " + std::to_string(index_of(o->interaction)));
          continue;
        }
        if (it->second.state != InteractionState::Waiting) {
          problem("offer for an interaction not waiting " + std::to_string(it->first));
        }
        if (o->callback != it->second.virtual_hold) {
          problem("callback flag differs from virtual hold for " + std::to_string(it->first));
        }
        it->second.state = InteractionState::Offered;
        it->second.ringing = {o->agents.begin(), o->agents.end()};
        it->second.queue = o->queue;
      } else if (const auto* c = std::get_if<CancelOffer>(&action)) {
        auto it = live.find(index_of(c->interaction));
        if (it == live.end()) {
          continue;  // cancelled as part of an abandon we already applied
        }
        it->second.ringing.erase(c->agent);
        if (it->second.ringing.empty() && it->second.state == InteractionState::Offered) {
          it->second.state = InteractionState::Waiting;
        }
      } else if (const auto* q = std::get_if<Queued>(&action)) {
        auto it = live.find(index_of(q->interaction));
        if (it == live.end()) {
          problem("queued a gone interaction");
          continue;
        }
        it->second.queue = q->queue;
      } else if (const auto* ov = std::get_if<Overflow>(&action)) {
        const uint64_t id = index_of(ov->interaction);
        auto it = live.find(id);
        if (it == live.end()) {
          problem("overflow of a gone interaction " + std::to_string(id));
          continue;
        }
        switch (ov->to.kind) {
          case OverflowKind::Queue:
            it->second.queue = ov->to.queue;
            break;
          case OverflowKind::Callback:
            it->second.virtual_hold = true;
            break;
          default:
            live.erase(it);
            overflowed.insert(id);
            break;
        }
      } else if (const auto* cb = std::get_if<OfferCallback>(&action)) {
        callback_offered.insert(index_of(cb->interaction));
      } else if (const auto* ch = std::get_if<AgentStateChanged>(&action)) {
        reported[ch->agent] = ch->state;
      } else if (const auto* an = std::get_if<AnnouncePosition>(&action)) {
        auto it = live.find(index_of(an->interaction));
        if (it == live.end() || it->second.state != InteractionState::Waiting ||
            it->second.virtual_hold) {
          problem("announcement to a caller not waiting on the line");
        }
      }
    }
  }

  std::vector<std::pair<uint64_t, AgentId>> ringing_pairs() const {
    std::vector<std::pair<uint64_t, AgentId>> pairs;
    for (const auto& [id, l] : live) {
      for (AgentId a : l.ringing) {
        pairs.emplace_back(id, a);
      }
    }
    return pairs;
  }

  std::vector<uint64_t> with_state(InteractionState state) const {
    std::vector<uint64_t> ids;
    for (const auto& [id, l] : live) {
      if (l.state == state) {
        ids.push_back(id);
      }
    }
    return ids;
  }

  // Compares the model with the router's own view.
  void check(const Router& router, size_t agents) {
    for (const auto& [id, l] : live) {
      auto snap = router.interaction(InteractionId{id});
      if (!snap) {
        problem("interaction " + std::to_string(id) + " vanished from the router");
        continue;
      }
      if (snap->state != l.state) {
        problem("interaction " + std::to_string(id) + " state differs");
      }
      if (snap->queue != l.queue) {
        problem("interaction " + std::to_string(id) + " queue differs");
      }
      if (snap->virtual_hold != l.virtual_hold) {
        problem("interaction " + std::to_string(id) + " virtual hold differs");
      }
      if ((snap->state == InteractionState::Waiting) != (snap->position > 0)) {
        problem("interaction " + std::to_string(id) + " has no position while waiting");
      }
      if (l.state == InteractionState::Connected && snap->agent != l.agent) {
        problem("interaction " + std::to_string(id) + " connected to another agent");
      }
    }
    for (const std::set<uint64_t>* gone : {&ended, &overflowed}) {
      for (uint64_t id : *gone) {
        if (router.interaction(InteractionId{id})) {
          problem("interaction " + std::to_string(id) + " ended but the router still has it");
        }
      }
    }
    size_t waiting = 0;
    std::map<AgentId, int> ringing;
    for (const auto& [id, l] : live) {
      waiting += l.state == InteractionState::Waiting;
      for (AgentId a : l.ringing) {
        ++ringing[a];
      }
    }
    if (waiting != router.waiting_count()) {
      problem("waiting count " + std::to_string(router.waiting_count()) + ", model " +
              std::to_string(waiting));
    }
    for (uint32_t i = 0; i < agents; ++i) {
      const AgentId a{i};
      const AgentState state = router.agent_state(a);
      auto r = reported.find(a);
      const AgentState last = r == reported.end() ? AgentState::LoggedOut : r->second;
      if (last != state) {
        problem("agent " + std::to_string(i) + " is " + std::string(agent_state_name(state)) +
                " but was last reported " + std::string(agent_state_name(last)));
      }
      if (state == AgentState::Offered && ringing[a] == 0) {
        problem("agent " + std::to_string(i) + " offered, but nothing rings them");
      }
      if (ringing[a] > 0 && state != AgentState::Offered && state != AgentState::NotReady) {
        problem("agent " + std::to_string(i) + " rings but is " +
                std::string(agent_state_name(state)));
      }
    }
  }
};

class RouterRandomOps : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RouterRandomOps, InvariantsHoldAfterEveryEventAndNobodyIsLeftBehind) {
  std::mt19937_64 rng(GetParam());
  const RoutingConfig config = busy_center(rng, GetParam() % 2 == 1);
  const size_t agent_count = config.agents.size();
  const uint32_t queue_count = static_cast<uint32_t>(config.queues.size());
  VirtualClock clock(at_nine());
  Router router(clock, config, GetParam());
  Model model;
  uint64_t next_id = 1;
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  auto random_agent = [&] { return AgentId{static_cast<uint32_t>(pick(agent_count))}; };

  auto after = [&](int step, const char* what, const Actions& actions) {
    model.apply(actions);
    model.check(router, agent_count);
    auto problems = router.check_invariants();
    ASSERT_THAT(problems, IsEmpty()) << "after event " << step << " (" << what << ")";
    ASSERT_THAT(model.problems, IsEmpty()) << "after event " << step << " (" << what << ")";
  };

  for (uint32_t a = 0; a < agent_count; ++a) {
    after(-1, "login", router.on_agent_login(AgentId{a}, a % 4 != 3));
  }

  constexpr int kEvents = 4000;
  for (int step = 0; step < kEvents; ++step) {
    // Rush hours (many arrivals, callers pile up, overflow and callbacks) alternate with
    // quiet ones (free agents, ring-all races, agents logging out of empty queues).
    const bool rush = (step / 500) % 2 == 1;
    const size_t roll = pick(rush ? 100 : 80) + (rush ? 0 : 20);
    if (roll < 24) {
      const uint64_t id = next_id++;
      NewInteraction in{InteractionId{id}, QueueId{static_cast<uint32_t>(pick(queue_count))},
                        static_cast<int>(pick(4)), pick(20) == 0};
      model.live[id] = Model::Live{.queue = in.queue};
      after(step, "arrive", router.on_arrived(in));
    } else if (roll < 44) {
      auto pairs = model.ringing_pairs();
      if (pairs.empty()) {
        continue;
      }
      auto [id, agent] = pairs[pick(pairs.size())];
      auto& l = model.live[id];
      l.state = InteractionState::Connected;
      l.ringing.clear();
      l.agent = agent;
      l.virtual_hold = false;
      Actions actions = router.on_answered(InteractionId{id}, agent);
      ASSERT_FALSE(actions.empty()) << "answer refused at event " << step;
      after(step, "answer", actions);
    } else if (roll < 52) {
      auto pairs = model.ringing_pairs();
      if (pairs.empty()) {
        continue;
      }
      auto [id, agent] = pairs[pick(pairs.size())];
      Actions actions = pick(2) == 0 ? router.on_ring_timeout(InteractionId{id}, agent)
                                     : router.on_rejected(InteractionId{id}, agent);
      ASSERT_FALSE(actions.empty()) << "miss refused at event " << step;
      after(step, "miss", actions);
    } else if (roll < 66) {
      auto connected = model.with_state(InteractionState::Connected);
      if (connected.empty()) {
        continue;
      }
      const uint64_t id = connected[pick(connected.size())];
      model.live.erase(id);
      model.ended.insert(id);
      after(step, "end", router.on_ended(InteractionId{id}));
    } else if (roll < 70) {
      if (model.live.empty()) {
        continue;
      }
      auto it = std::next(model.live.begin(), static_cast<long>(pick(model.live.size())));
      const uint64_t id = it->first;
      model.live.erase(it);
      model.ended.insert(id);
      after(step, "abandon", router.on_abandoned(InteractionId{id}));
    } else if (roll < 73) {
      std::vector<uint64_t> offered;
      for (uint64_t id : model.callback_offered) {
        auto it = model.live.find(id);
        if (it != model.live.end() && it->second.state == InteractionState::Waiting &&
            !it->second.virtual_hold) {
          offered.push_back(id);
        }
      }
      if (offered.empty()) {
        continue;
      }
      const uint64_t id = offered[pick(offered.size())];
      model.live[id].virtual_hold = true;
      after(step, "callback accepted", router.on_callback_accepted(InteractionId{id}));
    } else if (roll < 85) {
      const AgentId agent = random_agent();
      switch (pick(6)) {
        case 0:
          after(step, "login", router.on_agent_login(agent, pick(2) == 0));
          break;
        case 1:
          after(step, "logout", router.on_agent_logout(agent));
          break;
        case 2:
          after(step, "ready", router.on_agent_ready(agent));
          break;
        case 3:
          after(step, "not ready",
                router.on_agent_not_ready(agent, ReasonCode{static_cast<uint16_t>(1 + pick(2))}));
          break;
        case 4:
          after(step, "wrap-up done", router.on_wrap_up_done(agent));
          break;
        default:
          after(step, "ready", router.on_agent_ready(agent));
          break;
      }
    } else {
      clock.advance(pick(10) == 0 ? Duration(std::chrono::seconds(30 + pick(120)))
                                  : Duration(std::chrono::milliseconds(pick(8000))));
      after(step, "tick", router.on_tick());
    }
    if (HasFatalFailure()) {
      return;
    }
  }

  // Every interaction is accounted for exactly once.
  for (uint64_t id = 1; id < next_id; ++id) {
    const int places = static_cast<int>(model.live.contains(id)) +
                       static_cast<int>(model.ended.contains(id)) +
                       static_cast<int>(model.overflowed.contains(id));
    ASSERT_EQ(places, 1) << "interaction " << id;
  }

  // Everybody back at work until the queues are empty: no caller is stuck.
  for (int round = 0; round < 200 && !model.live.empty(); ++round) {
    for (uint32_t a = 0; a < agent_count; ++a) {
      after(kEvents + round, "drain ready", router.on_agent_ready(AgentId{a}));
    }
    for (auto [id, agent] : model.ringing_pairs()) {
      auto& l = model.live[id];
      if (l.state != InteractionState::Offered || !l.ringing.contains(agent)) {
        continue;  // ring-all: answered by another agent in this loop already
      }
      l.state = InteractionState::Connected;
      l.ringing.clear();
      l.agent = agent;
      l.virtual_hold = false;
      after(kEvents + round, "drain answer", router.on_answered(InteractionId{id}, agent));
    }
    for (uint64_t id : model.with_state(InteractionState::Connected)) {
      model.live.erase(id);
      model.ended.insert(id);
      after(kEvents + round, "drain end", router.on_ended(InteractionId{id}));
    }
    clock.advance(31s);
    after(kEvents + round, "drain tick", router.on_tick());
    if (HasFatalFailure()) {
      return;
    }
  }
  EXPECT_THAT(model.live, IsEmpty());
  EXPECT_EQ(router.waiting_count(), 0u);
  for (uint32_t q = 0; q < queue_count; ++q) {
    EXPECT_EQ(router.queue_snapshot(QueueId{q}).virtual_hold, 0) << config.queues[q].name;
  }
  for (uint32_t a = 0; a < agent_count; ++a) {
    EXPECT_NE(router.agent_state(AgentId{a}), AgentState::Offered);
    EXPECT_NE(router.agent_state(AgentId{a}), AgentState::Busy);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RouterRandomOps, ::testing::Values(1u, 2u, 3u, 4u, 5u, 2024u));

}  // namespace
}  // namespace sb::acd
