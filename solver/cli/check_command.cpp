// `mpstream check CASE.yaml`: validate and print the fully resolved case in SI units.
// `mpstream schema`: every key of every section as Markdown (the README's case reference).
#include <mpi.h>

#include <iostream>

#include "solver/cli/commands.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps::cli {

void register_check_command(CLI::App& root, CommandList& out) {
  auto* app = root.add_subcommand("check", "Validate a case and print it resolved, in SI units");
  auto file = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  app->add_option("case", *file, "Case file (YAML)")->required();
  app->add_option("--set", *sets, "Override a key: --set injector.velocity.mean=[400,0,0]");
  out.push_back({app, [file, sets]() {
                   int rank = 0;
                   MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                   Case c = load_case(*file, *sets, builtin_units());
                   if (rank == 0) {
                     std::cout << resolved_yaml(c, build_root_schema(builtin_units()));
                     std::cout << "# active process units:";
                     for (const auto& u : c.active_units) std::cout << ' ' << u;
                     std::cout << "\n";
                   }
                   return 0;
                 }});
}

void register_schema_command(CLI::App& root, CommandList& out) {
  auto* app = root.add_subcommand("schema", "Print every case key (type, unit, default, range) as Markdown");
  out.push_back({app, []() {
                   int rank = 0;
                   MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                   if (rank == 0) std::cout << schema_markdown(build_root_schema(builtin_units()));
                   return 0;
                 }});
}

}  // namespace mps::cli
