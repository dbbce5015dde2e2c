// Exact, order-independent summation of doubles (a small superaccumulator).
//
// Tallies that feed results (deposited energy, captured mass, ...) are summed over particles in
// an order that depends on the decomposition; plain floating-point sums would then differ with the
// number of ranks. ExactSum keeps the exact sum as a fixed-point integer spread over 32-bit limbs
// (Neal 2015, "Fast exact summation using small and large superaccumulators", arXiv:1505.05571),
// so the result is identical whatever the order or the rank count. Merging across ranks is an
// MPI_SUM of int64 limbs, which is exact and associative.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mps {

class ExactSum {
 public:
  // Limb k holds bits [32 (k - kOffset), 32 (k - kOffset) + 32) of the fixed-point value.
  // Covers 2^-1152 .. 2^1088: every finite double, subnormals included.
  static constexpr int kLimbs = 70;
  static constexpr int kOffset = 36;

  void add(double x) {
    if (x == 0.0) return;
    // x = (-1)^sign mant 2^shift with a 53-bit integer mant, read from the IEEE 754 bits (exact,
    // and much cheaper than frexp/ldexp, which are library calls: tallies add several values per
    // particle and step)
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const int biased = static_cast<int>((bits >> 52) & 0x7ff);
    if (biased == 0x7ff) return;  // inf or NaN: not representable (the callers never add them)
    const std::uint64_t a = (bits & ((std::uint64_t{1} << 52) - 1)) |
                            (biased ? std::uint64_t{1} << 52 : 0);  // subnormals: no hidden bit
    add_scaled((bits >> 63) != 0, a, biased);
  }
  // Adds (-1)^neg a 2^(max(biased, 1) - 1075) exactly, for any a < 2^63: a double's mantissa
  // with its biased exponent, or a sum of up to 1024 of them with the same exponent
  // (ExactSumBins).
  void add_scaled(bool neg, std::uint64_t a, int biased) {
    // as a bit position from 2^-1152: 78 .. 2123
    const int pos = (biased ? biased : 1) - 1075 + 32 * kOffset;
    const int limb = pos >> 5;  // 2 .. kLimbs - 3: a << bit < 2^95 spans three limbs
    const int bit = pos & 31;
    // split a << bit into 32-bit pieces via its low and high 32 bits
    const std::uint64_t lo = (a & 0xffffffffu) << bit, hi = (a >> 32) << bit;  // < 2^63, < 2^62
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
  ExactSum& operator+=(double x) {
    add(x);
    return *this;
  }

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
      if (c.limbs_[k] != 0)
        r += std::ldexp(static_cast<long double>(c.limbs_[k]), 32 * (k - kOffset));
    return static_cast<double>(r);
  }

  std::int64_t* limbs() { return limbs_.data(); }
  const std::int64_t* limbs() const { return limbs_.data(); }
  void clear() {
    limbs_.fill(0);
    adds_ = 0;
  }
  friend bool operator==(const ExactSum& a, const ExactSum& b) {
    ExactSum x = a, y = b;
    x.normalize();
    y.normalize();
    return x.limbs_ == y.limbs_;
  }

 private:
  static std::int64_t floor_div64(std::int64_t a, std::int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
  }
  std::array<std::int64_t, kLimbs> limbs_{};
  std::uint32_t adds_ = 0;
};

// Exact sums of many doubles from SIMD lanes (the thermal and charging units' batched kernels,
// lanes::LaneSums), cheaper per value than ExactSum::add: each value's signed mantissa is added to
// a bin of its biased exponent (the "large superaccumulator" of Neal 2015), one integer add. Each
// lane has its own bins (slot), so the adds of one batch are independent of each other. A bin holds
// the sum of at most 1024 mantissas (< 2^63), so the bins are flushed into the exact sum every 1024
// batches. A flush scans every bin, or only the exponent range the caller tracked (LaneSums, one
// lane-wise min and max per batch; a tally's values span a few dozen exponents of the 2048, and
// the full scan, 16 bins per batch, was a tenth of the thermal and charging units' time outside
// the beam).
//
// Layout: lane-minor, bin(slot, e) = e kSlots + slot, the eight slots of one exponent in one
// 64-byte cache line. The lanes of a batch mostly share an exponent, so one batch's adds touch
// one or two lines, and a batch's eight bins, always distinct, take one gather and one scatter
// (LaneSums). Slot-major (slot l's bins at l x 16 KB) put them 16 KB apart, in one set of a 32 KB
// 8-way L1; on AMD Zen 4 the change of layout alone gave ~5 %, the gather and scatter the rest of
// LaneSums' gain (bench_particle_physics stream mix 1.45e7 -> 2.0e7 updates/s).
class ExactSumBins {
 public:
  static constexpr int kSlots = 8;  // lanes, at most
  static constexpr int kBins = 2048;
  ExactSumBins() : storage_(static_cast<std::size_t>(kSlots) * kBins + kAlign, 0) {}
  ExactSumBins(const ExactSumBins&) = delete;  // (bins_ points into storage_)
  ExactSumBins& operator=(const ExactSumBins&) = delete;
  // The bin of slot l for biased exponent b (< 2047) is bins()[index(l, b)]: a value
  // (-1)^sign mant 2^(max(b, 1) - 1075), mant < 2^53, is added as its signed mantissa. After
  // each batch (at most one value per slot), end_batch().
  std::int64_t* bins() { return bins_; }
  static constexpr std::size_t index(std::size_t slot, std::size_t biased) {
    return biased * kSlots + slot;
  }
  void end_batch() {
    if (++batches_ == kBatches) flush(0, kBins - 1);
  }
  // The same for a caller that tracks the bins it used: true when the bins are full, after
  // which the caller calls flush() with the exponent range it used.
  bool end_batch_full() { return ++batches_ == kBatches; }
  // Moves the bins of the exponents [lo, hi] (clipped to the table) of every slot into the exact
  // total and empties them; the other bins must be empty.
  void flush(std::int64_t lo, std::int64_t hi) {
    const std::int64_t first = std::max<std::int64_t>(lo, 0);
    const std::int64_t last = std::min<std::int64_t>(hi, kBins - 1);
    for (std::int64_t e = first; e <= last; ++e)
      for (std::size_t slot = 0; slot < kSlots; ++slot) {
        std::int64_t& b = bins_[index(slot, static_cast<std::size_t>(e))];
        if (b == 0) continue;
        total_.add_scaled(b < 0, static_cast<std::uint64_t>(b < 0 ? -b : b), static_cast<int>(e));
        b = 0;
      }
    batches_ = 0;
  }
  // moves everything into `sum` (exactly) and empties the bins (those of the exponents given, as
  // flush())
  void flush_into(ExactSum& sum, std::int64_t lo = 0, std::int64_t hi = kBins - 1) {
    flush(lo, hi);
    sum.add(total_);
    total_.clear();
  }

 private:
  static constexpr unsigned kBatches = 1024;
  static constexpr std::size_t kAlign = 8;  // int64s in a cache line
  std::vector<std::int64_t> storage_;
  // the first cache-line boundary in storage_ (a line then holds one exponent's slots)
  std::int64_t* bins_ = reinterpret_cast<std::int64_t*>(
      (reinterpret_cast<std::uintptr_t>(storage_.data()) + 63) & ~std::uintptr_t{63});
  unsigned batches_ = 0;
  ExactSum total_;
};

}  // namespace mps
