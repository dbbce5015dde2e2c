// Loading particle arrays into lanes and reading lanes back (the batched drivers'
// plumbing, lanes.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <utility>
#include <vector>

#include "physics/materials/lanes.hpp"
#include "solver/base/exact_sum.hpp"
#include "solver/particles/state_clock.hpp"

namespace mps::lanes {

inline std::array<double, kWidth> values(const Vec& v) {
  return to_array(v);
}
inline std::array<bool, kWidth> flags(const Mask& m) {
  return to_array(m);
}

// The particles of one batch: kWidth consecutive particles from i0, or (at != nullptr) the
// listed particles at[0..count). A short tail block repeats its last particle (the copies'
// results are discarded).
struct Block {
  std::size_t i0, count;
  const std::size_t* at = nullptr;
  std::size_t index(std::size_t l) const { return at ? at[l] : i0 + l; }
  [[gnu::always_inline]] Vec load(const double* a) const {
    if (count == kWidth) {
      if (!at) return Vec::load_unaligned(a + i0);
      using I = xsimd::batch<std::int64_t>;
      return gather_at(a, I::load_unaligned(reinterpret_cast<const std::int64_t*>(at)));
    }
    alignas(64) std::array<double, kWidth> x;
    for (std::size_t l = 0; l < kWidth; ++l) x[l] = a[index(std::min(l, count - 1))];
    return Vec::load_aligned(x.data());
  }
  [[gnu::always_inline]] void store(double* a, const Vec& v) const {
    if (count == kWidth) {
      if (!at) return v.store_unaligned(a + i0);
      using I = xsimd::batch<std::int64_t>;
      return scatter_at(a, I::load_unaligned(reinterpret_cast<const std::int64_t*>(at)), v);
    }
    const auto x = values(v);
    for (std::size_t l = 0; l < count; ++l) a[index(l)] = x[l];
  }
  // the indices of the block's particles where m is true, appended to `out` in order
  void append_where(const Mask& m, std::vector<std::size_t>& out) const {
    for (std::uint32_t bits = bits_of(m); bits != 0; bits &= bits - 1)
      out.push_back(index(static_cast<std::size_t>(std::countr_zero(bits))));
  }
  // the values of v where m is true, appended to `out` in lane order (as append_where)
  void append_values_where(const Mask& m, const Vec& v, std::vector<double>& out) const {
    std::uint32_t bits = bits_of(m);
    if (bits == 0) return;
#ifdef __AVX512F__
    // compressed in a register and stored whole (a compressing store to memory is microcoded
    // and slow on AMD Zen 4); the lanes beyond the count are then cut off
    const std::size_t size = out.size();
    out.resize(size + kWidth);
    _mm512_storeu_pd(out.data() + size, _mm512_maskz_compress_pd(static_cast<__mmask8>(bits), v));
    out.resize(size + static_cast<std::size_t>(std::popcount(bits)));
    return;
#endif
    const auto y = values(v);
    for (; bits != 0; bits &= bits - 1) out.push_back(y[std::countr_zero(bits)]);
  }
  // a[i] = v for the block's particles i where m is true
  template <class T>
  void set_where(const Mask& m, T* a, T v) const {
    for (std::uint32_t bits = bits_of(m); bits != 0; bits &= bits - 1)
      a[index(static_cast<std::size_t>(std::countr_zero(bits)))] = v;
  }
  // how many of the block's particles have m true
  std::size_t count_where(const Mask& m) const {
    return static_cast<std::size_t>(std::popcount(bits_of(m)));
  }

