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

// Exact sum of per-particle values given lane by lane: each lane's double split into biased
// exponent and signed mantissa in the batch, then one integer add per lane into `bins`
// (ExactSumBins), merged exactly into the tally at the end. Lanes not to be counted carry 0.
static_assert(kWidth <= ExactSumBins::kSlots, "one bin slot per lane");
struct LaneSums {
  ExactSumBins& bins;
  void add(const Block& b, const Vec& v) {
    if (!any(v != 0.0)) return;  // e.g. the beam heat of a batch outside the beam
    using I = xsimd::batch<std::int64_t>;
    const I bits = xsimd::bitwise_cast<I>(v);
    I e = (bits >> 52) & I(0x7ff);
    I mant = (bits & I((std::int64_t{1} << 52) - 1)) |
             xsimd::select(e != I(0), I(std::int64_t{1} << 52), I(0));  // subnormals: no hidden bit
    mant = xsimd::select(bits < I(0), -mant, mant);
    const auto special = e == I(0x7ff);  // inf, NaN: not representable (never added)
    mant = xsimd::select(special, I(0), mant);
    e = xsimd::select(special, I(0), e);
    alignas(64) std::array<std::int64_t, kWidth> ex, mx;
    e.store_aligned(ex.data());
    mant.store_aligned(mx.data());
    bins.add_lanes(ex.data(), mx.data(), b.count);
  }
  void merge_into(ExactSum& s) { bins.flush_into(s); }
};

}  // namespace mps::lanes
