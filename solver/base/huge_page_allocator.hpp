// An allocator for the large per-particle arrays (ParticleStore's fields): a block of 2 MiB or
// more is aligned to 2 MiB and advised as transparent huge pages (madvise MADV_HUGEPAGE, before
// anything touches it), smaller ones come from operator new.
//
// Why: a step reads some fifteen fields of 8 MB each (1e6 particles), the particles in the beam
// in runs scattered over them. With 4 KiB pages that is ~30,000 pages, far beyond the data TLB,
// and Linux gives anonymous memory huge pages only where asked when THP is set to "madvise" (the
// Debian default). bench_particle_physics with huge pages (AMD Zen 4, interleaved runs): stream
// mix 2.06e7 -> 2.16e7 updates/s (medians of 9), scattered 1.74e7 -> 1.78e7 (medians of 5).
// Where THP is off the advice is ignored. The cost: up to one partly used 2 MiB page per array.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace mps {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(std::size_t n) {
    if (n > (static_cast<std::size_t>(PTRDIFF_MAX) - kHugePage) / sizeof(T))
      throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>{}.allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // (a hint: its failure changes nothing)
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage)
      std::allocator<T>{}.deallocate(p, n);
    else
      std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace mps
