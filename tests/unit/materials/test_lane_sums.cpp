// lanes::LaneSums (lane_block.hpp), the exact tallies of the batched thermal and charging
// kernels: its gather-add-scatter into ExactSumBins must give exactly ExactSum's sum of the same
// values, whatever their signs and magnitudes (subnormals, zeros, 1e-300 .. 1e300), in full and
// short (tail) blocks, across the flush every 1024 batches. Exact: no tolerance.
// Compiled with the SIMD flags of the kernels (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cmath>
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
