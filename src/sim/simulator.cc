// sim/simulator.cc: the event loop. Sim events (arrivals, abandonment, answers, hang-ups,
// shifts, breaks, samples) interleave with the router's own deadlines in time order; every
// router call is followed by its actions, and by the router's self-check when asked.
#include "sim/simulator.h"

#include <algorithm>
#include <deque>
#include <queue>

#include "acd/router.h"
#include "sim/distributions.h"
#include "sim/kpi_collector.h"

namespace sb::sim {
namespace {

using acd::AgentId;
using acd::InteractionId;
using acd::QueueId;
using namespace std::chrono_literals;

enum class EventKind : uint8_t {
  Arrival, Abandon, Answer, End, ShiftStart, ShiftEnd, BreakStart, BreakEnd, Sample, DayClose
};

struct Event {
  TimePoint at{};
  uint64_t seq = 0;
  EventKind kind{};
  uint64_t a = 0;      // call id, queue index, shift index
  uint64_t b = 0;      // agent index, break index, offer token
  uint64_t c = 0;
  friend bool operator>(const Event& x, const Event& y) {
    return x.at != y.at ? x.at > y.at : x.seq > y.seq;
  }
};

enum class CallState : uint8_t { Waiting, Ringing, Talking, Virtual, Done };

struct Call {
  QueueId queue{};       // queue of arrival: the call's statistics belong there
  int interval = 0;
  TimePoint arrived{};
  Duration handle{};
  CallState state = CallState::Waiting;
  uint64_t offer_token = 0;
  AgentId ringing{};
  QueueId answered_in{};
  bool queued = false;
  Duration predicted{};
};

struct AgentTrack {
  acd::AgentState state = acd::AgentState::LoggedOut;
  TimePoint since{};
  bool shift_over = false;
  bool on_break = false;
};

class Simulation {
 public:
  Simulation(const acd::RoutingConfig& routing, const TrafficModel& traffic,
             const SimOptions& options)
      : routing_(routing),
        traffic_(traffic),
        options_(options),
        origin_(TimePoint{} + std::chrono::hours(24 * 20454)),  // 2026-01-01, for readable logs
        clock_(origin_),
        router_(clock_, routing, options.seed.value_or(traffic.seed)),
        rng_(options.seed.value_or(traffic.seed)),
        intervals_(static_cast<int>(traffic.day_length / traffic.interval)),
        kpi_(routing, intervals_, traffic.interval, traffic.day_start),
        agents_(routing.agents.size()) {
    traffic_of_queue_.assign(routing.queues.size(), nullptr);
    for (const auto& qt : traffic_.queues) {
      traffic_of_queue_[acd::index_of(qt.queue)] = &qt;
    }
    report_.days = options.days;
    report_.seed = options.seed.value_or(traffic.seed);
    if (!routing.queues.empty()) {
      report_.target_service_level = routing.queues[0].service_level.target;
    }
  }

  SimulationReport run() {
    for (int day = 0; day < options_.days; ++day) {
      schedule_day(day);
    }
    const TimePoint horizon = day_origin(options_.days - 1) + traffic_.day_start +
                              traffic_.day_length + options_.drain;
    double last_progress = -1;
    while (true) {
      const auto router_at = router_.next_deadline();
      const bool have_event = !events_.empty();
      if (!have_event && !router_at) {
        break;
      }
      const TimePoint next = have_event && (!router_at || events_.top().at <= *router_at)
                                 ? events_.top().at
                                 : *router_at;
      if (next > horizon) {
        break;
      }
      if (!have_event || (router_at && *router_at < events_.top().at)) {
        clock_.set(std::max(clock_.now(), *router_at));
        handle(router_.on_tick());
        continue;
      }
      const Event e = events_.top();
      events_.pop();
      clock_.set(std::max(clock_.now(), e.at));
      dispatch(e);
      if (options_.progress) {
        const double fraction = to_seconds(clock_.now() - origin_) / to_seconds(horizon - origin_);
        if (fraction - last_progress >= 0.01) {
          options_.progress(std::min(1.0, fraction));
          last_progress = fraction;
        }
      }
    }
    finish_agent_time();
    kpi_.finish(report_);
    for (uint64_t id : options_.explain) {
      report_.explanations.emplace_back(id, router_.explain(InteractionId{id}));
    }
    if (ewt_samples_ > 0) {
      report_.ewt_mae_s = ewt_abs_error_ / static_cast<double>(ewt_samples_);
      report_.ewt_mean_wait_s = ewt_wait_sum_ / static_cast<double>(ewt_samples_);
    }
    report_.ewt_samples = ewt_samples_;
    report_.interactions = static_cast<int64_t>(calls_.size());
    if (options_.progress) {
      options_.progress(1.0);
    }
    return std::move(report_);
  }

