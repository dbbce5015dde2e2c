#include <gtest/gtest.h>

#include <cmath>

#include "solver/base/rng.hpp"

using namespace mps;

TEST(Rng, SameKeySameNumbers) {
  Rng a(1, RngPurpose::inject, 42, 7), b(1, RngPurpose::inject, 42, 7);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.bits(), b.bits());
}

TEST(Rng, DifferentKeysDiffer) {
  Rng a(1, RngPurpose::inject, 42, 7), b(1, RngPurpose::inject, 43, 7), c(1, RngPurpose::beam, 42, 7),
      d(2, RngPurpose::inject, 42, 7), e(1, RngPurpose::inject, 42, 8);
  const auto x = a.bits();
  EXPECT_NE(x, b.bits());
  EXPECT_NE(x, c.bits());
  EXPECT_NE(x, d.bits());
  EXPECT_NE(x, e.bits());
}

TEST(Rng, UniformMomentsAndOpenInterval) {
  // 1e5 draws: the mean of U(0,1) has sigma = 1/sqrt(12e5) = 9.1e-4; 5 sigma tolerance.
  Rng r(3, RngPurpose::test, 0);
  double s = 0, s2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    s += u;
    s2 += u * u;
  }
  EXPECT_NEAR(s / n, 0.5, 5 * 9.1e-4);
  EXPECT_NEAR(s2 / n - 0.25, 1.0 / 12.0, 5e-3);
}

TEST(Rng, NormalMoments) {
  // mean sigma = 1/sqrt(n) = 3.2e-3 for n = 1e5; variance sigma = sqrt(2/n) = 4.5e-3; 5 sigma.
  Rng r(4, RngPurpose::test, 0);
  double s = 0, s2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    double x = r.normal();
    s += x;
    s2 += x * x;
  }
  EXPECT_NEAR(s / n, 0.0, 5 * 3.2e-3);
  EXPECT_NEAR(s2 / n, 1.0, 5 * 4.5e-3);
}
