// MPI tests of the solver: migration, results independent of the rank count, and bitwise
// restart (also onto a different rank count). Run by ctest on 1, 2 and 3 ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include <unistd.h>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "solver/base/rng.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/simulation.hpp"
#include "tests/mpi/gathered_particles.hpp"

using namespace mps;
using namespace mps::mpi_test;

namespace {

// A stream through a box, with gravity and a rotating frame, log-normal sizes.
const char* kCase = R"(simulation:
  end_time: 6 us
  dt: 20 ns
  seed: 77
  output: {directory: unused, interval: 0, checkpoint_interval: 0}
  decomposition: {stream_axis: x, cells: 64}
domain:
  lo: [0, -1 mm, -1 mm]
  hi: [2 mm, 1 mm, 1 mm]
injector:
  particle_rate: 4e8
  diameter: {law: lognormal, mean: 5 um, sigma: 1 um}
  position: {center: [0.1 mm, 0, 0], half_width: [0, 0.5 mm, 0.5 mm]}
  velocity: {mean: [400 m/s, 0, 0], sigma: [20 m/s, 30 m/s, 30 m/s]}
flight:
  gravity: [0, 0, -9.81 m/s^2]
  gantry: {axis: [0, 0, 1], origin: [0, 0.3 m, 0], angular_velocity: 200 rpm}
)";

}  // namespace

TEST(Migration, EveryParticleEndsOnItsOwnerAndNoneIsLost) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Decomposition d(MPI_COMM_WORLD, {0, 0, 0}, {1, 2, 3}, 0, {32, 32, 32});
  ParticleStore p;
  const int n = 1000;
  for (int k = 0; k < n; ++k) {
    Rng rng(5, RngPurpose::test, static_cast<std::uint64_t>(rank * n + k));
    auto i = p.push_back(static_cast<std::uint64_t>(rank * n + k), ParticleState::flying);
    // a thin stream near x = 0.2 plus some particles slightly outside the box
    p[Field::px][i] = 0.2 + 0.05 * rng.normal();
    p[Field::py][i] = -0.1 + 2.2 * rng.uniform();
    p[Field::pz][i] = 3.0 * rng.uniform();
    p[Field::mass][i] = static_cast<double>(rank * n + k);
  }
  d.rebalance(p);
  migrate(p, d);
  for (std::size_t i = 0; i < p.size(); ++i)
    ASSERT_EQ(d.owner(p[Field::px][i], p[Field::py][i], p[Field::pz][i]), rank);
  // the mass field travelled with its id
  for (std::size_t i = 0; i < p.size(); ++i)
    ASSERT_EQ(p[Field::mass][i], static_cast<double>(p.ids()[i]));
  long long local = static_cast<long long>(p.size()), total = 0;
  MPI_Allreduce(&local, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  EXPECT_EQ(total, static_cast<long long>(n) * size);
  // the weighted cut balances the thin stream: max/mean <= 1.25 (histogram of 32 cells)
  const double imbalance = d.imbalance(p.size());
  if (size > 1) {
    EXPECT_LE(imbalance, 1.25);
  }
}

TEST(Ghosts, NeighboursWithinCutoffArrive) {
  Decomposition d(MPI_COMM_WORLD, {0, 0, 0}, {1, 1, 1}, 0, {16, 16, 16});
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ParticleStore p;
  // particles on a line along x; each rank keeps the ones it owns
  for (int k = 0; k < 100; ++k) {
    double x = (k + 0.5) / 100.0;
    if (d.owner(x, 0.5, 0.5) != rank) continue;
    auto i = p.push_back(static_cast<std::uint64_t>(k), ParticleState::flying);
    p[Field::px][i] = x, p[Field::py][i] = 0.5, p[Field::pz][i] = 0.5;
  }
  const std::size_t owned = p.size();
  exchange_ghosts(p, d, 0.025);
  auto box = d.box(rank);
  std::size_t expected = 0;
  for (int k = 0; k < 100; ++k) {
    double x = (k + 0.5) / 100.0;
    if (d.owner(x, 0.5, 0.5) != rank && x >= box[0][0] - 0.025 && x <= box[1][0] + 0.025)
      ++expected;
  }
  EXPECT_EQ(p.ghost_count(), expected);
  p.drop_ghosts();
  EXPECT_EQ(p.size(), owned);
}