 private:
  TimePoint day_origin(int day) const { return origin_ + std::chrono::hours(24) * day; }

  void push(TimePoint at, EventKind kind, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
    events_.push(Event{at, ++seq_, kind, a, b, c});
  }

  void schedule_day(int day) {
    const TimePoint open = day_origin(day) + traffic_.day_start;
    const TimePoint close = open + traffic_.day_length;
    for (const auto& qt : traffic_.queues) {
      next_arrival(acd::index_of(qt.queue), open, day);
    }
    if (traffic_.shifts.empty()) {
      // No shifts: everyone works from opening until the queues are drained (DayClose).
      push(open, EventKind::ShiftStart, kAllAgents, static_cast<uint64_t>(day));
    }
    for (size_t s = 0; s < traffic_.shifts.size(); ++s) {
      const Shift& shift = traffic_.shifts[s];
      push(day_origin(day) + shift.start, EventKind::ShiftStart, s);
      push(day_origin(day) + shift.end, EventKind::ShiftEnd, s);
      for (size_t b = 0; b < shift.breaks.size(); ++b) {
        push(day_origin(day) + shift.breaks[b].start, EventKind::BreakStart, s, b);
        push(day_origin(day) + shift.breaks[b].start + shift.breaks[b].length,
             EventKind::BreakEnd, s, b);
      }
    }
    for (TimePoint t = open; t < close; t += 1min) {
      push(t, EventKind::Sample, static_cast<uint64_t>(day));
    }
    // The drain ends before the next day opens; a 24-hour day runs on without a close.
    const Duration drain = std::min(options_.drain, std::chrono::hours(24) - traffic_.day_length);
    if (drain > Duration::zero()) {
      push(close + drain, EventKind::DayClose, static_cast<uint64_t>(day));
    }
  }

  // Poisson arrivals with a rate that is constant within each interval: draw an exponential
  // gap at the current rate; if it crosses into the next interval, restart at the boundary
  // with that interval's rate (memorylessness makes this exact).
  void next_arrival(uint64_t queue, TimePoint from, int day) {
    const QueueTraffic& qt = *traffic_of_queue_[queue];
    const TimePoint open = day_origin(day) + traffic_.day_start;
    TimePoint t = from;
    while (true) {
      const int interval = static_cast<int>((t - open) / traffic_.interval);
      if (interval >= intervals_) {
        return;
      }
      const TimePoint boundary = open + traffic_.interval * (interval + 1);
      const double rate = rate_per_second(qt, interval);
      if (rate > 0) {
        std::exponential_distribution<double> gap(rate);
        const TimePoint candidate = t + from_seconds(gap(rng_));
        if (candidate < boundary) {
          push(candidate, EventKind::Arrival, queue, static_cast<uint64_t>(day));
          return;
        }
      }
      t = boundary;
    }
  }

  double rate_per_second(const QueueTraffic& qt, int interval) const {
    const double interval_s = to_seconds(traffic_.interval);
    if (qt.profile.empty()) {
      return qt.calls_per_day / (interval_s * intervals_);
    }
    double total = 0;
    for (double w : qt.profile) {
      total += w;
    }
    const size_t i = static_cast<size_t>(interval) % qt.profile.size();
    return total > 0 ? qt.calls_per_day * qt.profile[i] / total / interval_s : 0;
  }

