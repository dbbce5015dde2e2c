// `mpstream study FILE.yaml [--set key=value]... [--output DIR]`: a paper figure that needs no
// particle time loop, as a case file. A study file has a `study:` section (title, output folder,
// seed), optional `transport:` Monte Carlo options, and exactly one figure section:
//
//   depth_dose       Fig. 5a   depth-dose zeta(E, h) of compact tungsten at each listed energy
//                              (`transport bulk` per energy, into OUT/E_<keV>keV/)
//   sphere_charging  Fig. 4a-c charging per primary of free spheres vs energy and the neutrality
//                              thresholds (`transport threshold` per diameter, OUT/d_<um>um/)
//   gain_map         Fig. 6b   gain G(U, v) over the rotating anode from the response table and
//                              the material model (`gain` per point, OUT/gain_map.csv)
//   mtf              Fig. 7b   MTF of the stream's focal spot and of the rotating anode that takes
//                              the same power (rectangular LSFs, OUT/mtf.csv)
//
// The file is validated against the schema below with the case loader (file:line:col, key path,
// expectation, exit code 2); `mpstream study --schema` prints the schema as Markdown. Every study
// writes OUT/study.json (kind, title, the resolved options) and postproc/plot_paper.py plots it.
#include <mpi.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "physics/beam/figures_of_merit.hpp"
#include "physics/beam/gain_model.hpp"
#include "physics/materials/material.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/schema.hpp"
#include "solver/cli/commands.hpp"
#include "solver/cli/transport_runs.hpp"
#include "solver/io/response_table_io.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps::cli {

namespace {

using json = nlohmann::json;

const std::vector<std::string> kKinds = {"depth_dose", "sphere_charging", "gain_map", "mtf"};

// The settings of `mpstream gain`, shared by gain_map and mtf.
void declare_gain_settings(SectionSpec& s) {
  s.quantity("focal_spot", dim::none, "IEC 60336 nominal focal-spot value").def("0.3").positive();
  s.quantity("target_angle", dim::none, "Target angle").def("8 deg").positive().at_most(M_PI / 2);
  s.quantity("entry_temperature", dim::temperature, "Particle temperature entering the beam")
      .def("373.15 K")
      .positive();
  s.quantity("reference_power", dim::power, "Rotating anode on a 0.3 nominal / 8 deg spot")
      .def("25 kW")
      .positive();
  s.string("table", "Response table (HDF5 path) or shipped name").def("tungsten");
  s.string("material", "Built-in material of the particles").def("tungsten");
}

SectionSpec study_schema() {
  SectionSpec root("", "mpstream study: a paper figure without a particle time loop");
  auto& st = root.section("study", "Title, output folder and seed of the study.").require();
  st.string("title", "Free text written to study.json").def("\"\"");
  st.string("output", "Output folder (created; --output overrides)").def("out/study");
  st.integer("seed", "Seed of the transport histories").def("1").non_negative();

  auto& tr = root.section("transport", "Monte Carlo options of the transport studies.");
  tr.quantity("absorption_energy", dim::energy, "Electrons below this energy stop")
      .def("1 keV")
      .positive();
  tr.quantity("c1", dim::none, "Hard elastic mfp / transport mfp")
      .def("0.05")
      .positive()
      .at_most(1);
  tr.quantity("c2", dim::none, "Max fractional energy loss per step")
      .def("0.04")
      .positive()
      .at_most(1);

  auto& dd = root.section("depth_dose", "Fig. 5a: depth-dose of compact tungsten.");
  dd.quantity_list("energies", dim::energy, "Primary energies (e.g. [30 keV, 100 keV])")
      .require()
      .positive();
  dd.integer("histories", "Histories per energy").def("20000").at_least(100);

  auto& sc = root.section("sphere_charging", "Fig. 4a-c: charging of free spheres vs energy.");
  sc.quantity_list("diameters", dim::length, "Sphere diameters (e.g. [1 um, 5 um])")
      .require()
      .positive();
  sc.quantity("energy_min", dim::energy, "Lower end of the energy scan").def("20 keV").positive();
  sc.quantity("energy_max", dim::energy, "Upper end of the energy scan").def("300 keV").positive();
  sc.integer("histories", "Histories per energy point").def("5000").at_least(100);
  sc.boolean("monolayer", "A hexagonal monolayer of touching spheres instead of a free sphere")
      .def("false");

  auto& gm = root.section("gain_map", "Fig. 6b: gain over the rotating anode vs U and v.");
  gm.quantity_list("voltages", dim::voltage, "Tube voltages").require().positive();
  gm.quantity_list("velocities", dim::velocity, "Particle speeds").require().positive();
  declare_gain_settings(gm);

  auto& mt = root.section("mtf", "Fig. 7b: MTF of the stream and of the equal-power anode.");
  mt.quantity("voltage", dim::voltage, "Tube voltage").def("100 kV").positive();
  mt.quantity("velocity", dim::velocity, "Particle speed").def("400 m/s").positive();
  declare_gain_settings(mt);
  mt.quantity("max_frequency", dim::none, "Highest spatial frequency (lp/mm)").def("5").positive();
  mt.integer("points", "Frequencies sampled from 0 to max_frequency").def("501").at_least(2);
  mt.quantity_list("patterns", dim::none, "Line patterns reported (lp/mm; paper: 0.7 and 2.0)")
      .def("[0.7, 2.0]")
      .positive();
  return root;
}

std::string table_path(const std::string& t) {
  if (std::filesystem::path(t).has_extension()) return t;
  return std::string(MPS_DATA_DIR) + "/" + t + "_response.h5";
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!f) throw RuntimeError("cannot write " + path);
  f << text;
}

