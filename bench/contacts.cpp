// Granular-gas benchmark of the contact unit (bench/run contacts runs it through
// bench/contacts.sh, next to LAMMPS on bench/contacts.lammps).
//   mpirun -n P build/bench/bench_contacts cases/bench/granular-gas.yaml [steps]
// Creates the 47^3 lattice of the LAMMPS input (contact/lattice_gas.hpp; ids numbered along the
// stream axis x of the decomposition, as an injected stream has them), takes one untimed step
// (migration, first neighbour list: LAMMPS's setup is not in its loop time either), then times
// `steps` steps of the solver's time loop (flight + contact + ghosts + migration) and prints
// "particle_steps_per_s <value>" (wall time) on the last line, after the loop's CPU time summed
// over the ranks ("particle_steps_per_cpu_s"), and before them each rank's loop time by unit and
// solver phase ("rank R seconds: ...").
#include <mpi.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "physics/contact/contact.hpp"
#include "physics/contact/lattice_gas.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"
#include "solver/sim/simulation.hpp"

namespace {
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 2) {
    if (rank == 0) std::fprintf(stderr, "usage: bench_contacts CASE [steps]\n");
    MPI_Finalize();
    return 2;
  }
  const int steps = argc > 2 ? std::stoi(argv[2]) : 1000;
  int rc = 0;
  try {
    mps::Case c = mps::load_case(argv[1], {}, mps::builtin_units());
    mps::RunOptions opt;
    opt.write_output = false;
    opt.progress = false;
    mps::Simulation sim(MPI_COMM_WORLD, c, opt);
    mps::contact::LatticeGas gas;  // the LAMMPS input's lattice and temperature
    gas.ids_along_x = true;        // ids along the case's stream axis x (lattice_gas.hpp)
    // velocity create 9e12 K (SI units): sigma = sqrt(k_B T / m) per component
    const double m = gas.density * 3.14159265358979323846 / 6.0 * std::pow(gas.diameter, 3);
    gas.velocity_sigma = std::sqrt(1.380649e-23 * 9e12 / m);
    mps::contact::fill_lattice_gas(sim.particles(), gas, rank, size);
    sim.step();
    const auto setup = sim.time_breakdown();
    MPI_Barrier(MPI_COMM_WORLD);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    for (int s = 0; s < steps; ++s) sim.step();
    const double cpu = cpu_seconds() - cpu0;  // before the barrier: no waiting for the others
    MPI_Barrier(MPI_COMM_WORLD);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // per rank, in rank order: where the loop's wall time went (units and solver phases)
    for (int r = 0; r < size; ++r) {
      if (r == rank) {
        std::printf("rank %d (%zu particles, %zu ghosts) seconds:", rank, sim.particles().size(),
                    sim.particles().ghost_count());
        const auto loop = sim.time_breakdown();
        for (std::size_t k = 0; k < loop.size(); ++k)
          std::printf(" %s %.3f", loop[k].first.c_str(), loop[k].second - setup[k].second);
        std::printf("\n");
        std::fflush(stdout);
      }
      MPI_Barrier(MPI_COMM_WORLD);
    }
    double cpu_sum = 0.0;
    MPI_Allreduce(&cpu, &cpu_sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    long long n = static_cast<long long>(sim.particles().size()), total = 0;
    MPI_Allreduce(&n, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    auto tallies = sim.global_tallies();
    const auto* unit = dynamic_cast<const mps::Contact*>(sim.unit("contact"));
    const int builds = unit ? static_cast<int>(unit->neighbour_builds()) : 0;
    const long long touching = unit ? static_cast<long long>(unit->active_contacts()) : 0;
    if (rank == 0) {
      std::printf(
          "ranks %d, particles %lld, steps %d, wall %.3f s, collisions %.0f, neighbour builds "
          "(rank 0) %d, contacts now (rank 0) %lld\n",
          size, total, steps, wall, tallies["contact.collisions_count"].value(), builds, touching);
      // CPU time of the loop summed over ranks (MPI waits included): a figure that a machine
      // shared with other jobs disturbs much less than the wall time
      std::printf("cpu_seconds_all_ranks %.6g\n", cpu_sum);
      std::printf("particle_steps_per_cpu_s %.6g\n", static_cast<double>(total) * steps / cpu_sum);
      std::printf("particle_steps_per_s %.6g\n", static_cast<double>(total) * steps / wall);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_contacts: %s\n", e.what());
    rc = 1;
  }
  MPI_Finalize();
  return rc;
}
