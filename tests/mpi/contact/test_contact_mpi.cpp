// The granular gas of the contact unit gives bitwise the same particles on 1, 2 and 3 ranks (run by
// ctest under mpiexec -n 1, 2, 3): in a walled box and in a periodic box. Rank 0 runs the same case
// alone (MPI_COMM_SELF) as the reference.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstring>

#include "physics/contact/lattice_gas.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"
#include "solver/sim/simulation.hpp"

using namespace mps;

namespace {

// 8^3 = 512 spheres of 4.5-5.5 um on a 5.5 um lattice at 20 m/s per component: every sphere
// collides several times in 300 steps of 0.5 ns, across the rank boundaries too.
const char* kHead = R"(simulation:
  end_time: 1 us
  dt: 0.5 ns
  seed: 3
  output: {directory: unused, interval: 0, checkpoint_interval: 0}
  decomposition: {stream_axis: x, cells: 16}
domain:
  lo: [-2.75 um, -2.75 um, -2.75 um]
  hi: [41.25 um, 41.25 um, 41.25 um]
processes: [flight, contact, domain]
flight:
  gravity: [0, 0, -9.81 m/s^2]
contact:
  min_diameter: 4 um
  max_diameter: 6 um
  skin: 0.3 um
  rolling_friction: 0.01
)";

const char* kWalls = R"(  walls:
    - {type: plane, point: [-2.75 um, 0, 0], normal: [1, 0, 0]}
    - {type: plane, point: [41.25 um, 0, 0], normal: [-1, 0, 0]}
    - {type: plane, point: [0, -2.75 um, 0], normal: [0, 1, 0]}
    - {type: plane, point: [0, 41.25 um, 0], normal: [0, -1, 0]}
    - {type: plane, point: [0, 0, -2.75 um], normal: [0, 0, 1]}
    - {type: cylinder, point: [19.25 um, 19.25 um, 0], axis: [0, 0, 1], radius: 30 um}
)";

ParticleStore gather(MPI_Comm comm, const ParticleStore& p) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const unsigned mask = kMigrate;
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

// Runs the gas on comm; returns the gathered particles (on comm's rank 0) and the collision count.
ParticleStore run_gas(MPI_Comm comm, const std::string& text, double& collisions) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  Case c = load_case_text(text, "gas.yaml", {}, builtin_units());
  RunOptions opt;
  opt.write_output = false;
  opt.progress = false;
  Simulation sim(comm, c, opt);
  contact::LatticeGas gas;
  gas.sites_per_axis = 8;
  gas.diameter_spread = 0.1;
  gas.velocity_sigma = 20.0;
  gas.seed = 11;
  contact::fill_lattice_gas(sim.particles(), gas, rank, size);
  for (int s = 0; s < 300; ++s) sim.step();
  collisions = sim.global_tallies()["contact.collisions_count"].value();
  return gather(comm, sim.particles());
}

void expect_same_on_every_rank_count(const std::string& text) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  double collisions = 0.0, reference_collisions = 0.0;
  ParticleStore all = run_gas(MPI_COMM_WORLD, text, collisions);
  if (rank != 0) return;
  ParticleStore ref = run_gas(MPI_COMM_SELF, text, reference_collisions);
  EXPECT_GT(reference_collisions, 500.0);
  EXPECT_EQ(collisions, reference_collisions);
  ASSERT_EQ(all.size(), ref.size());
  ASSERT_EQ(all.ids(), ref.ids());
  for (Field f : {Field::px, Field::py, Field::pz, Field::vx, Field::vy, Field::vz, Field::wx,
                  Field::wy, Field::wz, Field::fx, Field::fy, Field::fz})
    for (std::size_t i = 0; i < all.size(); ++i)
      ASSERT_EQ(std::memcmp(&all[f][i], &ref[f][i], sizeof(double)), 0)
          << field_table()[static_cast<int>(f)].name << " of particle " << all.ids()[i] << ": "
          << all[f][i] << " vs " << ref[f][i];
}

}  // namespace

TEST(ContactGas, WalledBoxIsBitwiseIndependentOfTheRankCount) {
  expect_same_on_every_rank_count(std::string(kHead) + kWalls);
}

TEST(ContactGas, PeriodicBoxIsBitwiseIndependentOfTheRankCount) {
  expect_same_on_every_rank_count(std::string(kHead) + "  periodic: [x, y, z]\n");
}
