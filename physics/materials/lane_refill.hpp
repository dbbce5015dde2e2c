// Refilling lanes from a list of particles, and reading and writing the fields of the particles
// in the lanes, for the drivers that give a lane the next particle as soon as its own is done
// (run_refilled, lane_block.hpp: the adaptive thermal and implicit charging updates). Each lane's
// particle is an index held in a lane of an Index batch.
//
// With AVX-512 each helper is one instruction: an expanding load puts the next entries of a list
// into the free lanes, masked gathers and scatters read and write the particles' fields. Written
// lane by lane in scalar code, this plumbing was a quarter of the units' time in the beam mix
// (bench_particle_physics, perf: the drivers' own time). Other instruction sets go lane by lane.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "physics/materials/lanes.hpp"

namespace mps::lanes {

using Index = xsimd::batch<std::int64_t>;

// The mask whose lane l is bit l of `bits`.
inline Mask mask_of_bits(std::uint32_t bits) {
#ifdef __AVX512F__
  if constexpr (std::is_same_v<Mask::register_type, __mmask8>)
    return Mask(static_cast<__mmask8>(bits));
#endif
  alignas(64) std::array<bool, kWidth> x{};
  for (std::size_t l = 0; l < kWidth; ++l) x[l] = (bits >> l) & 1u;
  return Mask::load_aligned(x.data());
}

// The lowest `available` lanes of `free` (all of them if there are fewer): those the next
// entries of a list with `available` entries left fill.
inline Mask first_lanes(const Mask& free, std::size_t available) {
  std::uint32_t bits = lane_bits(free), taken = 0;
  for (; bits != 0 && available != 0; bits &= bits - 1, --available) taken |= bits & (~bits + 1);
  return mask_of_bits(taken);
}

inline std::size_t count(const Mask& m) {
  return static_cast<std::size_t>(std::popcount(lane_bits(m)));
}

// src[0], src[1], ... into the lanes of m, in lane order; the other lanes keep `old`.
inline Index expand_load(const Mask& m, const std::size_t* src, const Index& old) {
#ifdef __AVX512F__
  static_assert(sizeof(std::size_t) == sizeof(std::int64_t));
  return _mm512_mask_expandloadu_epi64(old, static_cast<__mmask8>(lane_bits(m)), src);
#else
  alignas(64) std::array<std::int64_t, kWidth> x;
  old.store_aligned(x.data());
  const std::uint32_t bits = lane_bits(m);
  for (std::size_t l = 0, k = 0; l < kWidth; ++l)
    if ((bits >> l) & 1u) x[l] = static_cast<std::int64_t>(src[k++]);
  return Index::load_aligned(x.data());
#endif
}
inline Vec expand_load(const Mask& m, const double* src, const Vec& old) {
#ifdef __AVX512F__
  return _mm512_mask_expandloadu_pd(old, static_cast<__mmask8>(lane_bits(m)), src);
#else
  alignas(64) std::array<double, kWidth> x;
  old.store_aligned(x.data());
  const std::uint32_t bits = lane_bits(m);
  for (std::size_t l = 0, k = 0; l < kWidth; ++l)
    if ((bits >> l) & 1u) x[l] = src[k++];
  return Vec::load_aligned(x.data());
#endif
}

// base[i] in the lanes of m; the other lanes keep `old`.
inline Vec gather_where(const Mask& m, const double* base, const Index& i, const Vec& old) {
#ifdef __AVX512F__
  return _mm512_mask_i64gather_pd(old, static_cast<__mmask8>(lane_bits(m)), i, base,
                                  sizeof(double));
#else
  alignas(64) std::array<double, kWidth> x;
  alignas(64) std::array<std::int64_t, kWidth> at;
  old.store_aligned(x.data());
  i.store_aligned(at.data());
  const std::uint32_t bits = lane_bits(m);
  for (std::size_t l = 0; l < kWidth; ++l)
    if ((bits >> l) & 1u) x[l] = base[at[l]];
  return Vec::load_aligned(x.data());
#endif
}

// base[i] = v in the lanes of m (the lanes' indices are distinct).
inline void scatter_where(const Mask& m, double* base, const Index& i, const Vec& v) {
#ifdef __AVX512F__
  _mm512_mask_i64scatter_pd(base, static_cast<__mmask8>(lane_bits(m)), i, v, sizeof(double));
#else
  alignas(64) std::array<double, kWidth> x;
  alignas(64) std::array<std::int64_t, kWidth> at;
  v.store_aligned(x.data());
  i.store_aligned(at.data());
  const std::uint32_t bits = lane_bits(m);
  for (std::size_t l = 0; l < kWidth; ++l)
    if ((bits >> l) & 1u) base[at[l]] = x[l];
#endif
}

// Asks for the cache lines of fields[j][index[k]] for the entries k of [from, from + count) of a
// list (those clipped to its end): the particles a refilling driver starts a few rounds later,
// scattered over the arrays beyond the hardware prefetcher's guess.
template <std::size_t N>
void prefetch_entries(const std::vector<std::size_t>& index, std::size_t from, std::size_t count,
                      const std::array<const double*, N>& fields) {
  const std::size_t end = std::min(from + count, index.size());
  for (std::size_t k = from; k < end; ++k)
    for (const double* a : fields)
      if (a) __builtin_prefetch(a + index[k]);
}

// How many entries of its list ahead a refilling driver prefetches the particles it will start
// (a lane takes a new particle every one to a few rounds).
inline constexpr std::size_t kRefillAhead = 32;

// The list of particles a refilling driver starts, in order, with the fields it reads of each
// (prefetched kRefillAhead entries ahead).
template <std::size_t N>
class RefillList {
 public:
  RefillList(const std::vector<std::size_t>& index, const std::array<const double*, N>& fields)
      : index_(index), fields_(fields) {
    prefetch_entries(index_, 0, kRefillAhead, fields_);
  }
  // Puts the next entries' particles into the lanes of `free` of `particle` (the lowest lanes,
  // as many as entries are left) and returns those lanes; first() is then the first entry
  // taken, for the driver's other per-entry arrays.
  Mask take(const Mask& free, Index& particle) {
    const Mask fill = first_lanes(free, index_.size() - next_);
    first_ = next_;
    if (!any(fill)) return fill;
    prefetch_entries(index_, next_ + kRefillAhead, count(fill), fields_);
    particle = expand_load(fill, index_.data() + next_, particle);
    next_ += count(fill);
    return fill;
  }
  std::size_t first() const { return first_; }

 private:
  const std::vector<std::size_t>& index_;
  std::array<const double*, N> fields_;
  std::size_t next_ = 0, first_ = 0;
};

// Calls f(l, i) for each lane l of m, with that lane's index i (the rare scalar cases).
template <class F>
void for_each_lane(const Mask& m, const Index& index, F f) {
  alignas(64) std::array<std::int64_t, kWidth> at;
  index.store_aligned(at.data());
  for (std::uint32_t bits = lane_bits(m); bits != 0; bits &= bits - 1) {
    const auto l = static_cast<std::size_t>(std::countr_zero(bits));
    f(l, static_cast<std::size_t>(at[l]));
  }
}

}  // namespace mps::lanes
