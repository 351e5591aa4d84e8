// reporting/erlang.cc: Erlang C through the Erlang B recursion; Erlang A by walking the
// M/M/n+M birth-death chain over the window of states that holds its probability mass.
#include "reporting/erlang.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>

namespace sb::reporting {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The Erlang A window ends where a bound on all the mass beyond it is e^-50 (~2e-22) of the
// mode's weight, far below the 1e-14 the results are good for.
constexpr double kLogMargin = 50.0;

// Cap on lambda * patience, i.e. on the variance of the queue length when agents are short:
// beyond it the window would grow past ~1e7 states (see erlang.h).
constexpr double kMaxRateTimesPatience = 1e11;

// Below this many terms a harmonic sum is added term by term; above it, by the digamma series.
constexpr std::int64_t kDirectSumTerms = 2'000'000;

// psi(b + count + 1) - psi(b + 1) = sum_{i=1..count} 1 / (b + i), for b >= 0. Only reached when
// the queue window starts millions of callers deep, so the series is what keeps it O(1).
double harmonic_span(double b, std::int64_t count) {
  double sum = 0;
  double x = b + 1;
  // The asymptotic series below is accurate to ~1e-13 from x = 20 on.
  while (x < 20 && count > 0) {
    sum += 1 / x;
    x += 1;
    --count;
  }
  if (count == 0) {
    return sum;
  }
  const double y = x + static_cast<double>(count);
  // psi(z) ~ ln z - 1/(2z) - 1/(12 z^2) + 1/(120 z^4) - 1/(252 z^6); the logs as one log1p so a
  // short span far out keeps its digits.
  const auto tail = [](double z) {
    const double z2 = 1 / (z * z);
    return -1 / (2 * z) - z2 * (1.0 / 12 - z2 * (1.0 / 120 - z2 / 252));
  };
  return sum + std::log1p(static_cast<double>(count) / x) + tail(y) - tail(x);
}

// M/M/n+M: arrivals lambda, service mu per busy agent, abandonment theta per waiting caller.
struct Chain {
  double lambda;
  double mu;
  double theta;
  std::int64_t n;

  double n_mu() const { return static_cast<double>(n) * mu; }

  // Total rate out of state k by service or abandonment.
  double death(std::int64_t k) const {
    return k <= n ? static_cast<double>(k) * mu : n_mu() + static_cast<double>(k - n) * theta;
  }

  // log of the unnormalised weight w_k = prod_{i=1..k} lambda / death(i), in closed form so the
  // window can be placed without walking to it. lgamma loses a few units at 1e15, which only
  // moves the window edges a little against kLogMargin; the walk itself uses exact ratios.
  double approx_log_weight(std::int64_t k) const {
    const double load = lambda / mu;
    if (k <= n) {
      return static_cast<double>(k) * std::log(load) - std::lgamma(static_cast<double>(k) + 1);
    }
    const double j = static_cast<double>(k - n);
    const double b = n_mu() / theta;  // death(n + i) = theta * (b + i)
    return static_cast<double>(n) * std::log(load) - std::lgamma(static_cast<double>(n) + 1) +
           j * std::log(lambda / theta) - (std::lgamma(b + j + 1) - std::lgamma(b + 1));
  }

  // The most likely state: the weights rise while lambda > death(k) (the chain is log-concave).
  std::int64_t mode() const {
    const double load = lambda / mu;
    if (load < static_cast<double>(n)) {
      return static_cast<std::int64_t>(std::floor(load));
    }
    return n + static_cast<std::int64_t>(std::floor((lambda - n_mu()) / theta));
  }

  // Bound (as a log) on the mass of all states below k: the weights fall at least
  // geometrically downwards from k - 1, with ratio death(k - 1) / lambda < 1 below the mode.
  double log_mass_below(std::int64_t k) const {
    if (k == 0) {
      return -kInf;
    }
    return approx_log_weight(k - 1) - std::log1p(-death(k - 1) / lambda);
  }

