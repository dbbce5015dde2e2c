// `mpstream gain --voltage 150kV --velocity 400m/s [--focal-spot 0.3] [--target-angle 8deg]
//  [--melting] [--density-fraction F] [--table FILE] [--json]`: permitted input power of a thick
// microparticle stream and its gain over the rotating-anode reference (physics/beam/gain_model),
// from the shipped transport response table and the material model, in milliseconds.
// `--map` prints the gain map G(U, v) of the paper's Fig. 6b as CSV (U = 40 ... 300 kV by 10 kV,
// v = 100, 400, 1000 m/s) beside the paper's fit.
#include <mpi.h>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "physics/beam/gain_model.hpp"
#include "physics/materials/material.hpp"
#include "solver/base/units.hpp"
#include "solver/cli/commands.hpp"
#include "solver/io/response_table_io.hpp"

namespace mps::cli {

namespace {

struct GainOptions {
  std::string voltage = "150 kV", velocity = "400 m/s", target_angle = "8 deg";
  std::string entry_temperature = "373.15 K", reference_power = "25 kW";
  double nominal = 0.3, density_fraction = 1.0;
  bool melting = false, json = false, map = false;
  std::string table = "tungsten", material = "tungsten";
};

std::string table_path(const std::string& t) {
  if (std::filesystem::path(t).has_extension()) return t;
  return std::string(MPS_DATA_DIR) + "/" + t + "_response.h5";
}

nlohmann::json to_json(const GainQuery& q, const GainResult& r) {
  return {{"voltage_V", q.voltage},
          {"velocity_m_per_s", q.velocity},
          {"nominal_focal_spot", q.nominal},
          {"target_angle_rad", q.target_angle},
          {"entry_temperature_K", q.entry_temperature},
          {"melting_permitted", q.melting},
          {"density_fraction", q.density_fraction},
          {"zeta_peak_per_m", r.zeta_peak_per_m},
          {"depth15_m", r.depth15_m},
          {"width_cs_m", r.width_cs_m},
          {"length_cs_m", r.length_cs_m},
          {"dwell_s", r.dwell_s},
          {"enthalpy_rise_J_per_kg", r.enthalpy_rise_J_per_kg},
          {"permitted_power_W", r.permitted_power_W},
          {"rotating_anode_power_W", r.rotating_anode_power_W},
          {"gain", r.gain},
          {"paper_fit_gain", r.paper_fit_gain},
          {"derated_length_cs_m", r.derated_length_cs_m},
          {"derated_width_cs_m", r.derated_width_cs_m},
          {"derated_permitted_power_W", r.derated_permitted_power_W},
          {"derated_gain", r.derated_gain},
          {"lateral_corona_assumption", "l15 = d15 / density_fraction"},
          {"absorption_depth_m", r.absorption_depth_m},
          {"mass_flow_kg_per_s", r.mass_flow_kg_per_s}};
}

int run_gain(const GainOptions& o) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const ResponseTable table = read_response_table(table_path(o.table));
  const Material& material = Material::builtin(o.material);
  GainQuery q;
  q.voltage = parse_quantity_as(o.voltage, dim::voltage);
  q.velocity = parse_quantity_as(o.velocity, dim::velocity);
  q.nominal = o.nominal;
  q.target_angle = parse_quantity_as(o.target_angle, dim::none);
  q.entry_temperature = parse_quantity_as(o.entry_temperature, dim::temperature);
  q.reference_power = parse_quantity_as(o.reference_power, dim::power);
  q.melting = o.melting;
  q.density_fraction = o.density_fraction;
  if (rank != 0) return 0;
  if (o.map) {
    std::cout << "U_kV,v_m_per_s,gain,gain_melting,paper_fit_gain,ratio_to_fit\n";
    for (double v : {100.0, 400.0, 1000.0}) {
      for (double u = 40e3; u <= 300e3 + 1; u += 10e3) {
        q.voltage = u;
        q.velocity = v;
        const auto [a, b] = stream_gain_pair(table, material, q);
        std::cout << fmt::format("{:.0f},{:.0f},{:.4f},{:.4f},{:.4f},{:.4f}\n", u * 1e-3, v, a.gain,
                                 b.gain, a.paper_fit_gain, a.gain / a.paper_fit_gain);
      }
    }
    return 0;
  }
  const GainResult r = stream_gain(table, material, q);
  if (o.json) {
    std::cout << to_json(q, r).dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format(
      "stream of {} at {:.0f} m/s, {:.0f} kV, {} nominal focal spot at {:.1f} deg\n"
      "  focal spot W_CS x L_CS     {:.3f} mm x {:.3f} mm (dwell {:.3g} s)\n"
      "  zeta_peak                  {:.4g} 1/m   (d15 {:.3g} um)\n"
      "  enthalpy rise              {:.4g} J/kg ({} K to {})\n"
      "  permitted_power_W          {:.4g}\n"
      "  rotating anode (ref.)      {:.4g} W\n"
      "  gain                       {:.3f}   (paper fit {:.3f})\n"
      "  derated for coronae        {:.3f}   (density fraction {:g}, l15 = d15 assumed)\n"
      "  mass flow ({:.0f} % absorbed) {:.4g} kg/s\n",
      material.name(), q.velocity, q.voltage * 1e-3, q.nominal, q.target_angle * 180 / M_PI,
      r.width_cs_m * 1e3, r.length_cs_m * 1e3, r.dwell_s, r.zeta_peak_per_m, r.depth15_m * 1e6,
      r.enthalpy_rise_J_per_kg, q.entry_temperature,
      q.melting ? "complete melting" : "the melting point", r.permitted_power_W,
      r.rotating_anode_power_W, r.gain, r.paper_fit_gain, r.derated_gain, q.density_fraction,
      q.absorbed_fraction_target * 100, r.mass_flow_kg_per_s);
  return 0;
}

}  // namespace

void register_gain_command(CLI::App& root, CommandList& out) {
  auto o = std::make_shared<GainOptions>();
  CLI::App* app = root.add_subcommand(
      "gain", "Permitted power and gain of a microparticle stream over a rotating anode");
  app->add_option("--voltage", o->voltage, "Tube voltage (default 150 kV)");
  app->add_option("--velocity", o->velocity, "Particle speed (default 400 m/s)");
  app->add_option("--focal-spot", o->nominal, "IEC 60336 nominal focal-spot value (default 0.3)");
  app->add_option("--target-angle", o->target_angle, "Target angle (default 8 deg)");
  app->add_option("--entry-temperature", o->entry_temperature,
                  "Particle temperature entering the beam (default 373.15 K)");
  app->add_option("--reference-power", o->reference_power,
                  "Rotating anode on a 0.3 nominal / 8 deg spot (default 25 kW)");
  app->add_flag("--melting", o->melting, "Permit complete melting (re-solidify before capture)");
  app->add_option("--density-fraction", o->density_fraction,
                  "Stream density / compact density, for the corona derating (default 1)");
  app->add_option("--table", o->table, "Response table (HDF5) or shipped name (default tungsten)");
  app->add_option("--material", o->material, "Built-in material (default tungsten)");
  app->add_flag("--json", o->json, "Print JSON");
  app->add_flag("--map", o->map, "Print the gain map G(U, v) of Fig. 6b as CSV");
  out.push_back({app, [o] { return run_gain(*o); }});
}

}  // namespace mps::cli