 private:
  // the block's lanes of m as bits (the tail block's copies left out)
  std::uint32_t bits_of(const Mask& m) const {
    return lane_bits(m) & ((std::uint32_t{1} << count) - 1u);
  }
};

// How many batches ahead a driver prefetches a listed selection's particles (Selection::
// prefetch): enough to cover a memory access with a batch's work (~100-200 ns).
inline constexpr std::size_t kPrefetchBatches = 8;

// A ParticleSelection (the particles a batched driver advances, and over how many time steps
// each: the multi-rate state clock, solver/particles/state_clock.hpp) read in batches.
struct Selection {
  const ParticleSelection& s;
  // the batch of entries [k0, k0 + kWidth): a run of consecutive particles is loaded as one
  Block block(std::size_t k0) const {
    const std::size_t count = std::min(kWidth, s.n - k0);
    if (!s.list) return {k0, count};
    if (s.list[k0 + count - 1] - s.list[k0] == count - 1) return {s.list[k0], count};
    return {k0, count, s.list + k0};
  }
  // Asks for the cache lines of fields[j][i] for the listed particles i of the batch of entries
  // from k0 (if any: a listed batch's particles lie scattered over the arrays, beyond the
  // hardware prefetcher's guess; a driver asks a few batches ahead of the one it works on).
  template <std::size_t N>
  void prefetch(std::size_t k0, const std::array<const double*, N>& fields) const {
    if (!s.list || k0 >= s.n) return;
    const std::size_t end = std::min(k0 + kWidth, s.n);
    for (std::size_t k = k0; k < end; ++k)
      for (const double* a : fields)
        if (a) __builtin_prefetch(a + s.list[k]);
  }
  // the step counts of the batch of entries from k0
  Vec steps_of(std::size_t k0) const {
    if (!s.steps) return Vec(1.0);
    const std::size_t count = std::min(kWidth, s.n - k0);
    if (count == kWidth) return Vec::load_unaligned(s.steps + k0);
    alignas(64) std::array<double, kWidth> x;
    for (std::size_t l = 0; l < kWidth; ++l) x[l] = s.steps[k0 + std::min(l, count - 1)];
    return Vec::load_aligned(x.data());
  }
};

// Calls batch(k0, dt) on each batch of `sel` in turn, with dt the step: a double where every
// particle takes one step (the common case, cheaper), else each lane's steps x step. The fields
// of listed particles are prefetched kPrefetchBatches batches ahead.
template <std::size_t N, class Batch>
void for_each_batch(const Selection& sel, double step, const std::array<const double*, N>& fields,
                    Batch batch) {
  for (std::size_t k0 = 0; k0 < sel.s.n; k0 += kWidth) {
    sel.prefetch(k0 + kPrefetchBatches * kWidth, fields);
    if (sel.s.steps)
      batch(k0, Vec(sel.steps_of(k0) * step));
    else
      batch(k0, step);
  }
}

// Runs particles through a batch whose lanes each take the next particle as soon as theirs is
// done (the adaptive thermal and implicit charging updates, whose particles need different
// numbers of rounds): start(free) puts the next particles into the lanes of the mask `free` and
// returns the lanes it filled (none once the particles run out); round() advances every active
// lane once; active() is the mask of lanes still working; finish(done) writes back the lanes whose
// particle is done (lane_refill.hpp has the loads and stores).
template <class Start, class Round, class Active, class Finish>
void run_refilled(Start start, Round round, Active active, Finish finish) {
  Mask busy = start(Vec(0.0) == Vec(0.0));
  while (any(active())) {
    round();
    const Mask done = busy && !active();
    if (!any(done)) continue;
    finish(done);
    busy = (busy && !done) || start(done);
  }
}

// Exact sum of per-particle values given lane by lane: each lane's double split into biased
// exponent and signed mantissa in the batch, then added to the bin of its exponent in its own
// lane's slot of `bins` (ExactSumBins) by one integer add per lane (the lanes' bins are
// distinct), merged exactly into the tally at the end. Lanes beyond the block's count add 0. The
// bins must be empty when a LaneSums starts on them (every merge_into leaves them so).
static_assert(kWidth <= ExactSumBins::kSlots, "one bin slot per lane");
struct LaneSums {
  using I = xsimd::batch<std::int64_t>;
  explicit LaneSums(ExactSumBins& b) : bins(b) {}
  ExactSumBins& bins;
  void add(const Block& b, const Vec& v) {
    if (!any(v != 0.0)) return;  // e.g. the beam heat of a batch outside the beam
    const I bits = xsimd::bitwise_cast<I>(v);
    const I lane = lane_index();
    I e = (bits >> 52) & I(0x7ff);
    I mant = (bits & I((std::int64_t{1} << 52) - 1)) |
             xsimd::select(e != I(0), I(std::int64_t{1} << 52), I(0));  // subnormals: no hidden bit
    mant = xsimd::select(bits < I(0), -mant, mant);
    // inf and NaN are not representable (never added); nor are the tail block's copies
    const auto dropped = (e == I(0x7ff)) || !(lane < I(static_cast<std::int64_t>(b.count)));
    mant = xsimd::select(dropped, I(0), mant);
    e = xsimd::select(dropped, I(0), e);
    // the exponent range since the last flush, which then scans only those bins (zeros,
    // frequent, add nothing to bin 0 and stay out of it)
    const auto none = dropped || (mant == I(0));
    lo_ = xsimd::min(lo_, xsimd::select(none, I(ExactSumBins::kBins), e));
    hi_ = xsimd::max(hi_, xsimd::select(none, I(-1), e));
    // lane l's bin of exponent e is ExactSumBins::index(l, e): the lanes' bins are distinct
    static_assert(ExactSumBins::kSlots == 8);
    const I at = (e << 3) + lane;  // e kSlots + lane
    std::int64_t* bins_of = bins.bins();
#ifdef __AVX512F__
    // one gather, add and scatter: on AMD Zen 4 18-28 ns per batch, against 64-87 ns for eight
    // scalar read-modify-writes (a microbenchmark of five tallies' adds; with the adds left out
    // bench_particle_physics ran 1.3-1.6x faster, so they had to be cheap)
    static_assert(sizeof(long long) == sizeof(std::int64_t));
    auto* base = reinterpret_cast<long long*>(bins_of);
    const __m512i old = _mm512_i64gather_epi64(at, base, sizeof(std::int64_t));
    _mm512_i64scatter_epi64(base, at, _mm512_add_epi64(old, mant), sizeof(std::int64_t));
#else
    alignas(64) std::array<std::int64_t, kWidth> aa, mm;
    at.store_aligned(aa.data());
    mant.store_aligned(mm.data());
    for (std::size_t l = 0; l < kWidth; ++l) bins_of[aa[l]] += mm[l];
#endif
    if (bins.end_batch_full()) flush();
  }
  void merge_into(ExactSum& s) {
    const auto [lo, hi] = range();
    bins.flush_into(s, lo, hi);
    reset();
  }

 private:
  // the exponents used since the last flush, over all lanes
  std::pair<std::int64_t, std::int64_t> range() const {
    alignas(64) std::array<std::int64_t, kWidth> lo, hi;
    lo_.store_aligned(lo.data());
    hi_.store_aligned(hi.data());
    return {*std::min_element(lo.begin(), lo.end()), *std::max_element(hi.begin(), hi.end())};
  }
  void flush() {
    const auto [lo, hi] = range();
    bins.flush(lo, hi);
    reset();
  }
  void reset() {
    lo_ = I(ExactSumBins::kBins);
    hi_ = I(-1);
  }
  I lo_ = I(ExactSumBins::kBins), hi_ = I(-1);

  static I lane_index() {
    alignas(64) static constexpr auto lanes = [] {
      std::array<std::int64_t, kWidth> l{};
      for (std::size_t k = 0; k < kWidth; ++k) l[k] = static_cast<std::int64_t>(k);
      return l;
    }();
    return I::load_aligned(lanes.data());
  }
};

}  // namespace mps::lanes
