// sim/distributions.h: drawing handle times and patience from the traffic model.
#pragma once

#include <random>

#include "sim/traffic_model.h"

namespace sb::sim {

using Rng = std::mt19937_64;

// A positive duration from the distribution (never negative; empirical draws uniformly).
Duration sample(const DurationDistribution& d, Rng& rng);

}  // namespace sb::sim
