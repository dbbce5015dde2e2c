// Exact, order-independent summation of doubles (a small superaccumulator).
//
// Tallies that feed results (deposited energy, captured mass, ...) are summed over particles in
// an order that depends on the decomposition; plain floating-point sums would then differ with the
// number of ranks. ExactSum keeps the exact sum as a fixed-point integer spread over 32-bit limbs
// (Neal 2015, "Fast exact summation using small and large superaccumulators", arXiv:1505.05571),
// so the result is identical whatever the order or the rank count. Merging across ranks is an
// MPI_SUM of int64 limbs, which is exact and associative.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace mps {

class ExactSum {
 public:
  // Limb k holds bits [32 (k - kOffset), 32 (k - kOffset) + 32) of the fixed-point value.
  // Covers 2^-1152 .. 2^1088: every finite double, subnormals included.
  static constexpr int kLimbs = 70;
  static constexpr int kOffset = 36;

  void add(double x) {
    if (x == 0.0) return;
    int exp = 0;
    double m = std::frexp(x, &exp);  // x = m 2^exp, 0.5 <= |m| < 1
    auto mant = static_cast<std::int64_t>(std::ldexp(m, 53));  // exact: 53-bit integer
    int shift = exp - 53;  // x = mant * 2^shift
    // place mant (|mant| < 2^53) at bit position shift
    int limb = floor_div(shift, 32) + kOffset;  // 0 .. kLimbs - 3 for every finite double
    if (limb < 0 || limb > kLimbs - 3) return;   // unreachable; keeps the bounds provable
    int bit = shift - 32 * (limb - kOffset);  // 0..31
    // split |mant| << bit (< 2^85) into 32-bit pieces via its low 32 and high 21 bits
    const bool neg = mant < 0;
    const std::uint64_t a = static_cast<std::uint64_t>(neg ? -mant : mant);
    const std::uint64_t lo = (a & 0xffffffffu) << bit, hi = (a >> 32) << bit;  // < 2^63, < 2^53
    const std::int64_t piece[3] = {static_cast<std::int64_t>(lo & 0xffffffffu),
                                   static_cast<std::int64_t>((lo >> 32) + (hi & 0xffffffffu)),
                                   static_cast<std::int64_t>(hi >> 32)};
    for (int k = 0; k < 3; ++k) limbs_[limb + k] += neg ? -piece[k] : piece[k];
    if (++adds_ >= (1u << 28)) normalize();  // each add moves a limb by < 2^33
  }
  void add(const ExactSum& o) {
    for (int k = 0; k < kLimbs; ++k) limbs_[k] += o.limbs_[k];
    normalize();
  }
  ExactSum& operator+=(double x) { add(x); return *this; }

  // Carry so that each limb is in [0, 2^32) except the top one, which keeps the sign.
  void normalize() {
    for (int k = 0; k < kLimbs - 1; ++k) {
      std::int64_t carry = floor_div64(limbs_[k], 1ll << 32);
      limbs_[k] -= carry * (1ll << 32);
      limbs_[k + 1] += carry;
    }
    adds_ = 0;
  }

  // The sum rounded to a double (a deterministic function of the exact value).
  double value() const {
    ExactSum c = *this;
    c.normalize();
    long double r = 0.0L;
    for (int k = kLimbs - 1; k >= 0; --k)
      if (c.limbs_[k] != 0) r += std::ldexp(static_cast<long double>(c.limbs_[k]), 32 * (k - kOffset));
    return static_cast<double>(r);
  }

  std::int64_t* limbs() { return limbs_.data(); }
  const std::int64_t* limbs() const { return limbs_.data(); }
  void clear() { limbs_.fill(0); adds_ = 0; }
  friend bool operator==(const ExactSum& a, const ExactSum& b) {
    ExactSum x = a, y = b;
    x.normalize();
    y.normalize();
    return x.limbs_ == y.limbs_;
  }

 private:
  static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  static std::int64_t floor_div64(std::int64_t a, std::int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
  }
  std::array<std::int64_t, kLimbs> limbs_{};
  std::uint32_t adds_ = 0;
};

}  // namespace mps
