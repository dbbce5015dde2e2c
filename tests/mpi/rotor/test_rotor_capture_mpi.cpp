// MPI tests of the rotor and capture units inside the solver: a fed rotor throwing particles onto
// catchers gives bitwise the same particles, tallies and catcher maps on 1, 2 and 3 ranks (and
// against a serial run), keeps the mass balance exact, and restarts bitwise (maps included).
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "solver/sim/builtin_units.hpp"
#include "solver/sim/simulation.hpp"
#include "tests/mpi/gathered_particles.hpp"

using namespace mps;
using namespace mps::mpi_test;

namespace {

// Magnetic levitated rotor (transit ~1 ms), a plane that makes solid particles rebound, a ring
// that catches everything; gravity in the rotor plane's normal.
const char* kCase = R"(simulation:
  end_time: 1.4 ms
  dt: 10 us
  seed: 31
  output: {directory: unused, interval: 0, checkpoint_interval: 0}
  decomposition: {stream_axis: x, cells: 64}
domain:
  lo: [-0.2 m, -0.2 m, -0.02 m]
  hi: [0.2 m, 0.2 m, 0.02 m]
rotor:
  preset: magnetic_levitated
  exit_divergence: 1 deg
  feed:
    particle_rate: 1e6
    diameter: {law: lognormal, mean: 5 um, sigma: 1 um, max: 15 um}
flight:
  gravity: [0, 0, -9.81 m/s^2]
capture:
  catchers:
    - {name: target, shape: plane, center: [0.11 m, 0, 0], normal: [1, 0, 0], half_size: [30 mm, 5 mm],
       patches: [8, 2], sticking: rebound, restitution: 0.4}
    - {name: ring, shape: cylinder, center: [0, 0, 0], axis: [0, 0, 1], radius: 0.13 m, length: 30 mm,
       patches: [36, 3]}
)";

void expect_same_maps(const std::vector<ReducedSurfaceMap>& a,
                      const std::vector<ReducedSurfaceMap>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t m = 0; m < a.size(); ++m) {
    ASSERT_EQ(a[m].cells.size(), b[m].cells.size());
    for (std::size_t k = 0; k < a[m].cells.size(); ++k)
      EXPECT_EQ(a[m].cells[k].second, b[m].cells[k].second) << a[m].cells[k].first;
  }
}

double map_total(const std::vector<ReducedSurfaceMap>& maps, const std::string& array) {
  double t = 0;
  for (const auto& m : maps)
    for (const auto& [nm, v] : m.cells)
      if (nm == array)
        for (double x : v) t += x;
  return t;
}

}  // namespace

TEST(RotorCapture, SameResultOnAnyRankCountAndExactMassBalance) {
  Case c = load_case_text(kCase, "rotor-mpi-case", {}, builtin_units());
  RunOptions opt;
  opt.write_output = false;
  opt.progress = false;
  Simulation par(MPI_COMM_WORLD, c, opt);
  par.run();
  auto s_par = par.summary();
  auto maps_par = par.reduced_surface_maps();
  ParticleStore all = gather(MPI_COMM_WORLD, par.particles());
  if (world_rank() == 0) {
    Simulation ser(MPI_COMM_SELF, c, opt);
    ser.run();
    auto s_ser = ser.summary();
    expect_identical(all, gather(MPI_COMM_SELF, ser.particles()));
    EXPECT_EQ(s_par["tallies"], s_ser["tallies"]);
    expect_same_maps(maps_par, ser.reduced_surface_maps());
    // the balance: injected = in rotor + flying + captured + escaped, exactly
    EXPECT_TRUE(s_par["mass_balance_exact"].get<bool>());
    EXPECT_EQ(s_par["mass_balance_residual_kg"].get<double>(), 0.0);
    EXPECT_EQ(s_par["particles_injected"].get<long long>(), 1400);
    EXPECT_GT(s_par["particles_in_rotor"].get<long long>(), 0);
    EXPECT_GT(s_par["particles_captured"].get<long long>(), 50);
    const auto& t = s_par["tallies"];
    EXPECT_GT(t["capture.target.rebound_count"].get<double>(), 0.0);
    EXPECT_EQ(t["capture.captured_mass_kg"].get<double>(), s_par["mass_captured_kg"].get<double>());
    // the maps hold every captured particle and its mass
    EXPECT_EQ(map_total(maps_par, "count"), t["capture.captured_count"].get<double>());
    EXPECT_NEAR(map_total(maps_par, "deposited_mass_kg"),
                t["capture.captured_mass_kg"].get<double>(),
                1e-12 * t["capture.captured_mass_kg"].get<double>());
  }
}

TEST(RotorCapture, RestartIsBitwiseIdenticalWithMaps) {
  const std::string dir = temp_dir("restart");
  Case full = load_case_text(kCase, "rotor-mpi-case", {}, builtin_units());
  Case half =
      load_case_text(kCase, "rotor-mpi-case", {"simulation.end_time=1.1 ms"}, builtin_units());
  RunOptions opt;
  opt.progress = false;
  opt.output_dir = dir + "/a";
  Simulation a(MPI_COMM_WORLD, full, opt);
  a.run();
  ParticleStore ref = gather(MPI_COMM_WORLD, a.particles());
  auto sa = a.summary();
  auto ma = a.reduced_surface_maps();
  opt.output_dir = dir + "/b";
  {
    Simulation b(MPI_COMM_WORLD, half, opt);
    b.run();
  }
  opt.restart = dir + "/b/checkpoint_000110.h5";
  Simulation c(MPI_COMM_WORLD, full, opt);
  c.run();
  auto sc = c.summary();
  auto mc = c.reduced_surface_maps();
  ParticleStore got = gather(MPI_COMM_WORLD, c.particles());
  if (world_rank() == 0) {
    expect_identical(ref, got);
    EXPECT_EQ(sa["tallies"], sc["tallies"]);
    expect_same_maps(ma, mc);
    EXPECT_GT(map_total(mc, "count"), 0.0);
    EXPECT_TRUE(std::filesystem::exists(dir + "/a/catchers_000140.vtp"));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) std::filesystem::remove_all(dir);
}
