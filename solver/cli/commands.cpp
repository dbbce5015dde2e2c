#include "solver/cli/commands.hpp"

namespace mps::cli {

std::vector<std::string>& passthrough_args() {
  static std::vector<std::string> args;
  return args;
}

void register_all_commands(CLI::App& root, CommandList& out) {
  register_run_command(root, out);
  register_check_command(root, out);
  register_schema_command(root, out);
  register_transport_command(root, out);
  register_material_command(root, out);
  register_gain_command(root, out);
  register_study_command(root, out);
}

}  // namespace mps::cli
