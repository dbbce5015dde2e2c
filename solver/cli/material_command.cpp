// `mpstream material NAME [--from T1] [--to T2] [--json]`: the property table of a built-in
// material and its enthalpy budget between two temperatures (the paper's "permitting melting
// adds at least 48 %" check): sensible heat (integral of cp from T1 to T2), latent heat of fusion
// and their ratio. Printed by rank 0 only.
#include <mpi.h>

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "physics/materials/material.hpp"
#include "solver/base/units.hpp"
#include "solver/cli/commands.hpp"

namespace mps::cli {

namespace {

struct MaterialOptions {
  std::string name = "tungsten";
  std::string from = "373.15 K";
  std::string to;  // default: the melting point
  bool json = false;
  double step = 250.0;
};

int run_material(const MaterialOptions& o) {
  const Material& m = Material::builtin(o.name);
  const double t1 = parse_quantity_as(o.from, dim::temperature);
  const double t2 = o.to.empty() ? m.melting_point() : parse_quantity_as(o.to, dim::temperature);
  const double sensible = m.sensible_enthalpy(t1, t2);
  const double latent = m.latent_heat_fusion();
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) return 0;

  nlohmann::json j;
  j["material"] = m.name();
  j["source"] = m.source();
  j["from_K"] = t1;
  j["to_K"] = t2;
  j["melting_point_K"] = m.melting_point();
  j["molar_mass_kg_per_mol"] = m.molar_mass();
  j["latent_heat_fusion_J_per_kg"] = latent;
  j["sensible_enthalpy_J_per_kg"] = sensible;
  j["latent_to_sensible_ratio"] = latent / sensible;
  j["work_function_eV"] = m.work_function_eV();
  j["richardson_constant_A_per_m2_K2"] = m.richardson_constant();
  nlohmann::json rows = nlohmann::json::array();
  std::vector<double> temps;
  for (double T = m.min_temperature(); T < m.max_temperature() + 1e-9; T += o.step) {
    if (T > m.melting_point() && temps.back() < m.melting_point())
      temps.push_back(m.melting_point());
    temps.push_back(T);
  }
  for (double T : temps) {
    rows.push_back({{"T_K", T},
                    {"cp_J_per_kg_K", m.cp(T)},
                    {"enthalpy_J_per_kg", m.enthalpy(T)},
                    {"density_kg_per_m3", m.density(T)},
                    {"conductivity_W_per_m_K", m.conductivity(T)},
                    {"emissivity", m.emissivity(T)},
                    {"vapour_pressure_Pa", m.vapour_pressure(T)},
                    {"heat_of_vaporisation_J_per_kg", m.heat_of_vaporisation(T)}});
  }
  j["table"] = rows;
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("material {}\nsource: {}\n\n", m.name(), m.source());
  std::cout << fmt::format("{:>8} {:>10} {:>12} {:>10} {:>9} {:>7} {:>11} {:>11}\n", "T_K",
                           "cp_J/kgK", "h_J/kg", "rho_kg/m3", "k_W/mK", "eps", "p_vap_Pa",
                           "dHvap_J/kg");
  for (const auto& r : rows)
    std::cout << fmt::format(
        "{:8.1f} {:10.2f} {:12.5g} {:10.1f} {:9.2f} {:7.4f} {:11.4g} {:11.5g}\n",
        r["T_K"].get<double>(), r["cp_J_per_kg_K"].get<double>(),
        r["enthalpy_J_per_kg"].get<double>(), r["density_kg_per_m3"].get<double>(),
        r["conductivity_W_per_m_K"].get<double>(), r["emissivity"].get<double>(),
        r["vapour_pressure_Pa"].get<double>(), r["heat_of_vaporisation_J_per_kg"].get<double>());
  std::cout << fmt::format(
      "\nenthalpy budget {:.2f} K -> {:.2f} K\n"
      "melting_point_K             {:.2f}\n"
      "sensible_enthalpy_J_per_kg  {:.6g}\n"
      "latent_heat_fusion_J_per_kg {:.6g}\n"
      "latent_to_sensible_ratio    {:.4f}\n",
      t1, t2, m.melting_point(), sensible, latent, latent / sensible);
  return 0;
}

}  // namespace

void register_material_command(CLI::App& root, CommandList& out) {
  auto o = std::make_shared<MaterialOptions>();
  auto* app = root.add_subcommand("material", "Property table and enthalpy budget of a material");
  app->add_option("name", o->name,
                  "Material: tungsten, molybdenum, tantalum or the path of a NAME.yaml data file");
  app->add_option("--from", o->from, "Start temperature of the budget (default 373.15 K)");
  app->add_option("--to", o->to, "End temperature of the budget (default the melting point)");
  app->add_option("--step", o->step, "Temperature step of the table (K)");
  app->add_flag("--json", o->json, "Print JSON instead of text");
  out.push_back({app, [o]() { return run_material(*o); }});
}

}  // namespace mps::cli
