// Loading particle arrays into lanes and reading lanes back (the batched drivers'
// plumbing, lanes.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "physics/materials/lanes.hpp"
#include "solver/base/exact_sum.hpp"

namespace mps::lanes {

// kWidth consecutive particles from i0; a short tail block repeats its last particle (the
// copies' results are discarded).
inline std::array<double, kWidth> values(const Vec& v) {
  return to_array(v);
}
inline std::array<bool, kWidth> flags(const Mask& m) {
  return to_array(m);
}

struct Block {
  std::size_t i0, count;
  Vec load(const double* a) const {
    if (count == kWidth) return Vec::load_unaligned(a + i0);
    alignas(64) std::array<double, kWidth> x;
    for (std::size_t l = 0; l < kWidth; ++l) x[l] = a[i0 + std::min(l, count - 1)];
    return Vec::load_aligned(x.data());
  }
  void store(double* a, const Vec& v) const {
    if (count == kWidth) return v.store_unaligned(a + i0);
    const auto x = values(v);
    for (std::size_t l = 0; l < count; ++l) a[i0 + l] = x[l];
  }
  // the indices of the block's particles where m is true, appended to `out` in order
  void append_where(const Mask& m, std::vector<std::size_t>& out) const {
    if (!any(m)) return;
    const auto x = flags(m);
    for (std::size_t l = 0; l < count; ++l)
      if (x[l]) out.push_back(i0 + l);
  }
  // how many of the block's particles have m true
  std::size_t count_where(const Mask& m) const {
    const auto x = flags(m);
    std::size_t c = 0;
    for (std::size_t l = 0; l < count; ++l) c += x[l];
    return c;
  }
};

// Exact sums of per-particle values given lane by lane: one ExactSum per lane slot, so that
// consecutive adds go to different accumulators (no chain of dependent read-modify-writes on
// the same limbs), merged exactly at the end. Lanes not to be counted carry 0 (add ignores it).
struct LaneSums {
  std::array<ExactSum, kWidth> lane;
  void add(const Block& b, const Vec& v) {
    const auto x = values(v);
    for (std::size_t l = 0; l < b.count; ++l) lane[l].add(x[l]);
  }
  void merge_into(ExactSum& s) const {
    for (const auto& l : lane) s.add(l);
  }
};

}  // namespace mps::lanes
