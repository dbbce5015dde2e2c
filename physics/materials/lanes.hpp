// Batched ("lane") arithmetic for the per-particle kernels of the thermal and charging units.
//
// The per-particle laws (material_lanes.hpp) are written once as templates over a value type V:
// V = Vec, a SIMD batch of doubles (xsimd, https://github.com/xtensor-stack/xsimd), evaluates
// kWidth particles at once; V = double evaluates one and is what the tests compare against the
// scalar models. A condition is a mask (Mask, or bool for double) and a branch is a select():
// every lane computes both sides, so each side must stay finite on the lanes that do not take it.
//
// The batch width is that of the instruction set the kernel files are compiled for
// (MPS_SIMD_FLAGS in CMake, -march=native by default, like GROMACS's GMX_SIMD): 8 lanes with
// AVX-512, 4 with AVX2, 2 with the SSE2 baseline. A particle's result depends only on its own
// lane, never on its neighbours in the batch, so results do not depend on the number of ranks.
#pragma once

#include <xsimd/xsimd.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace mps::lanes {

using Vec = xsimd::batch<double>;
using Mask = xsimd::batch_bool<double>;
inline constexpr std::size_t kWidth = Vec::size;

// One lane: double and bool.
inline double select(bool m, double a, double b) {
  return m ? a : b;
}
inline bool any(bool m) {
  return m;
}
inline bool all(bool m) {
  return m;
}
inline double gather(const double* table, double index) {
  return table[static_cast<std::size_t>(index)];
}
inline double sqrt(double x) {
  return std::sqrt(x);
}
inline double cbrt(double x) {
  return std::cbrt(x);
}
inline double exp(double x) {
  return std::exp(x);
}
inline double log(double x) {
  return std::log(x);
}
inline double abs(double x) {
  return std::fabs(x);
}
inline double floor(double x) {
  return std::floor(x);
}
inline double min(double a, double b) {
  return a < b ? a : b;
}
inline double max(double a, double b) {
  return a > b ? a : b;
}
inline bool is_nan(double x) {
  return std::isnan(x);
}

// kWidth lanes.
inline Vec select(const Mask& m, const Vec& a, const Vec& b) {
  return xsimd::select(m, a, b);
}
inline bool any(const Mask& m) {
  return xsimd::any(m);
}
inline bool all(const Mask& m) {
  return xsimd::all(m);
}
// base[index] lane by lane. xsimd 8.1's batch::gather never reaches its AVX2 and AVX-512
// kernels for doubles (their templates take one argument where its dispatch passes two), and
// falls back to inserting the lanes one by one: 8 % of the units' time in the beam mix
// (bench_particle_physics beam, perf). The hardware gather is called directly where it exists.
inline Vec gather_at(const double* base, const xsimd::batch<std::int64_t>& index) {
#if defined(__AVX512F__)
  static_assert(kWidth == 8);
  return _mm512_i64gather_pd(index, base, sizeof(double));
#elif defined(__AVX2__)
  static_assert(kWidth == 4);
  return _mm256_i64gather_pd(base, index, sizeof(double));
#else
  return Vec::gather(base, index);
#endif
}
// base[index] = v lane by lane (distinct indices): one scatter with AVX-512. Scalar accesses to
// an array just filled by a vector store are slow on AMD Zen 4: a microbenchmark of LaneSums'
// eight adds per batch (lane_block.hpp) took 64-87 ns so, 16-25 ns with the lanes extracted in
// registers, 18-28 ns as a gather and a scatter, consistent with the 64-byte store not being
// forwarded to the 8-byte loads.
inline void scatter_at(double* base, const xsimd::batch<std::int64_t>& index, const Vec& v) {
#if defined(__AVX512F__)
  static_assert(kWidth == 8);
  _mm512_i64scatter_pd(base, index, v, sizeof(double));
#else
  alignas(64) std::array<double, kWidth> x;
  alignas(64) std::array<std::int64_t, kWidth> at;
  v.store_aligned(x.data());
  index.store_aligned(at.data());
  for (std::size_t l = 0; l < kWidth; ++l) base[at[l]] = x[l];
#endif
}
// table[index] lane by lane; index holds whole numbers (as doubles) within the table
inline Vec gather(const double* table, const Vec& index) {
  return gather_at(table, xsimd::batch_cast<std::int64_t>(index));
}
inline Vec sqrt(const Vec& x) {
  return xsimd::sqrt(x);
}
inline Vec cbrt(const Vec& x) {
  return xsimd::cbrt(x);
}
inline Vec exp(const Vec& x) {
  return xsimd::exp(x);
}
inline Vec log(const Vec& x) {
  return xsimd::log(x);
}
inline Vec abs(const Vec& x) {
  return xsimd::abs(x);
}
inline Vec floor(const Vec& x) {
  return xsimd::floor(x);
}
inline Vec min(const Vec& a, const Vec& b) {
  return xsimd::min(a, b);
}
inline Vec max(const Vec& a, const Vec& b) {
  return xsimd::max(a, b);
}
inline Mask is_nan(const Vec& x) {
  return xsimd::isnan(x);
}

// Lane values as an array (1 lane for double).
inline std::array<double, 1> to_array(double x) {
  return {x};
}
inline std::array<bool, 1> to_array(bool x) {
  return {x};
}
inline std::array<double, kWidth> to_array(const Vec& v) {
  alignas(64) std::array<double, kWidth> x;
  v.store_aligned(x.data());
  return x;
}
inline std::array<bool, kWidth> to_array(const Mask& m) {
  alignas(64) std::array<bool, kWidth> x;
  m.store_aligned(x.data());
  return x;
}

// (1 - e)^(1/3) for a mass ratio 1 - e of an evaporating particle: its Taylor series to e^3
// where |e| <= 1e-4 (the first term left out, 10 e^4 / 243 <= 4.2e-18, is below the rounding of
// the result), else cbrt. A sub-step evaporates far less than 1e-4 of a particle, and cbrt is
// the slowest of the lane functions.
template <class V>
V cbrt_near_one(const V& ratio) {
  const V e = 1.0 - ratio;
  const auto near = abs(e) <= 1e-4;
  const V series = 1.0 - e * ((1.0 / 3.0) + e * ((1.0 / 9.0) + e * (5.0 / 81.0)));
  if (all(near)) return series;
  return select(near, series, cbrt(ratio));
}

// A mask's lanes as bits, bit l for lane l (the AVX-512 mask register itself; lane by lane on
// other instruction sets).
inline std::uint32_t lane_bits(const Mask& m) {
#ifdef __AVX512F__
  if constexpr (std::is_same_v<Mask::register_type, __mmask8>)
    return static_cast<std::uint32_t>(static_cast<__mmask8>(m));
#endif
  const auto x = to_array(m);
  std::uint32_t bits = 0;
  for (std::size_t l = 0; l < kWidth; ++l) bits |= static_cast<std::uint32_t>(x[l]) << l;
  return bits;
}

// The mask type of a value type.
template <class V>
using MaskOf = decltype(V() < V());

}  // namespace mps::lanes
