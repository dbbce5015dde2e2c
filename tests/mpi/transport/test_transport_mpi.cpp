// Transport histories shared over ranks by history id and reduced exactly (ExactSum limbs summed
// with MPI_SUM) give bit-identical tallies to one rank running all histories: run under
// mpiexec -n 1, 2 and 3.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>

#include "physics/transport/scenarios.hpp"

using namespace mps::transport;

namespace {
void reduce(Tallies& t) {
  auto sums = t.sums();
  std::vector<std::int64_t> buf(sums.size() * mps::ExactSum::kLimbs);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    sums[i]->normalize();
    std::copy(sums[i]->limbs(), sums[i]->limbs() + mps::ExactSum::kLimbs,
              buf.begin() + static_cast<std::ptrdiff_t>(i * mps::ExactSum::kLimbs));
  }
  MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_INT64_T, MPI_SUM,
                MPI_COMM_WORLD);
  for (std::size_t i = 0; i < sums.size(); ++i)
    std::copy(buf.begin() + static_cast<std::ptrdiff_t>(i * mps::ExactSum::kLimbs),
              buf.begin() + static_cast<std::ptrdiff_t>((i + 1) * mps::ExactSum::kLimbs),
              sums[i]->limbs());
  unsigned long long n = t.histories;
  MPI_Allreduce(MPI_IN_PLACE, &n, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  t.histories = n;
}

void expect_identical(Tallies& a, Tallies& b) {
  ASSERT_EQ(a.histories, b.histories);
  auto sa = a.sums(), sb = b.sums();
  ASSERT_EQ(sa.size(), sb.size());
  int differing = 0;
  for (std::size_t i = 0; i < sa.size(); ++i) differing += !(*sa[i] == *sb[i]);
  EXPECT_EQ(differing, 0);
}
}  // namespace

TEST(TransportMpi, BulkTalliesIndependentOfRankCount) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const Material w = tungsten();
  TransportEngine engine(w, bulk_options(w, 60e3));
  Slab slab;
  PencilBeam beam(60e3);
  const std::uint64_t n = 600, lo = n * rank / size, hi = n * (rank + 1) / size;
  Tallies part = engine.run_histories(slab, beam, lo, hi - lo, 4);
  reduce(part);
  Tallies all = engine.run_histories(slab, beam, 0, n, 4);
  expect_identical(part, all);
}

TEST(TransportMpi, CloudTalliesIndependentOfRankCount) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // a small monolayer of 5 um spheres (3 x 3), beam over the middle one and its neighbours
  std::vector<SphereSpec> s;
  for (int i = -1; i <= 1; ++i)
    for (int j = -1; j <= 1; ++j) s.push_back({{i * 6e-6, j * 6e-6, 0.0}, 2.5e-6});
  SphereCloud cloud(s);
  TransportOptions o;
  o.tally_origin = {0, 0, -2.5e-6};
  TransportEngine engine(tungsten(), o);
  DiscBeam beam(100e3, {0, 0, -10e-6}, {0, 0, 1}, 8e-6);
  const std::uint64_t n = 300, lo = n * rank / size, hi = n * (rank + 1) / size;
  Tallies part = engine.run_histories(cloud, beam, lo, hi - lo, 8);
  reduce(part);
  Tallies all = engine.run_histories(cloud, beam, 0, n, 8);
  expect_identical(part, all);
}