TransportRunOptions transport_options(const Config& root) {
  TransportRunOptions o;
  o.seed = static_cast<std::uint64_t>(root.section("study").integer("seed"));
  o.quiet = true;
  if (root.has_section("transport")) {
    const Config& t = root.section("transport");
    o.absorption_keV = t.number("absorption_energy") / constants::elementary_charge * 1e-3;
    o.c1 = t.number("c1");
    o.c2 = t.number("c2");
  }
  return o;
}

json run_depth_dose(const Config& root, const std::string& out) {
  const Config& s = root.section("depth_dose");
  TransportRunOptions o = transport_options(root);
  o.histories = static_cast<std::uint64_t>(s.integer("histories"));
  json runs = json::array();
  for (double e_J : s.numbers("energies")) {
    const double keV = e_J / constants::elementary_charge * 1e-3;
    o.energy = fmt::format("{:.6g}keV", keV);
    o.out = fmt::format("{}/E_{:03.0f}keV", out, keV);
    run_transport_bulk(o);
    runs.push_back(o.out.substr(out.size() + 1));
  }
  return {{"runs", runs}, {"histories", o.histories}};
}

json run_sphere_charging(const Config& root, const std::string& out, const std::string& file) {
  const Config& s = root.section("sphere_charging");
  TransportRunOptions o = transport_options(root);
  o.histories = static_cast<std::uint64_t>(s.integer("histories"));
  const double to_keV = 1e-3 / constants::elementary_charge;
  const double lo = s.number("energy_min") * to_keV, hi = s.number("energy_max") * to_keV;
  if (!(hi > lo)) throw InputError(file + ": sphere_charging: energy_max must exceed energy_min");
  json runs = json::array();
  for (double d : s.numbers("diameters")) {
    o.out = fmt::format("{}/d_{:05.2f}um", out, d * 1e6);
    run_transport_threshold(o, fmt::format("{:.6g}um", d * 1e6), lo, hi, s.boolean("monolayer"));
    runs.push_back(o.out.substr(out.size() + 1));
  }
  return {{"runs", runs}, {"histories_per_energy", o.histories}};
}

GainQuery gain_query(const Config& s) {
  GainQuery q;
  q.nominal = s.number("focal_spot");
  q.target_angle = s.number("target_angle");
  q.entry_temperature = s.number("entry_temperature");
  q.reference_power = s.number("reference_power");
  return q;
}

json run_gain_map(const Config& root, const std::string& out, int rank) {
  const Config& s = root.section("gain_map");
  const ResponseTable table = read_response_table(table_path(s.string("table")));
  const Material& material = Material::builtin(s.string("material"));
  GainQuery q = gain_query(s);
  std::string csv =
      "U_kV,v_m_per_s,gain,gain_melting,melting_bonus,paper_fit_gain,ratio_to_fit,"
      "permitted_power_W,zeta_peak_per_m,depth15_m,mass_flow_kg_per_s\n";
  double rmin = INFINITY, rmax = -INFINITY, bmin = INFINITY, bmax = -INFINITY;
  for (double v : s.numbers("velocities"))
    for (double u : s.numbers("voltages")) {
      q.voltage = u;
      q.velocity = v;
      const auto [a, b] = stream_gain_pair(table, material, q);
      const double ratio = a.gain / a.paper_fit_gain, bonus = b.gain / a.gain - 1;
      rmin = std::min(rmin, ratio), rmax = std::max(rmax, ratio);
      bmin = std::min(bmin, bonus), bmax = std::max(bmax, bonus);
      csv += fmt::format(
          "{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n",
          u * 1e-3, v, a.gain, b.gain, bonus, a.paper_fit_gain, ratio, a.permitted_power_W,
          a.zeta_peak_per_m, a.depth15_m, a.mass_flow_kg_per_s);
    }
  if (rank == 0) write_text(out + "/gain_map.csv", csv);
  return {{"ratio_to_fit_min", rmin},
          {"ratio_to_fit_max", rmax},
          {"melting_bonus_min", bmin},
          {"melting_bonus_max", bmax}};
}

