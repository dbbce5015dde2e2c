#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "solver/base/exact_sum.hpp"

using mps::ExactSum;

TEST(ExactSum, OrderIndependentAndExact) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v;
  for (int i = 0; i < 20000; ++i)
    v.push_back(u(gen) * std::pow(10.0, static_cast<int>(u(gen) * 30)));
  ExactSum a, b;
  for (double x : v) a.add(x);
  std::shuffle(v.begin(), v.end(), gen);
  for (double x : v) b.add(x);
  EXPECT_TRUE(a == b);
  EXPECT_EQ(a.value(), b.value());  // bitwise
}

TEST(ExactSum, CancellationIsExact) {
  ExactSum s;
  s.add(1e300);
  s.add(1.0);
  s.add(-1e300);
  EXPECT_EQ(s.value(), 1.0);  // a double sum would give 0
  ExactSum t;
  t.add(0.1);
  t.add(0.2);
  t.add(-0.3);
  // The binary64 values 0.1 + 0.2 - 0.3 sum exactly to 2^-55; left-to-right double arithmetic
  // gives 2^-54 (5.55e-17) because 0.1 + 0.2 rounds up.
  EXPECT_EQ(t.value(), std::ldexp(1.0, -55));
}

TEST(ExactSum, MergeEqualsSequential) {
  ExactSum a, b, all;
  for (int i = 1; i <= 1000; ++i) {
    double x = 1.0 / i;
    (i % 3 ? a : b).add(x);
    all.add(x);
  }
  a.add(b);
  EXPECT_TRUE(a == all);
}

TEST(ExactSum, SubnormalsAndLarge) {
  ExactSum s;
  s.add(4.9406564584124654e-324);
  s.add(1.7976931348623157e308);
  s.add(-1.7976931348623157e308);
  EXPECT_EQ(s.value(), 4.9406564584124654e-324);
}

TEST(ExactSumBins, EqualsExactSumBitForBit) {
  // values of every sign and magnitude (subnormals, zeros, 1e-300 .. 1e300), more than 1024 per
  // slot so that the bins are flushed on the way; the binned sum must equal ExactSum exactly
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  mps::ExactSumBins bins;
  ExactSum direct, binned;
  for (int i = 0; i < 40000; ++i) {
    double x = u(gen) * std::pow(10.0, static_cast<int>(u(gen) * 300));
    if (i % 97 == 0) x = 0.0;
    if (i % 89 == 0) x = 4.9406564584124654e-324 * (i % 7);
    direct.add(x);
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const int biased = static_cast<int>((bits >> 52) & 0x7ff);
    std::int64_t mant = static_cast<std::int64_t>(bits & ((std::uint64_t{1} << 52) - 1)) |
                        (biased ? std::int64_t{1} << 52 : 0);
    if (bits >> 63) mant = -mant;
    // one value per batch, in rotating lanes
    const std::size_t lane = static_cast<std::size_t>(i % mps::ExactSumBins::kSlots);
    bins.bins()[mps::ExactSumBins::index(lane, static_cast<std::size_t>(biased))] += mant;
    bins.end_batch();
  }
  bins.flush_into(binned);
  EXPECT_TRUE(binned == direct);
  EXPECT_EQ(binned.value(), direct.value());
  // flushing leaves the bins empty
  ExactSum again;
  bins.flush_into(again);
  EXPECT_EQ(again.value(), 0.0);
}