  void dispatch(const Event& e) {
    switch (e.kind) {
      case EventKind::Arrival: arrive(e); break;
      case EventKind::Abandon: abandon(e.a); break;
      case EventKind::Answer: answer(e.a, AgentId{static_cast<uint32_t>(e.b)}, e.c); break;
      case EventKind::End: end(e.a); break;
      case EventKind::ShiftStart: shift_start(e.a); break;
      case EventKind::ShiftEnd: shift_end(e.a); break;
      case EventKind::BreakStart: break_start(e.a, e.b); break;
      case EventKind::BreakEnd: break_end(e.a); break;
      case EventKind::Sample: sample(static_cast<int>(e.a)); break;
      case EventKind::DayClose: close_day(); break;
    }
  }

  void arrive(const Event& e) {
    const QueueId queue{static_cast<uint32_t>(e.a)};
    const int day = static_cast<int>(e.b);
    const QueueTraffic& qt = *traffic_of_queue_[e.a];
    const TimePoint open = day_origin(day) + traffic_.day_start;
    const uint64_t id = calls_.size() + 1;
    Call call;
    call.queue = queue;
    call.interval = static_cast<int>((clock_.now() - open) / traffic_.interval);
    call.arrived = clock_.now();
    call.handle = sim::sample(qt.handle_time, rng_);
    calls_.push_back(call);
    ++kpi_.cell(queue, call.interval).offered;
    if (qt.patience) {
      push(clock_.now() + sim::sample(*qt.patience, rng_), EventKind::Abandon, id);
    }
    std::bernoulli_distribution vip(qt.vip_share);
    const bool is_vip = qt.vip_share > 0 && vip(rng_);
    acd::NewInteraction interaction{InteractionId{id}, queue, qt.priority};
    if (is_vip) {
      interaction.attached.emplace_back(routing_.vip.attribute, "true");  // as a CRM would
    }
    handle(router_.on_arrived(interaction));
    next_arrival(e.a, clock_.now(), day);
  }

  Call& call_of(uint64_t id) { return calls_[id - 1]; }

  void abandon(uint64_t id) {
    Call& call = call_of(id);
    if (call.state != CallState::Waiting && call.state != CallState::Ringing) {
      return;  // answered, in virtual hold, or gone already
    }
    call.state = CallState::Done;
    ++kpi_.cell(call.queue, call.interval).abandoned;
    handle(router_.on_abandoned(InteractionId{id}));
  }

  void answer(uint64_t id, AgentId agent, uint64_t token) {
    Call& call = call_of(id);
    if (call.state != CallState::Ringing || call.offer_token != token) {
      return;
    }
    handle(router_.on_answered(InteractionId{id}, agent));
    auto snapshot = router_.interaction(InteractionId{id});
    if (!snapshot || snapshot->state != acd::detail::InteractionState::Connected) {
      return;
    }
    Call& c = call_of(id);
    c.state = CallState::Talking;
    c.answered_in = snapshot->queue;
    const Duration wait = clock_.now() - c.arrived;
    const auto& qc = routing_.queues[acd::index_of(c.queue)];
    kpi_.add_wait(c.queue, c.interval, wait, qc.service_level.threshold);
    if (c.queued) {
      ewt_abs_error_ += std::abs(to_seconds(c.predicted) - to_seconds(wait));
      ewt_wait_sum_ += to_seconds(wait);
      ++ewt_samples_;
    }
    push(clock_.now() + c.handle, EventKind::End, id);
  }

  void end(uint64_t id) {
    Call& call = call_of(id);
    if (call.state != CallState::Talking) {
      return;
    }
    call.state = CallState::Done;
    const auto& qc = routing_.queues[acd::index_of(call.answered_in)];
    kpi_.cell(call.queue, call.interval).handle_sum_s += to_seconds(call.handle + qc.wrap_up);
    handle(router_.on_ended(InteractionId{id}));
  }

  static constexpr uint64_t kAllAgents = ~0ull;

  template <typename F>
  void for_shift_agents(uint64_t shift, F f) {
    if (shift == kAllAgents) {
      for (size_t a = 0; a < agents_.size(); ++a) {
        f(AgentId{static_cast<uint32_t>(a)});
      }
      return;
    }
    for (AgentId a : traffic_.shifts[shift].agents) {
      f(a);
    }
  }