TEST(Solver, SameResultOnAnyRankCount) {
  Case c = load_case_text(kCase, "mpi-case", {}, builtin_units());
  RunOptions opt;
  opt.write_output = false;
  opt.progress = false;
  Simulation par(MPI_COMM_WORLD, c, opt);
  par.run();
  auto s_par = par.summary();
  ParticleStore all = gather(MPI_COMM_WORLD, par.particles());
  if (world_rank() == 0) {
    Simulation ser(MPI_COMM_SELF, c, opt);
    ser.run();
    auto s_ser = ser.summary();
    ASSERT_GT(all.size(), 100u);
    expect_identical(all, gather(MPI_COMM_SELF, ser.particles()));
    EXPECT_EQ(s_par["tallies"], s_ser["tallies"]);
    EXPECT_TRUE(s_par["mass_balance_exact"].get<bool>());
    EXPECT_GT(s_par["particles_escaped"].get<long long>(), 0);
  }
}

TEST(Solver, RestartIsBitwiseIdentical) {
  const std::string dir = temp_dir("restart");
  Case full = load_case_text(kCase, "mpi-case", {}, builtin_units());
  Case half = load_case_text(kCase, "mpi-case", {"simulation.end_time=3 us"}, builtin_units());
  RunOptions opt;
  opt.progress = false;
  opt.output_dir = dir + "/a";
  Simulation a(MPI_COMM_WORLD, full, opt);
  a.run();
  ParticleStore ref = gather(MPI_COMM_WORLD, a.particles());
  auto sa = a.summary();

  opt.output_dir = dir + "/b";
  {
    Simulation b(MPI_COMM_WORLD, half, opt);
    b.run();  // writes checkpoint_000150.h5 at its end
  }
  const std::string ck = dir + "/b/checkpoint_000150.h5";
  opt.restart = ck;
  Simulation c(MPI_COMM_WORLD, full, opt);
  c.run();
  auto sc = c.summary();
  ParticleStore got = gather(MPI_COMM_WORLD, c.particles());
  if (world_rank() == 0) {
    expect_identical(ref, got);
    EXPECT_EQ(sa["tallies"], sc["tallies"]);
    EXPECT_EQ(sa["particle_steps"], sc["particle_steps"]);
    // a different rank count: restart the same checkpoint on one rank
    RunOptions one = opt;
    one.output_dir = dir + "/c";
    Simulation d(MPI_COMM_SELF, full, one);
    d.run();
    expect_identical(ref, gather(MPI_COMM_SELF, d.particles()));
    EXPECT_EQ(sa["tallies"], d.summary()["tallies"]);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) std::filesystem::remove_all(dir);
}

TEST(Gather, BoxContentsIdenticalOnEveryRank) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Decomposition d(MPI_COMM_WORLD, {0, 0, 0}, {1, 1, 1}, 0, {16, 16, 16});
  ParticleStore p;
  const int n = 300;  // 300 particles in all, on their owners
  for (int k = 0; k < n; ++k) {
    Rng rng(9, RngPurpose::test, static_cast<std::uint64_t>(k));
    const double x = rng.uniform(), y = rng.uniform(), z = rng.uniform();
    if (d.owner(x, y, z) != rank) continue;
    auto i = p.push_back(static_cast<std::uint64_t>(k), ParticleState::flying);
    p[Field::px][i] = x, p[Field::py][i] = y, p[Field::pz][i] = z;
  }
  ParticleStore g = gather_box(p, d, {0.2, 0.0, 0.0}, {0.7, 0.5, 1.0});
  std::vector<std::uint64_t> expected;
  for (int k = 0; k < n; ++k) {
    Rng rng(9, RngPurpose::test, static_cast<std::uint64_t>(k));
    const double x = rng.uniform(), y = rng.uniform(), z = rng.uniform();
    if (x >= 0.2 && x <= 0.7 && y <= 0.5 && z <= 1.0)
      expected.push_back(static_cast<std::uint64_t>(k));
  }
  EXPECT_EQ(g.ids(), expected);
}
