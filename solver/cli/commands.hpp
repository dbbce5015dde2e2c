// Subcommands of `mpstream`. Each lives in its own file solver/cli/NAME_command.cpp and defines
// a register function that adds a CLI11 subcommand and the function run when it is chosen. The
// list in commands.cpp is the only place that names them all.
//
// A runner returns the process exit code (kExitSuccess, ...). It may throw InputError (exit 2)
// or RuntimeError (exit 1); main() prints the message on rank 0. MPI (and PETSc) are initialised
// before any runner is called and finalised after it returns.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace mps::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using CommandList = std::vector<Command>;

// Options after `--` on the command line (PETSc options), available to every runner.
std::vector<std::string>& passthrough_args();

void register_all_commands(CLI::App& root, CommandList& out);

// One line per subcommand, in the order they appear in `mpstream --help`.
void register_run_command(CLI::App& root, CommandList& out);
void register_check_command(CLI::App& root, CommandList& out);
void register_schema_command(CLI::App& root, CommandList& out);
void register_transport_command(CLI::App& root, CommandList& out);
void register_material_command(CLI::App& root, CommandList& out);
void register_gain_command(CLI::App& root, CommandList& out);
void register_study_command(CLI::App& root, CommandList& out);

}  // namespace mps::cli