  void shift_start(uint64_t shift) {
    for_shift_agents(shift, [&](AgentId a) {
      agents_[acd::index_of(a)].shift_over = false;
      agents_[acd::index_of(a)].on_break = false;
      handle(router_.on_agent_login(a, true));
    });
  }

  // End of shift: not ready now (or after the current call and wrap-up), then log out.
  void shift_end(uint64_t shift) {
    for_shift_agents(shift, [&](AgentId a) {
      agents_[acd::index_of(a)].shift_over = true;
      handle(router_.on_agent_not_ready(a, acd::ReasonCode{0}));
      if (router_.agent_state(a) == acd::AgentState::NotReady) {
        handle(router_.on_agent_logout(a));
      }
    });
  }

  void break_start(uint64_t shift, uint64_t index) {
    const Break& b = traffic_.shifts[shift].breaks[index];
    for_shift_agents(shift, [&](AgentId a) {
      if (router_.agent_state(a) == acd::AgentState::LoggedOut) {
        return;
      }
      agents_[acd::index_of(a)].on_break = true;
      handle(router_.on_agent_not_ready(a, b.reason));
    });
  }

  void break_end(uint64_t shift) {
    for_shift_agents(shift, [&](AgentId a) {
      AgentTrack& track = agents_[acd::index_of(a)];
      if (!track.on_break || track.shift_over) {
        return;
      }
      track.on_break = false;
      handle(router_.on_agent_ready(a));
    });
  }

  void sample(int day) {
    const TimePoint open = day_origin(day) + traffic_.day_start;
    const int interval = static_cast<int>((clock_.now() - open) / traffic_.interval);
    if (interval < 0 || interval >= intervals_) {
      return;
    }
    for (size_t q = 0; q < routing_.queues.size(); ++q) {
      const QueueId queue{static_cast<uint32_t>(q)};
      auto& cell = kpi_.cell(queue, interval);
      const auto waiting = static_cast<int64_t>(router_.waiting_count(queue));
      cell.queue_length_sum += static_cast<double>(waiting);
      ++cell.queue_length_samples;
      cell.max_queue_length = std::max(cell.max_queue_length, waiting);
    }
  }

  // The day is over: callers still waiting are cut off (counted abandoned), everyone logs out.
  void close_day() {
    for (size_t i = first_open_call_; i < calls_.size(); ++i) {
      Call& call = calls_[i];
      if (call.state == CallState::Waiting || call.state == CallState::Ringing ||
          call.state == CallState::Virtual) {
        call.state = CallState::Done;
        ++kpi_.cell(call.queue, call.interval).abandoned;
        handle(router_.on_abandoned(InteractionId{i + 1}));
      }
    }
    first_open_call_ = calls_.size();
    for (size_t a = 0; a < agents_.size(); ++a) {
      handle(router_.on_agent_logout(AgentId{static_cast<uint32_t>(a)}));
    }
  }

