// sim/distributions_test.cc: the samplers draw what the traffic model says.
#include "sim/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace sb::sim {
namespace {

using namespace std::chrono_literals;

struct Moments {
  double mean = 0;
  double stddev = 0;
};

Moments draw(const DurationDistribution& d, int n = 200000) {
  Rng rng(17);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double s = to_seconds(sample(d, rng));
    EXPECT_GE(s, 0.0);
    sum += s;
    sum2 += s * s;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(sum2 / n - mean * mean)};
}

TEST(Distributions, ExponentialHasItsMeanAsStandardDeviation) {
  const auto m = draw({DurationDistribution::Kind::Exponential, 240s, {}, {}});
  EXPECT_NEAR(m.mean, 240, 3);
  EXPECT_NEAR(m.stddev, 240, 5);
}

TEST(Distributions, LognormalIsParameterisedByItsOwnMeanAndDeviation) {
  const auto m = draw({DurationDistribution::Kind::Lognormal, 300s, 150s, {}});
  EXPECT_NEAR(m.mean, 300, 3);
  EXPECT_NEAR(m.stddev, 150, 5);
}

TEST(Distributions, FixedIsFixed) {
  const auto m = draw({DurationDistribution::Kind::Fixed, 90s, {}, {}}, 100);
  EXPECT_DOUBLE_EQ(m.mean, 90);
  EXPECT_NEAR(m.stddev, 0, 1e-6);
}

TEST(Distributions, EmpiricalDrawsOnlyItsSamplesEachEquallyOften) {
  DurationDistribution d{DurationDistribution::Kind::Empirical, 0s, {}, {10s, 20s, 60s}};
  Rng rng(3);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) {
    const Duration s = sample(d, rng);
    const auto it = std::find(d.samples.begin(), d.samples.end(), s);
    ASSERT_NE(it, d.samples.end());
    ++counts[it - d.samples.begin()];
  }
  for (int c : counts) {
    EXPECT_NEAR(c, 10000, 400);
  }
}

}  // namespace
}  // namespace sb::sim
