// Shared scaffolding of the MPI tests that compare a parallel run with a serial one: gather a
// distributed particle store on rank 0 in id order, compare two stores bitwise, and a scratch
// directory every rank agrees on.
#pragma once

#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "solver/particles/particle_store.hpp"

namespace mps::mpi_test {

inline int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

// The particles of every rank of comm, on comm's rank 0 (empty elsewhere), sorted by id; the
// fields in `mask` only.
inline ParticleStore gather(MPI_Comm comm, const ParticleStore& p,
                            unsigned mask = kMigrate | kCheckpoint) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const std::size_t stride = ParticleStore::packed_size(mask);
  std::vector<double> buf(p.size() * stride);
  for (std::size_t i = 0; i < p.size(); ++i) p.pack(i, mask, buf.data() + i * stride);
  int n = static_cast<int>(buf.size());
  std::vector<int> counts(size), displs(size + 1, 0);
  MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
  for (int r = 0; r < size; ++r) displs[r + 1] = displs[r] + counts[r];
  std::vector<double> all(rank == 0 ? displs[size] : 0);
  MPI_Gatherv(buf.data(), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
              comm);
  ParticleStore out;
  for (std::size_t off = 0; off < all.size(); off += stride)
    out.unpack_append(all.data() + off, mask);
  out.sort_by_id();
  return out;
}

// Bitwise comparison of two gathered stores: ids, states and every field (NaN equals NaN).
inline void expect_identical(const ParticleStore& a, const ParticleStore& b) {
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.ids(), b.ids());
  ASSERT_EQ(a.states(), b.states());
  for (int k = 0; k < kFieldCount; ++k) {
    const auto& x = a[static_cast<Field>(k)];
    const auto& y = b[static_cast<Field>(k)];
    for (std::size_t i = 0; i < x.size(); ++i)
      ASSERT_EQ(std::memcmp(&x[i], &y[i], sizeof(double)), 0)
          << field_table()[k].name << " of particle " << a.ids()[i] << ": " << x[i] << " vs "
          << y[i];
  }
}

// A fresh directory under the system's temporary folder, made by rank 0, its name broadcast.
inline std::string temp_dir(const std::string& tag) {
  char name[256] = {};
  if (world_rank() == 0) {
    auto d = std::filesystem::temp_directory_path() /
             ("mpstream_test_" + tag + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    std::strncpy(name, d.c_str(), sizeof(name) - 1);
  }
  MPI_Bcast(name, sizeof(name), MPI_CHAR, 0, MPI_COMM_WORLD);
  return name;
}

}  // namespace mps::mpi_test
