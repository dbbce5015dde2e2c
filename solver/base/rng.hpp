// Counter-based random numbers (Random123 Philox4x64-10, Salmon et al., SC'11).
//
// A stream is keyed by (seed, purpose) and counted by (id, step, draw): the numbers a particle or
// electron history gets depend only on who it is and when, never on which rank owns it or in what
// order particles are processed. That is what makes results independent of the rank count.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace mps {

// Purposes keep the streams of different processes independent for the same (id, step).
enum class RngPurpose : std::uint64_t {
  inject = 1,
  transport = 2,
  beam = 3,
  thermal = 4,
  charging = 5,
  contact = 6,
  rotor = 7,
  capture = 8,
  test = 99,
};

class Rng {
 public:
  using Philox = r123::Philox4x64;

  Rng(std::uint64_t seed, RngPurpose purpose, std::uint64_t id, std::uint64_t step = 0)
      : key_{{seed, static_cast<std::uint64_t>(purpose)}}, ctr_{{id, step, 0, 0}} {}

  // Uniform double in (0, 1): never 0 so log(u) is safe, never 1.
  double uniform() {
    if (pos_ == 4) refill();
    return to_open01(buf_.v[pos_++]);
  }
  std::uint64_t bits() {
    if (pos_ == 4) refill();
    return buf_.v[pos_++];
  }
  // Standard normal by Box-Muller (both values used).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform(), u2 = uniform();
    double r = std::sqrt(-2.0 * std::log(u1));
    double a = 6.283185307179586 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }
  double exponential() { return -std::log(uniform()); }

 private:
  static double to_open01(std::uint64_t x) {
    // 53 random bits, shifted by half an ulp away from 0
    return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
  }
  void refill() {
    buf_ = Philox()(ctr_, key_);
    ++ctr_.v[2];
    pos_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type buf_{};
  int pos_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace mps