json run_mtf(const Config& root, const std::string& out, int rank) {
  const Config& s = root.section("mtf");
  const ResponseTable table = read_response_table(table_path(s.string("table")));
  const Material& material = Material::builtin(s.string("material"));
  GainQuery q = gain_query(s);
  q.voltage = s.number("voltage");
  q.velocity = s.number("velocity");
  const GainResult g = stream_gain(table, material, q);
  // IEC 60336 rectangular line-spread functions: MTF(f) = |sinc(W f)|. The rotating anode that
  // takes the stream's permitted power grows both focal-spot dimensions by G^(2/3)
  // (Mueller-Oosterkamp P ~ L sqrt(W), see figures_of_merit.hpp).
  const double w_stream = g.width_cs_m;
  const double w_anode = w_stream * fom::rotating_anode_enlargement_for_gain(g.gain);
  auto mtf_rect = [](double w, double f_per_m) {
    const double x = M_PI * w * f_per_m;
    return x == 0 ? 1.0 : std::abs(std::sin(x) / x);
  };
  const int n = static_cast<int>(s.integer("points"));
  const double fmax = s.number("max_frequency");
  std::string csv = "f_lp_per_mm,mtf_stream,mtf_anode\n";
  for (int i = 0; i < n; ++i) {
    const double f = fmax * i / (n - 1);
    csv += fmt::format("{:.6g},{:.6g},{:.6g}\n", f, mtf_rect(w_stream, f * 1e3),
                       mtf_rect(w_anode, f * 1e3));
  }
  if (rank == 0) write_text(out + "/mtf.csv", csv);
  json patterns = json::array();
  for (double f : s.numbers("patterns"))
    patterns.push_back({{"f_lp_per_mm", f},
                        {"mtf_stream", mtf_rect(w_stream, f * 1e3)},
                        {"mtf_anode", mtf_rect(w_anode, f * 1e3)}});
  // MTF50 of |sinc(W f)|: sin(x)/x = 0.5 at x = 1.895494267 (first lobe)
  const double x50 = 1.8954942670339809;
  return {{"gain", g.gain},
          {"paper_fit_gain", g.paper_fit_gain},
          {"width_stream_m", w_stream},
          {"width_anode_m", w_anode},
          {"mtf50_stream_lp_per_mm", x50 / (M_PI * w_stream) * 1e-3},
          {"mtf50_anode_lp_per_mm", x50 / (M_PI * w_anode) * 1e-3},
          {"patterns", patterns}};
}

int run_study(const std::string& file, const std::vector<std::string>& sets,
              const std::string& output) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const Config root = load_config_file(file, study_schema(), sets);
  std::vector<std::string> present;
  for (const auto& k : kKinds)
    if (root.has_section(k)) present.push_back(k);
  if (present.size() != 1) {
    std::string msg = file + ": a study has exactly one figure section (" + kKinds[0];
    for (std::size_t i = 1; i < kKinds.size(); ++i) msg += ", " + kKinds[i];
    msg += "); found " + (present.empty() ? std::string("none") : std::to_string(present.size()));
    for (const auto& p : present) msg += " " + p;
    throw InputError(msg);
  }
  const std::string kind = present.front();
  const std::string out = output.empty() ? root.section("study").string("output") : output;
  if (rank == 0) {
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) throw RuntimeError("cannot create output directory " + out + ": " + ec.message());
  }
  MPI_Barrier(MPI_COMM_WORLD);
  json result;
  if (kind == "depth_dose") result = run_depth_dose(root, out);
  if (kind == "sphere_charging") result = run_sphere_charging(root, out, file);
  if (kind == "gain_map") result = run_gain_map(root, out, rank);
  if (kind == "mtf") result = run_mtf(root, out, rank);
  if (rank == 0) {
    const json j = {{"kind", kind},
                    {"title", root.section("study").string("title")},
                    {"file", file},
                    {"result", result}};
    write_text(out + "/study.json", j.dump(2) + "\n");
    std::cout << fmt::format("study {} ({}): {}/study.json\n", kind, file, out);
  }
  return 0;
}

}  // namespace

void register_study_command(CLI::App& root, CommandList& out) {
  auto* app = root.add_subcommand(
      "study",
      "Run a paper figure without a time loop (transport, gain map, MTF) from a YAML file");
  struct Args {
    std::string file, output;
    std::vector<std::string> sets;
    bool schema = false;
  };
  auto a = std::make_shared<Args>();
  app->add_option("file", a->file, "Study file (YAML, e.g. cases/paper/fig5a-depth-dose.yaml)");
  app->add_option("--set", a->sets, "Override a key: --set depth_dose.histories=1000 (repeatable)");
  app->add_option("--output,-o", a->output, "Output folder (default: study.output)");
  app->add_flag("--schema", a->schema, "Print every study key as Markdown and exit");
  out.push_back({app, [a]() {
                   if (a->schema) {
                     int rank = 0;
                     MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                     if (rank == 0) {
                       std::string md = schema_markdown(study_schema());
                       for (auto [from, to] : {std::pair<std::string, std::string>{
                                                   "## Case reference", "## Study file reference"},
                                               {"`mpstream schema`", "`mpstream study --schema`"}})
                         if (auto p = md.find(from); p != std::string::npos)
                           md.replace(p, from.size(), to);
                       std::cout << md;
                     }
                     return 0;
                   }
                   if (a->file.empty()) throw InputError("study: a study file is required");
                   return run_study(a->file, a->sets, a->output);
                 }});
}

}  // namespace mps::cli