  // Carries out the router's actions; follow-up router calls add their actions to the work.
  void handle(acd::Actions actions) {
    count_event();
    std::deque<acd::Action> work(std::make_move_iterator(actions.begin()),
                                 std::make_move_iterator(actions.end()));
    while (!work.empty()) {
      acd::Action action = std::move(work.front());
      work.pop_front();
      acd::Actions more = apply(action);
      if (!more.empty()) {
        count_event();
        work.insert(work.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
      }
    }
  }

  void count_event() {
    ++report_.events;
    if (options_.self_check_every > 0 && report_.events % options_.self_check_every == 0) {
      ++report_.self_checks;
      for (auto& problem : router_.check_invariants()) {
        if (report_.violations.size() < options_.max_violations) {
          report_.violations.push_back("event " + std::to_string(report_.events) + ": " + problem);
        }
      }
    }
  }

  acd::Actions apply(const acd::Action& action) {
    if (const auto* offer = std::get_if<acd::OfferToAgents>(&action)) {
      Call& call = call_of(acd::index_of(offer->interaction));
      call.state = CallState::Ringing;
      call.ringing = offer->agents.front();
      push(clock_.now() + traffic_.answer_delay, EventKind::Answer,
           acd::index_of(offer->interaction), acd::index_of(call.ringing), ++call.offer_token);
    } else if (const auto* cancel = std::get_if<acd::CancelOffer>(&action)) {
      Call& call = call_of(acd::index_of(cancel->interaction));
      if (call.state == CallState::Ringing && call.ringing == cancel->agent) {
        ++call.offer_token;
        call.state = CallState::Waiting;
      }
    } else if (const auto* queued = std::get_if<acd::Queued>(&action)) {
      Call& call = call_of(acd::index_of(queued->interaction));
      if (!call.queued) {
        call.queued = true;
        call.predicted = queued->estimated_wait;
      }
    } else if (const auto* cb = std::get_if<acd::OfferCallback>(&action)) {
      Call& call = call_of(acd::index_of(cb->interaction));
      const QueueTraffic* qt = traffic_of_queue_[acd::index_of(call.queue)];
      std::bernoulli_distribution accept(qt ? qt->callback_accept : 0.0);
      if (call.state == CallState::Waiting && qt && qt->callback_accept > 0 && accept(rng_)) {
        call.state = CallState::Virtual;
        ++kpi_.cell(call.queue, call.interval).callbacks;
        return router_.on_callback_accepted(cb->interaction);
      }
    } else if (const auto* overflow = std::get_if<acd::Overflow>(&action)) {
      Call& call = call_of(acd::index_of(overflow->interaction));
      ++kpi_.cell(call.queue, call.interval).overflowed;
      switch (overflow->to.kind) {
        case acd::OverflowKind::Queue:
          break;  // the router re-queued it; the caller is still on the line
        case acd::OverflowKind::Callback:
          if (call.state == CallState::Waiting) {
            call.state = CallState::Virtual;
            ++kpi_.cell(call.queue, call.interval).callbacks;
          }
          break;
        default:
          call.state = CallState::Done;
          break;
      }
    } else if (const auto* changed = std::get_if<acd::AgentStateChanged>(&action)) {
      return agent_changed(changed->agent, changed->state);
    }
    return {};
  }

  acd::Actions agent_changed(AgentId agent, acd::AgentState state) {
    AgentTrack& track = agents_[acd::index_of(agent)];
    account(agent, track);
    track.state = state;
    track.since = clock_.now();
    if (state == acd::AgentState::NotReady && track.shift_over) {
      return router_.on_agent_logout(agent);
    }
    return {};
  }

  void account(AgentId agent, const AgentTrack& track) {
    using S = acd::AgentState;
    const S s = track.state;
    if (s == S::LoggedOut || s == S::NotReady || track.since >= clock_.now()) {
      return;
    }
    const bool busy = s == S::Offered || s == S::Busy || s == S::WrapUp;
    const int day = static_cast<int>((track.since - origin_) / std::chrono::hours(24));
    kpi_.add_agent_time(router_.queues_of(agent), day_origin(day), track.since, clock_.now(), busy);
  }

  void finish_agent_time() {
    for (size_t a = 0; a < agents_.size(); ++a) {
      account(AgentId{static_cast<uint32_t>(a)}, agents_[a]);
    }
  }

  const acd::RoutingConfig& routing_;
  const TrafficModel& traffic_;
  const SimOptions& options_;
  TimePoint origin_;
  VirtualClock clock_;
  acd::Router router_;
  Rng rng_;
  int intervals_;
  KpiCollector kpi_;
  std::vector<AgentTrack> agents_;
  std::vector<const QueueTraffic*> traffic_of_queue_;
  std::vector<Call> calls_;
  size_t first_open_call_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  uint64_t seq_ = 0;
  SimulationReport report_;
  double ewt_abs_error_ = 0;
  double ewt_wait_sum_ = 0;
  int64_t ewt_samples_ = 0;
};

}  // namespace

SimulationReport simulate(const acd::RoutingConfig& routing, const TrafficModel& traffic,
                          const SimOptions& options) {
  Simulation simulation(routing, traffic, options);
  return simulation.run();
}

}  // namespace sb::sim
