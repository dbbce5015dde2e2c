#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "solver/base/exact_sum.hpp"

using mps::ExactSum;

TEST(ExactSum, OrderIndependentAndExact) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v;
  for (int i = 0; i < 20000; ++i) v.push_back(u(gen) * std::pow(10.0, static_cast<int>(u(gen) * 30)));
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
