// any_index(b, e, test): whether test(i) holds for some i in [b, e), without a branch per element
// (test returns a bool computed from doubles); any_lane(x, n, test): whether test(x[i]) holds for
// some i < n.
//
// The per-particle passes of the time loop (periodic wrap, domain faces, size checks) almost never
// find anything; a scan that only counts hits runs at memory speed when the compiler vectorises
// it. A single running count is one chain of dependent additions (floating-point sums are not
// reassociated without -ffast-math); eight independent counts let the compiler use packed
// additions. The counts are doubles so the comparisons of doubles and the counts have the same
// width (g++ 12 does not vectorise a bool -> integer count of double comparisons).
#pragma once

#include <cstddef>

namespace mps {

template <class Test>
inline bool any_index(std::size_t b, std::size_t e, Test test) {
  double count[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = b;
  for (; i + 8 <= e; i += 8)
    for (std::size_t k = 0; k < 8; ++k) count[k] += test(i + k) ? 1.0 : 0.0;
  double total = 0.0;
  for (int k = 0; k < 8; ++k) total += count[k];
  for (; i < e; ++i) total += test(i) ? 1.0 : 0.0;
  return total > 0.0;
}

template <class Test>
inline bool any_lane(const double* x, std::size_t n, Test test) {
  return any_index(0, n, [=](std::size_t i) { return test(x[i]); });
}

}  // namespace mps
