// HugePageAllocator (solver/base/huge_page_allocator.hpp): large blocks on 2 MiB boundaries (where
// huge pages can back them), small ones as usual, and a vector of them behaves as any vector.
#include "solver/base/huge_page_allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

using mps::HugePageAllocator;

TEST(HugePageAllocator, AlignsLargeBlocksToHugePages) {
  HugePageAllocator<double> a;
  const std::size_t n = 3 * HugePageAllocator<double>::kHugePage / sizeof(double) + 5;
  double* p = a.allocate(n);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % HugePageAllocator<double>::kHugePage, 0u);
  p[0] = 1.0;
  p[n - 1] = 2.0;  // the whole block is usable
  EXPECT_EQ(p[0] + p[n - 1], 3.0);
  a.deallocate(p, n);
  double* q = a.allocate(16);  // small: operator new
  q[15] = 4.0;
  EXPECT_EQ(q[15], 4.0);
  a.deallocate(q, 16);
}

TEST(HugePageAllocator, VectorGrowsAcrossTheThresholdKeepingItsValues) {
  std::vector<double, HugePageAllocator<double>> v;
  for (int i = 0; i < 1 << 19; ++i) v.push_back(i);  // 4 MiB: reallocated small -> large
  std::vector<double> expect(v.size());
  std::iota(expect.begin(), expect.end(), 0.0);
  EXPECT_TRUE(std::equal(v.begin(), v.end(), expect.begin()));
  v.resize(10);
  v.shrink_to_fit();  // large -> small
  EXPECT_EQ(v.back(), 9.0);
}