  // Bound (as a log) on the mass of all states above k, once death(k + 2) > lambda.
  double log_mass_above(std::int64_t k) const {
    const double q = lambda / death(k + 2);
    if (!(q < 1)) {
      return kInf;
    }
    return approx_log_weight(k + 1) - std::log1p(-q);
  }
};

// [first, last]: the states that carry all but ~e^-50 of the stationary mass.
struct Window {
  std::int64_t first;
  std::int64_t last;
  double log_peak;
};

Window find_window(const Chain& chain) {
  const std::int64_t mode = chain.mode();
  const double log_peak = chain.approx_log_weight(mode);
  const double cut = log_peak - kLogMargin;
  // Largest first in [0, mode] whose lower tail is negligible (log_mass_below rises to mode).
  std::int64_t lo = 0;
  std::int64_t hi = mode;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (chain.log_mass_below(mid) < cut) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const std::int64_t first = lo;
  // Smallest last >= mode whose upper tail is negligible (log_mass_above falls beyond the
  // mode): double the step until it is, then bisect the last doubling.
  const auto negligible_above = [&](std::int64_t k) { return chain.log_mass_above(k) < cut; };
  if (negligible_above(mode)) {
    return Window{first, mode, log_peak};
  }
  std::int64_t step = 1;
  while (!negligible_above(mode + step)) {
    step *= 2;
  }
  lo = mode + step / 2 + 1;
  hi = mode + step;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (negligible_above(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return Window{first, hi, log_peak};
}

// P(answered within t | j ahead) / p_j, walked upwards in j. With j ahead the tagged caller is
// answered after V = E_0 + ... + E_j, E_i ~ Exp(r_i), r_i = n mu + i theta = theta (a + i) with
// a = n mu / theta, if V comes before its own Exp(theta) patience and before t:
//   P = E[exp(-theta V); V <= t] = p_j * I_x(j + 1, a + 1),  x = 1 - exp(-theta t),
// since 1 - exp(-theta V) ~ Beta(j + 1, a) (the rates are an arithmetic progression). The
// regularized incomplete beta steps down in j by a negative binomial term:
//   I_x(j + 2, a + 1) = I_x(j + 1, a + 1) - T_j,   I_x(1, a + 1) = 1 - (1 - x)^(a + 1),
//   T_0 = (a + 1) x (1 - x)^(a + 1),   T_j = T_{j-1} x (a + j + 1) / (j + 1),
// so every j in the window costs O(1). As theta -> 0 this becomes Erlang C's Poisson tail.
class InTimeWalk {
 public:
  InTimeWalk(double n_mu, double theta, double t)
      : n_mu_(n_mu), theta_(theta), t_(t), x_over_theta_(-std::expm1(-theta * t) / theta) {
    // (1 - x)^(a + 1) = exp(-(n mu + theta) t) underflows for big teams and long t, so T is
    // kept as term_ * exp(log_scale_).
    beta_cdf_ = -std::expm1(-(n_mu + theta) * t);
    log_scale_ = -(n_mu + theta) * t;
    scale_ = std::exp(log_scale_);
    term_ = (n_mu + theta) * x_over_theta_;  // (a + 1) x
  }

  // I_x(j + 1, a + 1) for the current j; exactly 0 once what is left is below 1e-20.
  double value() const { return beta_cdf_; }

  // A j beyond which I is below ~1e-18: the negative binomial behind T (shape a + 1, success
  // probability 1 - x) has mean (a + 1) x / (1 - x) and variance mean / (1 - x); its tail is no
  // heavier than an exponential's, so 40 standard deviations out it is spent.
  double spent_beyond() const {
    const double growth = std::exp(theta_ * t_);  // 1 / (1 - x); may be inf: never spent
    const double mean = (n_mu_ + theta_) * std::expm1(theta_ * t_) / theta_;
    return mean + 40 * std::sqrt(mean * growth) + 100;
  }

  void stop() { beta_cdf_ = 0; }

  // j -> j + 1.
  void advance() {
    if (beta_cdf_ == 0) {
      return;
    }
    beta_cdf_ -= term_ * scale_;
    ++j_;
    const double jd = static_cast<double>(j_);
    const double ratio = x_over_theta_ * (n_mu_ + (jd + 1) * theta_) / (jd + 1);  // T_j / T_j-1
    term_ *= ratio;
    // Past the negative binomial's mode the ratios only fall, so I_j <= T_j / (1 - ratio). Also
    // ends the walk cleanly where the subtractions leave a rounding residue instead of 0.
    if (beta_cdf_ < 1e-20 || (ratio < 1 && term_ * scale_ < 1e-20 * (1 - ratio))) {
      beta_cdf_ = 0;
      return;
    }
    if (term_ > 1e200) {
      log_scale_ += std::log(term_);
      term_ = 1;
      scale_ = std::exp(log_scale_);
    }
  }

 private:
  double n_mu_;
  double theta_;
  double t_;
  double x_over_theta_;
  double beta_cdf_;
  double log_scale_;
  double scale_;
  double term_;
  std::int64_t j_ = 0;
};

// No traffic: nobody waits, nobody is answered late.
QueueMetrics idle_system(int agents) {
  QueueMetrics m{};
  m.agents = agents;
  m.service_level = 1;
  m.stable = true;
  return m;
}

}  // namespace

QueueMetrics erlang_c(const Traffic& traffic, int agents, double sl_seconds) {
  const double load = traffic.arrival_rate_per_s * traffic.aht_s;
  const double n = agents;
  const double t = std::max(sl_seconds, 0.0);
  QueueMetrics m{};
  m.agents = agents;
  m.offered_erlangs = load;
  m.p_abandon = 0;
  if (agents <= 0 || n <= load) {
    m.p_wait = 1;
    m.asa_s = kInf;
    m.service_level = 0;
    m.occupancy = 1;
    m.mean_queue_length = kInf;
    m.stable = false;
    return m;
  }
  // Erlang B by recursion: every step stays in [0, 1], so no factorial or power overflows.
  double b = 1;
  for (int k = 1; k <= agents; ++k) {
    b = load * b / (k + load * b);
  }
  const double c = n * b / (n - load * (1 - b));
  m.p_wait = c;
  m.asa_s = c * traffic.aht_s / (n - load);
  m.service_level = std::clamp(1 - c * std::exp(-(n - load) * t / traffic.aht_s), 0.0, 1.0);
  m.occupancy = load / n;
  m.mean_queue_length = c * load / (n - load);
  m.stable = true;
  return m;
}

QueueMetrics erlang_a(const Traffic& traffic, double mean_patience_s, int agents,
                      double sl_seconds) {
  if (!std::isfinite(mean_patience_s)) {
    return erlang_c(traffic, agents, sl_seconds);
  }
  if (!(traffic.arrival_rate_per_s > 0)) {
    return idle_system(agents);
  }
  const double lambda = traffic.arrival_rate_per_s;
  const double patience = std::min(mean_patience_s, kMaxRateTimesPatience / lambda);
  const Chain chain{lambda, 1 / traffic.aht_s, 1 / patience, std::max(agents, 0)};
  const double t = std::max(sl_seconds, 0.0);
  const Window window = find_window(chain);
  assert(window.last - window.first < 100'000'000);

  // One walk over the window with exact ratios w_{k+1} = w_k * lambda / death(k + 1), started
  // near e^-50 of the peak so nothing overflows. Everything is accumulated unnormalised.
  const double n_mu = chain.n_mu();
  double w = std::exp(std::max(chain.approx_log_weight(window.first) - window.log_peak, -600.0));
  double total = 0;
  double no_wait = 0;       // k < n: answered at once
  double waiting = 0;       // k >= n
  double queue_len = 0;     // sum (k - n) w_k
  double served_after = 0;  // sum w_{n+j} p_j: waited, then answered
  double served_wait = 0;   // sum w_{n+j} g_j: their total wait
  double in_time = 0;       // sum w_{n+j} p_j I_j: waited, then answered within t
  // S_j = sum_{i=0..j} 1 / (n mu + (i + 1) theta): the mean of the tagged caller's time to answer
  // is built from it; seeded at the window's first queued state.
  const std::int64_t first_j = std::max<std::int64_t>(window.first - chain.n, 0);
  double s = 0;
  if (first_j + 1 <= kDirectSumTerms) {
    for (std::int64_t i = 1; i <= first_j; ++i) {
      s += 1 / (n_mu + static_cast<double>(i) * chain.theta);
    }
  } else {
    s = harmonic_span(n_mu / chain.theta, first_j) / chain.theta;
  }
  // Bring the in-time walk to the window too. When the window starts further back than anyone
  // can be answered from within t, skip it; otherwise the walk costs about the number of calls
  // answered in t (it stops once the rest is spent), at most first_j. Only a threshold of many
  // patiences with a queue of millions (days of both) makes that slow.
  InTimeWalk in_time_walk(n_mu, chain.theta, t);
  if (static_cast<double>(first_j) > in_time_walk.spent_beyond()) {
    in_time_walk.stop();
  }
  for (std::int64_t j = 0; j < first_j && in_time_walk.value() > 0; ++j) {
    in_time_walk.advance();
  }
  for (std::int64_t k = window.first; k <= window.last; ++k) {
    total += w;
    if (k < chain.n) {
      no_wait += w;
    } else {
      const std::int64_t j = k - chain.n;
      const double jd = static_cast<double>(j);
      const double exit_rate = n_mu + (jd + 1) * chain.theta;  // r_j + theta
      s += 1 / exit_rate;
      // P(answered | j ahead) = prod_{i=0..j} r_i / (r_i + theta) telescopes, since
      // r_i + theta = r_{i+1}; E[wait; answered | j ahead] = p_j * S_j (the derivative of the
      // Laplace transform prod r_i / (r_i + s) at s = theta).
      const double p_answer = n_mu / exit_rate;
      waiting += w;
      queue_len += jd * w;
      served_after += w * p_answer;
      served_wait += w * p_answer * s;
      in_time += w * p_answer * in_time_walk.value();
      in_time_walk.advance();
    }
    w *= chain.lambda / chain.death(k + 1);
  }

  // Rounding can push a probability a few ulps past 1 when all agents are busy.
  const auto probability = [](double x) { return std::clamp(x, 0.0, 1.0); };
  const double served = no_wait + served_after;  // = total * (1 - P(abandon))
  QueueMetrics m{};
  m.agents = agents;
  m.offered_erlangs = lambda * traffic.aht_s;
  m.p_wait = probability(waiting / total);
  m.asa_s = served > 0 ? served_wait / served : 0;
  m.service_level = probability((no_wait + in_time) / total);
  // Carried load: the answered share of the offered load, P(answered) summed directly.
  m.occupancy =
      chain.n > 0
          ? probability(lambda * (served / total) * traffic.aht_s / static_cast<double>(chain.n))
          : 0;
  // PASTA: abandonments happen at rate theta * Lq, out of lambda arrivals.
  m.p_abandon = probability(chain.theta * queue_len / (chain.lambda * total));
  m.mean_queue_length = queue_len / total;
  m.stable = true;
  return m;
}

}  // namespace sb::reporting
