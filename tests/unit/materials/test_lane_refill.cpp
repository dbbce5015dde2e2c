// The refilling drivers' lane plumbing (lane_refill.hpp): which lanes the next entries of a list
// fill, and the masked loads, gathers and scatters that must touch exactly those lanes (the
// AVX-512 instructions and the lane-by-lane fallback alike). Compiled with the SIMD flags of the
// kernels (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "physics/materials/lane_refill.hpp"

namespace lanes = mps::lanes;
using lanes::Index;
using lanes::kWidth;
using lanes::Mask;
using lanes::Vec;

namespace {
std::array<double, kWidth> values(const Vec& v) {
  return lanes::to_array(v);
}
std::array<std::int64_t, kWidth> values(const Index& v) {
  alignas(64) std::array<std::int64_t, kWidth> x;
  v.store_aligned(x.data());
  return x;
}
const std::uint32_t kAll = (1u << kWidth) - 1u;
}  // namespace

TEST(LaneRefill, NextEntriesFillTheLowestFreeLanes) {
  const std::uint32_t free = 0b10110110u & kAll;  // (on 2 or 4 lanes: a part of it)
  const Mask m = lanes::mask_of_bits(free);
  EXPECT_EQ(lanes::lane_bits(m), free);
  // as many lanes as entries are left, the lowest free ones
  std::uint32_t expected = 0, left = 2;
  for (std::uint32_t b = free; b != 0 && left != 0; b &= b - 1, --left) expected |= b & (~b + 1);
  EXPECT_EQ(lanes::lane_bits(lanes::first_lanes(m, 2)), expected);
  EXPECT_EQ(lanes::lane_bits(lanes::first_lanes(m, 100)), free);
  EXPECT_EQ(lanes::lane_bits(lanes::first_lanes(m, 0)), 0u);
  EXPECT_EQ(lanes::count(m), static_cast<std::size_t>(__builtin_popcount(free)));
}

TEST(LaneRefill, ExpandGatherAndScatterTouchOnlyTheirLanes) {
  const std::uint32_t bits = 0b01011010u & kAll;
  const Mask m = lanes::mask_of_bits(bits);
  // expand: entries 0, 1, 2, ... into the set lanes in order, the others keep theirs
  const std::vector<std::size_t> list{40, 7, 19, 3, 11, 28, 5, 33};
  const std::vector<double> steps{1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5};
  const auto idx = values(lanes::expand_load(m, list.data(), Index(-1)));
  const auto st = values(lanes::expand_load(m, steps.data(), Vec(-1.0)));
  std::size_t k = 0;
  for (std::size_t l = 0; l < kWidth; ++l) {
    const bool set = (bits >> l) & 1u;
    EXPECT_EQ(idx[l], set ? static_cast<std::int64_t>(list[k]) : -1) << l;
    EXPECT_EQ(st[l], set ? steps[k] : -1.0) << l;
    if (set) ++k;
  }
  // gather and scatter through those indices
  std::vector<double> field(48);
  std::iota(field.begin(), field.end(), 100.0);
  const Index at = lanes::expand_load(m, list.data(), Index(0));
  const auto g = values(lanes::gather_where(m, field.data(), at, Vec(-2.0)));
  for (std::size_t l = 0; l < kWidth; ++l)
    EXPECT_EQ(g[l], (bits >> l) & 1u ? 100.0 + static_cast<double>(idx[l]) : -2.0) << l;
  std::vector<double> out(48, 0.0);
  lanes::scatter_where(m, out.data(), at, Vec(9.0));
  std::size_t written = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    bool listed = false;
    for (std::size_t l = 0; l < kWidth; ++l)
      listed |= ((bits >> l) & 1u) && idx[l] == static_cast<std::int64_t>(i);
    EXPECT_EQ(out[i], listed ? 9.0 : 0.0) << i;
    written += listed;
  }
  EXPECT_EQ(written, lanes::count(m));
}

TEST(LaneRefill, RefillListHandsOutEveryEntryOnce) {
  std::vector<std::size_t> index(23);
  std::iota(index.begin(), index.end(), 100);
  std::vector<double> field(200, 0.0);
  lanes::RefillList<1> list(index, {field.data()});
  Index particle(0);
  std::vector<std::int64_t> seen;
  std::uint32_t free = kAll;
  for (int round = 0; round < 100; ++round) {
    const Mask fill = list.take(lanes::mask_of_bits(free), particle);
    if (!lanes::any(fill)) break;
    const auto p = values(particle);
    for (std::size_t l = 0; l < kWidth; ++l)
      if ((lanes::lane_bits(fill) >> l) & 1u) seen.push_back(p[l]);
    EXPECT_EQ(static_cast<std::size_t>(
                  p[static_cast<std::size_t>(__builtin_ctz(lanes::lane_bits(fill)))]),
              index[list.first()]);
    free = 0b101u & kAll;  // some lanes free in later rounds
  }
  ASSERT_EQ(seen.size(), index.size());
  for (std::size_t k = 0; k < index.size(); ++k)
    EXPECT_EQ(seen[k], static_cast<std::int64_t>(index[k]));
}
