// sim/distributions.cc: the samplers.
#include "sim/distributions.h"

#include <cmath>

namespace sb::sim {

Duration sample(const DurationDistribution& d, Rng& rng) {
  const double mean = to_seconds(d.mean);
  switch (d.kind) {
    case DurationDistribution::Kind::Fixed:
      return d.mean;
    case DurationDistribution::Kind::Exponential: {
      std::exponential_distribution<double> dist(1.0 / mean);
      return from_seconds(dist(rng));
    }
    case DurationDistribution::Kind::Lognormal: {
      // Parameters from the mean m and standard deviation s of the distribution itself:
      // sigma^2 = ln(1 + s^2/m^2), mu = ln(m) - sigma^2/2.
      const double sd = to_seconds(d.stddev);
      const double sigma2 = std::log(1.0 + (sd * sd) / (mean * mean));
      std::lognormal_distribution<double> dist(std::log(mean) - sigma2 / 2, std::sqrt(sigma2));
      return from_seconds(dist(rng));
    }
    case DurationDistribution::Kind::Empirical: {
      if (d.samples.empty()) {
        return d.mean;
      }
      std::uniform_int_distribution<size_t> pick(0, d.samples.size() - 1);
      return d.samples[pick(rng)];
    }
  }
  return d.mean;
}

}  // namespace sb::sim
