// mpstream: coupled multiphysics of tungsten microparticle-stream X-ray targets.
// Entry point: parses the command line (CLI11), initialises MPI and PETSc, runs one subcommand.
#include <mpi.h>
#include <petscsys.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "solver/base/errors.hpp"
#include "solver/base/schema.hpp"
#include "solver/cli/commands.hpp"
#include "solver/cli/version.hpp"
#include "solver/sim/simulation.hpp"

int main(int argc, char** argv) {
  // Everything after a bare "--" goes to PETSc.
  std::vector<char*> ours, petsc{argv[0]};
  bool after = false;
  for (int i = 0; i < argc; ++i) {
    if (!after && i > 0 && std::string(argv[i]) == "--") {
      after = true;
      continue;
    }
    (after ? petsc : ours).push_back(argv[i]);
    if (after) mps::cli::passthrough_args().emplace_back(argv[i]);
  }

  CLI::App app{"mpstream: MPI-parallel multiphysics of tungsten microparticle-stream X-ray targets"};
  app.require_subcommand(1);
  app.set_version_flag("--version", [] { return mps::cli::version_text(); });
  mps::cli::CommandList commands;
  mps::cli::register_all_commands(app, commands);

  // An unknown subcommand gets a suggestion (CLI11 only says one is required).
  if (ours.size() > 1 && ours[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), ours[1]) == names.end()) {
      std::string msg = std::string("mpstream: error: unknown command '") + ours[1] + "'";
      auto s = mps::did_you_mean(ours[1], names);
      if (!s.empty()) msg += " (did you mean '" + s + "'?)";
      std::cerr << msg << "; see mpstream --help\n";
      return mps::kExitBadInput;
    }
  }

  int rank = 0;
  try {
    app.parse(static_cast<int>(ours.size()), ours.data());
  } catch (const CLI::ParseError& e) {
    // help and version exit 0; a bad command line is bad input (2)
    int rc = app.exit(e);
    return rc == 0 ? 0 : mps::kExitBadInput;
  }

  int petsc_argc = static_cast<int>(petsc.size());
  char** petsc_argv = petsc.data();
  // Our SIGTERM/SIGUSR1 handlers (checkpoint and stop) are installed before MPI and PETSc and
  // PETSc is told to keep its own away: PetscFinalize would otherwise restore the default action
  // and a late signal would kill a rank that has already written its checkpoint.
  mps::install_checkpoint_signal_handlers();
  MPI_Init(&argc, &argv);
  PetscOptionsSetValue(nullptr, "-options_left", "false");
  PetscOptionsSetValue(nullptr, "-no_signal_handler", "true");
  if (PetscInitialize(&petsc_argc, &petsc_argv, nullptr, nullptr) != 0) {
    std::fprintf(stderr, "mpstream: PETSc failed to initialise\n");
    MPI_Abort(MPI_COMM_WORLD, mps::kExitRuntime);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);

  int rc = mps::kExitSuccess;
  try {
    for (auto& c : commands)
      if (c.app->parsed()) rc = c.run();
  } catch (const mps::InputError& e) {
    if (rank == 0) std::cerr << "mpstream: error: " << e.what() << "\n";
    rc = mps::kExitBadInput;
  } catch (const std::exception& e) {
    if (rank == 0 || true) std::cerr << "mpstream: runtime failure (rank " << rank << "): " << e.what() << "\n";
    rc = mps::kExitRuntime;
  }
  // An error seen on some ranks only must not hang the others: agree on the worst exit code.
  int worst = rc;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  PetscFinalize();
  MPI_Finalize();
  return worst;
}
