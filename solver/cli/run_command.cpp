// `mpstream run CASE.yaml [--set key=value]... [--output DIR] [--restart FILE.h5] [-- PETSc options]`
#include <mpi.h>

#include <fmt/format.h>

#include <iostream>

#include "solver/base/errors.hpp"
#include "solver/cli/commands.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/simulation.hpp"

namespace mps::cli {

namespace {

// OpenMPI without PMIx under Slurm silently starts N one-rank copies: refuse that (DESIGN.md 7).
void check_slurm_world(int size) {
  const char* ntasks = std::getenv("SLURM_NTASKS");
  if (ntasks && std::atoi(ntasks) > 1 && size == 1 && !std::getenv("MPSTREAM_ALLOW_SINGLETON"))
    throw RuntimeError(fmt::format(
        "SLURM_NTASKS={} but MPI started a single rank: launch with srun (PMIx) or mpirun, or set "
        "MPSTREAM_ALLOW_SINGLETON=1 if this is intended",
        ntasks));
}

}  // namespace

void register_run_command(CLI::App& root, CommandList& out) {
  auto* app = root.add_subcommand("run", "Run a case");
  struct Args {
    std::string file, output, restart;
    std::vector<std::string> sets;
    bool quiet = false;
  };
  auto a = std::make_shared<Args>();
  app->add_option("case", a->file, "Case file (YAML)")->required();
  app->add_option("--set", a->sets, "Override a key: --set simulation.end_time=2ms (repeatable)");
  app->add_option("--output,-o", a->output, "Output folder (default: simulation.output.directory)");
  app->add_option("--restart", a->restart, "Continue from this HDF5 checkpoint");
  app->add_flag("--quiet,-q", a->quiet, "No progress line");
  out.push_back({app, [a]() {
                   int rank = 0, size = 1;
                   MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                   MPI_Comm_size(MPI_COMM_WORLD, &size);
                   check_slurm_world(size);
                   Case c = load_case(a->file, a->sets, builtin_units());
                   RunOptions opt;
                   opt.output_dir = a->output;
                   opt.restart = a->restart;
                   opt.progress = !a->quiet;
                   Simulation sim(MPI_COMM_WORLD, c, opt);
                   const bool done = sim.run();
                   auto s = sim.summary();
                   if (rank == 0) {
                     std::cout << fmt::format(
                         "\n{}: t = {:.4g} s in {} steps on {} rank(s), wall {:.2f} s\n"
                         "  particles injected {}, flying {}, captured {}, escaped {}; mass "
                         "balance {}\n  {:.3g} particle-steps/s\n  output: {}/ (run.pvd, "
                         "summary.json, diagnostics.csv, checkpoint_*.h5)\n",
                         done ? "finished" : "interrupted", s["time_s"].get<double>(),
                         s["steps"].get<std::uint64_t>(), size, s["wall_time_s"].get<double>(),
                         s["particles_injected"].get<long long>(), s["particles_flying"].get<long long>(),
                         s["particles_captured"].get<long long>(), s["particles_escaped"].get<long long>(),
                         s["mass_balance_exact"].get<bool>() ? "exact" : "NOT exact",
                         s["particle_steps_per_second"].get<double>(), sim.output_dir());
                   }
                   return 0;
                 }});
}

}  // namespace mps::cli
