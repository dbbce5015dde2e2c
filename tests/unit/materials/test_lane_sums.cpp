// lanes::LaneSums (lane_block.hpp), the exact tallies of the batched thermal and charging
// kernels: its lane-by-lane adds into ExactSumBins must give exactly ExactSum's sum of the same
// values, whatever their signs and magnitudes (subnormals, zeros, 1e-300 .. 1e300), in full and
// short (tail) blocks, across the flush every 1024 batches. Exact: no tolerance. And the lane
// functions written here rather than taken from xsimd (cbrt_near_one).
// Compiled with the SIMD flags of the kernels (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "physics/materials/lane_block.hpp"

using mps::ExactSum;
using mps::ExactSumBins;
namespace lanes = mps::lanes;

TEST(LaneSums, EqualsExactSumBitForBit) {
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> x(100003);  // not a multiple of the width: a tail block
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = u(gen) * std::pow(10.0, static_cast<int>(u(gen) * 300));
    if (i % 97 == 0) x[i] = 0.0;
    if (i % 89 == 0) x[i] = 4.9406564584124654e-324 * static_cast<double>(i % 7);
  }
  ExactSum direct;
  for (double v : x) direct.add(v);
  ExactSumBins bins;
  lanes::LaneSums sums{bins};
  for (std::size_t i0 = 0; i0 < x.size(); i0 += lanes::kWidth) {
    const lanes::Block b{i0, std::min(lanes::kWidth, x.size() - i0)};
    sums.add(b, b.load(x.data()));
  }
  ExactSum binned;
  sums.merge_into(binned);
  EXPECT_TRUE(binned == direct);
  EXPECT_EQ(binned.value(), direct.value());
  // a short block's repeated last value is not added again
  ExactSum one;
  sums.add(lanes::Block{0, 1}, lanes::Vec(0.25));
  sums.merge_into(one);
  EXPECT_EQ(one.value(), 0.25);
}

TEST(Lanes, CbrtNearOneAgreesWithCbrt) {
  // cbrt_near_one (lanes.hpp), the diameter factor of an evaporating particle, replaces cbrt by
  // its Taylor series to e^3 within 1e-4 of 1: the left-out term, 10 e^4 / 243, is < 4.2e-18,
  // so it must agree with libm's cbrt (correctly rounded to < 1 ulp) to 2 ulp on and around
  // the switch, one lane and kWidth lanes alike. A series one term shorter would be off by
  // 5 e^3 / 81 ~ 6e-14 at e = 1e-4 and fail.
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x;
  for (int k = 0; k < 20000; ++k) {
    const double e = std::pow(10.0, -16.0 + 13.5 * u(gen));  // 1e-16 .. 3e-3
    x.push_back(u(gen) < 0.5 ? 1.0 - e : 1.0 + e);
  }
  for (double r : {1.0, 1.0 - 1e-4, 1.0 + 1e-4, 0.5, 2.0}) x.push_back(r);
  for (std::size_t i0 = 0; i0 + lanes::kWidth <= x.size(); i0 += lanes::kWidth) {
    const auto v = lanes::to_array(lanes::cbrt_near_one(lanes::Vec::load_unaligned(&x[i0])));
    for (std::size_t l = 0; l < lanes::kWidth; ++l) {
      const double exact = std::cbrt(x[i0 + l]);
      EXPECT_NEAR(v[l], exact, 2.0 * std::numeric_limits<double>::epsilon() * exact) << x[i0 + l];
      EXPECT_NEAR(lanes::cbrt_near_one(x[i0 + l]), exact,
                  2.0 * std::numeric_limits<double>::epsilon() * exact)
          << x[i0 + l];
    }
  }
}
