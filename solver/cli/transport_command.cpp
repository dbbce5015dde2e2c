// `mpstream transport bulk|sphere|threshold|table`: the electron-transport Monte Carlo of
// physics/transport from the command line.
//
// Histories are shared over MPI ranks by history id (rank r of P tracks a contiguous id range of
// each batch); tallies are reduced exactly (ExactSum limbs, MPI_SUM of int64), so the results do
// not depend on the rank count. Statistical uncertainties of scalar tallies come from per-history
// variances; those of derived figures (peak depth, d15, zeta peak) from the scatter of 10
// batches of histories (batch = fixed id range). Rank 0 writes summary.json and CSV files.
#include <mpi.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "physics/beam/response_table.hpp"
#include "physics/transport/monolayer.hpp"
#include "physics/transport/scenarios.hpp"
#include "physics/transport/stopping_power.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/units.hpp"
#include "solver/cli/commands.hpp"
#include "solver/cli/transport_runs.hpp"
#include "solver/io/response_table_io.hpp"

namespace mps::cli {

namespace {

using namespace mps::transport;
using json = nlohmann::json;

constexpr int kBatches = 10;

struct World {
  int rank = 0, size = 1;
  World() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
};

// "150keV", "150 kV" or a plain number of eV
double parse_energy_eV(const std::string& text) {
  const Quantity q = parse_quantity(text);
  if (!q.has_unit) return q.value;
  if (q.dimension == dim::energy) return q.value / constants::elementary_charge;
  if (q.dimension == dim::voltage) return q.value;  // electrons accelerated through U: E = e U
  throw InputError("transport: '" + text + "' is not an energy (keV) or a voltage (kV)");
}

double parse_length(const std::string& text) {
  return parse_quantity_as(text, dim::length);
}

// Exact sum of tallies over ranks.
void reduce(Tallies& t) {
  auto sums = t.sums();
  std::vector<std::int64_t> buf(sums.size() * ExactSum::kLimbs);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    sums[i]->normalize();
    std::copy(sums[i]->limbs(), sums[i]->limbs() + ExactSum::kLimbs,
              buf.begin() + static_cast<std::ptrdiff_t>(i * ExactSum::kLimbs));
  }
  MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_INT64_T, MPI_SUM,
                MPI_COMM_WORLD);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    std::copy(buf.begin() + static_cast<std::ptrdiff_t>(i * ExactSum::kLimbs),
              buf.begin() + static_cast<std::ptrdiff_t>((i + 1) * ExactSum::kLimbs),
              sums[i]->limbs());
    sums[i]->normalize();
  }
  unsigned long long n = t.histories;
  MPI_Allreduce(MPI_IN_PLACE, &n, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  t.histories = n;
}

// Runs histories [0, n) in kBatches batches shared over ranks; returns the reduced batches.
std::vector<Tallies> run_batches(const TransportEngine& engine, const Geometry& g,
                                 const BeamSource& beam, std::uint64_t n, std::uint64_t seed,
                                 double& seconds) {
  const World w;
  std::vector<Tallies> out;
  MPI_Barrier(MPI_COMM_WORLD);
  const auto t0 = std::chrono::steady_clock::now();
  for (int b = 0; b < kBatches; ++b) {
    const std::uint64_t lo = n * b / kBatches, hi = n * (b + 1) / kBatches;
    const std::uint64_t my_lo = lo + (hi - lo) * w.rank / w.size;
    const std::uint64_t my_hi = lo + (hi - lo) * (w.rank + 1) / w.size;
    Tallies t = engine.run_histories(g, beam, my_lo, my_hi - my_lo, seed);
    t.energy_eV = beam.energy_eV();
    out.push_back(std::move(t));
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& t : out) reduce(t);
  double s = seconds;  // the slowest rank's time
  MPI_Allreduce(&s, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

Tallies merged(const std::vector<Tallies>& batches) {
  Tallies t = batches.front();
  for (std::size_t i = 1; i < batches.size(); ++i) t.merge(batches[i]);
  return t;
}

// mean and standard error over batches of a derived figure
std::pair<double, double> batch_stats(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  const double n = static_cast<double>(v.size());
  return {m, std::sqrt(s / (n - 1) / n)};
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!f) throw RuntimeError("cannot write " + path);
  f << text;
}

void ensure_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw RuntimeError("cannot create output directory " + dir + ": " + ec.message());
}

std::string depth_csv(const Tallies& t) {
  std::ostringstream s;
  s << "depth_m,zeta_per_m,zeta_stderr_per_m,xray_production_per_m,transmitted_fraction\n";
  const auto h = t.depth_centers_m();
  const auto z = t.zeta_per_m(), e = t.zeta_stderr_per_m(), tr = t.transmitted_fraction();
  for (std::size_t i = 0; i < h.size(); ++i)
    s << fmt::format("{:.6e},{:.6e},{:.3e},{:.6e},{:.6e}\n", h[i], z[i], e[i],
                     t.depth_xray.bins[i].mean(t.histories) / t.depth_xray.width(), tr[i]);
  return s.str();
}

std::string spectra_csv(const Tallies& t) {
  std::ostringstream s;
  s << "energy_fraction,backward_per_primary_per_bin,forward_per_primary_per_bin\n";
  for (int i = 0; i < t.spectrum_back.size(); ++i)
    s << fmt::format(
        "{:.4f},{:.6e},{:.6e}\n", t.spectrum_back.lo + (i + 0.5) * t.spectrum_back.width(),
        t.spectrum_back.bins[i].mean(t.histories), t.spectrum_forward.bins[i].mean(t.histories));
  return s.str();
}

using Common = TransportRunOptions;

void add_common(CLI::App* app, Common& c, bool energy, bool out_dir = true) {
  if (energy) app->add_option("--energy", c.energy, "Primary electron energy (e.g. 150keV)");
  app->add_option("--histories", c.histories, "Number of primary histories")
      ->check(CLI::PositiveNumber);
  app->add_option("--seed", c.seed, "Random seed");
  if (out_dir) app->add_option("--out", c.out, "Output directory (summary.json, CSV)");
  app->add_option("--absorption-keV", c.absorption_keV, "Absorption energy in keV (default 1)");
  app->add_option("--c1", c.c1, "Hard elastic mfp / transport mfp (default 0.05)");
  app->add_option("--c2", c.c2, "Max fractional energy loss per step (default 0.04)");
}

json bulk_json(const std::vector<Tallies>& batches, const Material& m, double seconds, int ranks) {
  const Tallies t = merged(batches);
  const BulkFigures f = bulk_figures(t, m);
  std::vector<double> pk, zp, d15;
  for (const auto& b : batches) {
    const BulkFigures fb = bulk_figures(b, m);
    pk.push_back(fb.depth.depth_peak_m);
    zp.push_back(fb.depth.zeta_peak_per_m);
    d15.push_back(fb.depth.depth15_m);
  }
  json j;
  j["energy_eV"] = t.energy_eV;
  j["backscatter_number"] = f.backscatter_number;
  j["backscatter_number_stderr"] = f.backscatter_number_stderr;
  j["backscatter_energy"] = f.backscatter_energy;
  j["backscatter_energy_stderr"] = f.backscatter_energy_stderr;
  j["backscatter_primary_number"] = t.back_primary_number.mean(t.histories);
  j["backscatter_primary_number_stderr"] = t.back_primary_number.stderr_of_mean(t.histories);
  j["backscatter_primary_energy"] = t.back_primary_energy.mean(t.histories);
  j["backscatter_primary_energy_stderr"] = t.back_primary_energy.stderr_of_mean(t.histories);
  j["csda_range_m"] = f.csda_range_m;
  j["depth_peak_m"] = f.depth.depth_peak_m;
  j["depth_peak_m_stderr"] = batch_stats(pk).second;
  j["zeta_peak_per_m"] = f.depth.zeta_peak_per_m;
  j["zeta_peak_per_m_stderr"] = batch_stats(zp).second;
  j["depth15_m"] = f.depth.depth15_m;
  j["depth15_m_stderr"] = batch_stats(d15).second;
  j["absorbed_energy_fraction"] = f.absorbed_energy_fraction;
  j["absorbed_energy_fraction_stderr"] = f.absorbed_energy_fraction_stderr;
  j["radiated_energy_fraction"] = f.radiated_fraction;
  j["secondary_yield"] = f.secondary_yield;
  j["secondary_yield_stderr"] = f.secondary_yield_stderr;
  j["energy_balance_rms"] =
      std::sqrt(t.energy_balance.s2.value() / static_cast<double>(t.histories));
  j["histories"] = t.histories;
  j["histories_per_second"] = static_cast<double>(t.histories) / seconds;
  j["histories_per_second_per_rank"] = static_cast<double>(t.histories) / seconds / ranks;
  j["ranks"] = ranks;
  return j;
}

json sphere_json(const Tallies& t, double d, double seconds, int ranks) {
  const SphereFigures f = sphere_figures(t);
  json j;
  j["energy_eV"] = t.energy_eV;
  j["diameter_m"] = d;
  j["absorbed_energy_fraction"] = f.absorbed_energy_fraction;
  j["absorbed_energy_fraction_stderr"] = f.absorbed_energy_fraction_stderr;
  j["electrons_out_per_primary"] = f.electrons_out_per_primary;
  j["electrons_out_per_primary_stderr"] = f.electrons_out_per_primary_stderr;
  j["secondary_yield"] = f.secondary_yield;
  j["secondary_yield_stderr"] = f.secondary_yield_stderr;
  j["net_charge_per_primary"] = f.net_charge_per_primary;
  j["net_charge_per_primary_stderr"] = f.net_charge_per_primary_stderr;
  j["backscatter_number"] = f.backscatter_number;
  j["backscatter_number_stderr"] = f.backscatter_number_stderr;
  j["transmitted_number"] = f.transmitted_number;
  j["transmitted_number_stderr"] = f.transmitted_number_stderr;
  j["radiated_energy_fraction"] = t.radiated_energy.mean(t.histories);
  j["histories"] = t.histories;
  j["histories_per_second"] = static_cast<double>(t.histories) / seconds;
  j["ranks"] = ranks;
  return j;
}

int run_bulk(const Common& c) {
  const World w;
  const double E = parse_energy_eV(c.energy);
  const Material m = tungsten();
  TransportOptions o = bulk_options(m, E, c.options());
  o.max_energy_eV = std::max(o.max_energy_eV, E);
  TransportEngine engine(m, o);
  Slab slab;
  PencilBeam beam(E);
  double sec = 0;
  const auto batches = run_batches(engine, slab, beam, c.histories, c.seed, sec);
  if (w.rank == 0) {
    ensure_dir(c.out);
    const json j = bulk_json(batches, m, sec, w.size);
    write_text(c.out + "/summary.json", j.dump(2) + "\n");
    const Tallies t = merged(batches);
    write_text(c.out + "/depth_dose.csv", depth_csv(t));
    write_text(c.out + "/spectra.csv", spectra_csv(t));
    if (!c.quiet) std::cout << j.dump(2) << "\n";
  }
  return 0;
}

int run_sphere(const Common& c, const std::string& diameter) {
  const World w;
  const double E = parse_energy_eV(c.energy), d = parse_length(diameter);
  if (!(d > 0)) throw InputError("transport sphere: --diameter must be positive");
  TransportOptions base = c.options();
  base.max_energy_eV = std::max(base.max_energy_eV, E);
  SphereSetup su = sphere_setup(d, E, base);
  TransportEngine engine(tungsten(), su.options);
  double sec = 0;
  const auto batches = run_batches(engine, su.geometry, su.beam, c.histories, c.seed, sec);
  if (w.rank == 0) {
    ensure_dir(c.out);
    const Tallies t = merged(batches);
    const json j = sphere_json(t, d, sec, w.size);
    write_text(c.out + "/summary.json", j.dump(2) + "\n");
    write_text(c.out + "/depth_dose.csv", depth_csv(t));
    write_text(c.out + "/spectra.csv", spectra_csv(t));
    if (!c.quiet) std::cout << j.dump(2) << "\n";
  }
  return 0;
}

// Figures per sphere of an irradiated monolayer at one energy, histories over ranks (reduced)
SphereFigures monolayer_point(double d, double E, std::uint64_t n, std::uint64_t seed,
                              const TransportOptions& base) {
  const World w;
  MonolayerSetup su = monolayer_setup(d, E, base);
  TransportEngine engine(tungsten(), su.options);
  const std::uint64_t lo = n * w.rank / w.size, hi = n * (w.rank + 1) / w.size;
  Tallies t = engine.run_histories(su.geometry, su.beam, lo, hi - lo, seed);
  reduce(t);
  return monolayer_figures(t);
}

// Sphere figures at one energy, histories over ranks (reduced)
SphereFigures sphere_point(double d, double E, std::uint64_t n, std::uint64_t seed,
                           const TransportOptions& base, bool monolayer = false) {
  if (monolayer) return monolayer_point(d, E, n, seed, base);
  const World w;
  SphereSetup su = sphere_setup(d, E, base);
  TransportEngine engine(tungsten(), su.options);
  const std::uint64_t lo = n * w.rank / w.size, hi = n * (w.rank + 1) / w.size;
  Tallies t = engine.run_histories(su.geometry, su.beam, lo, hi - lo, seed);
  reduce(t);
  return sphere_figures(t);
}

int run_threshold(const Common& c, const std::string& diameter, double e_lo_keV, double e_hi_keV,
                  bool monolayer) {
  const World w;
  const double d = parse_length(diameter);
  TransportOptions base = c.options();
  base.max_energy_eV = std::max(base.max_energy_eV, e_hi_keV * 1e3);
  // scan (charging per primary vs energy, like Fig. 4a), then bisection for each definition
  std::ostringstream csv;
  csv << "energy_eV,net_charge_per_primary,net_charge_stderr,fast_charge_per_primary,"
         "electrons_out_per_primary,secondary_yield,absorbed_energy_fraction,backscatter_number,"
         "transmitted_number\n";
  const int points = 15;
  for (int i = 0; i < points; ++i) {
    const double E = e_lo_keV * 1e3 * std::pow(e_hi_keV / e_lo_keV, i / (points - 1.0));
    const SphereFigures f = sphere_point(d, E, c.histories, c.seed, base, monolayer);
    csv << fmt::format("{:.6e},{:.6e},{:.3e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e}\n", E,
                       f.net_charge_per_primary, f.net_charge_per_primary_stderr,
                       1.0 - f.electrons_out_per_primary, f.electrons_out_per_primary,
                       f.secondary_yield, f.absorbed_energy_fraction, f.backscatter_number,
                       f.transmitted_number);
  }
  json j;
  j["diameter_m"] = d;
  j["geometry"] = monolayer ? "monolayer (hexagonal, touching, 5 rings)" : "free sphere";
  j["histories_per_energy"] = c.histories;
  for (bool se : {true, false}) {
    // bisection in log energy on the mean of the ranks' reduced tallies
    auto q = [&](double E) {
      const SphereFigures f = sphere_point(d, E, c.histories, c.seed, base, monolayer);
      return std::pair{se ? f.net_charge_per_primary : 1.0 - f.electrons_out_per_primary, f};
    };
    double a = e_lo_keV * 1e3, b = e_hi_keV * 1e3;
    auto [qa, fa] = q(a);
    auto [qb, fb] = q(b);
    const std::string key = se ? "" : "fast_";
    if (qa * qb > 0) {
      j[key + "threshold_energy_eV"] = nullptr;
      continue;
    }
    for (int it = 0; it < 9; ++it) {
      const double m = std::sqrt(a * b);
      auto [qm, fm] = q(m);
      if (qm * qa > 0) {
        a = m;
        qa = qm;
        fa = fm;
      } else {
        b = m;
        qb = qm;
        fb = fm;
      }
    }
    const double f = qa / (qa - qb);
    j[key + "threshold_energy_eV"] = a + f * (b - a);
    j[key + "absorbed_energy_fraction"] =
        fa.absorbed_energy_fraction +
        f * (fb.absorbed_energy_fraction - fa.absorbed_energy_fraction);
    j[key + "electrons_out_per_primary"] =
        fa.electrons_out_per_primary +
        f * (fb.electrons_out_per_primary - fa.electrons_out_per_primary);
  }
  j["definition"] =
      "threshold: net_charge_per_primary = 1 - electrons_out - secondary_yield crosses 0; "
      "fast_threshold: 1 - electrons_out crosses 0 (paper's Casino definition, no slow SE)";
  if (w.rank == 0) {
    ensure_dir(c.out);
    write_text(c.out + "/summary.json", j.dump(2) + "\n");
    write_text(c.out + "/charging.csv", csv.str());
    if (!c.quiet) std::cout << j.dump(2) << "\n";
  }
  return 0;
}

// "30:300:10keV" -> 30, 40, ..., 300 keV; "30,100keV" lists
std::vector<double> parse_energy_list(const std::string& text) {
  std::vector<double> v;
  if (text.find(':') != std::string::npos) {
    std::string unit;
    std::vector<double> parts;
    std::stringstream s(text);
    std::string tok;
    while (std::getline(s, tok, ':')) {
      std::size_t k = 0;
      while (k < tok.size() && (std::isdigit(static_cast<unsigned char>(tok[k])) || tok[k] == '.'))
        ++k;
      parts.push_back(std::stod(tok.substr(0, k)));
      if (k < tok.size()) unit = tok.substr(k);
    }
    if (parts.size() != 3 || parts[2] <= 0 || parts[1] < parts[0])
      throw InputError("transport table: --energies wants FIRST:LAST:STEP[unit], got " + text);
    const double scale = parse_energy_eV("1" + (unit.empty() ? std::string("eV") : unit));
    for (double e = parts[0]; e <= parts[1] * (1 + 1e-9); e += parts[2]) v.push_back(e * scale);
  } else {
    std::stringstream s(text);
    std::string tok;
    std::string unit;
    std::vector<std::string> toks;
    while (std::getline(s, tok, ',')) toks.push_back(tok);
    std::size_t k = 0;
    const std::string& last = toks.back();
    while (k < last.size() && (std::isdigit(static_cast<unsigned char>(last[k])) || last[k] == '.'))
      ++k;
    unit = last.substr(k);
    for (auto& t : toks)
      v.push_back(
          parse_energy_eV(t.find_first_not_of("0123456789.") == std::string::npos ? t + unit : t));
  }
  return v;
}

std::vector<double> parse_length_list(const std::string& text) {
  std::vector<std::string> toks;
  std::stringstream s(text);
  std::string tok;
  while (std::getline(s, tok, ',')) toks.push_back(tok);
  const std::string& last = toks.back();
  const std::string unit =
      last.substr(std::min(last.size(), last.find_first_not_of("0123456789.")));
  std::vector<double> v;
  for (auto& t : toks)
    v.push_back(
        parse_length(t.find_first_not_of("0123456789.") == std::string::npos ? t + unit : t));
  return v;
}

int run_table(const Common& c, const std::string& energies, const std::string& diameters,
              const std::string& file) {
  const World w;
  const Material m = tungsten();
  ResponseTable table;
  table.material = m.name;
  table.density = m.density;
  table.energies_eV = parse_energy_list(energies);
  table.diameters_m = parse_length_list(diameters);
  const double e_min = table.energies_eV.front(), e_max = table.energies_eV.back();
  // common depth grid: resolves the lowest energy's peak, covers 1.2 ranges of the highest
  const double r_max = 1.2 * csda_range(m, e_max), dh = csda_range(m, e_min) / 40.0;
  const int bins = std::max(10, static_cast<int>(std::ceil(r_max / dh)));
  TransportOptions base = c.options();
  base.max_energy_eV = std::max(base.max_energy_eV, e_max);
  for (double E : table.energies_eV) {
    TransportOptions o = base;
    o.depth_bins = bins;
    o.depth_max_m = bins * dh;
    TransportEngine engine(m, o);
    Slab slab;
    PencilBeam beam(E);
    double sec = 0;
    const Tallies t = merged(run_batches(engine, slab, beam, c.histories, c.seed, sec));
    const BulkFigures f = bulk_figures(t, m);
    table.depths_m = t.depth_centers_m();
    table.zeta_per_m.push_back(t.zeta_per_m());
    table.transmitted.push_back(t.transmitted_fraction());
    table.eta_number.push_back(f.backscatter_number);
    table.eta_energy.push_back(f.backscatter_energy);
    table.radiated_fraction.push_back(f.radiated_fraction);
    table.csda_range_m.push_back(f.csda_range_m);
    table.zeta_peak_per_m.push_back(f.depth.zeta_peak_per_m);
    table.depth_peak_m.push_back(f.depth.depth_peak_m);
    table.depth15_m.push_back(f.depth.depth15_m);
    std::vector<double> ab, out, se;
    for (double d : table.diameters_m) {
      const SphereFigures s = sphere_point(d, E, c.histories, c.seed, base);
      ab.push_back(s.absorbed_energy_fraction);
      out.push_back(s.electrons_out_per_primary);
      se.push_back(s.secondary_yield);
    }
    table.sphere_absorbed_fraction.push_back(ab);
    table.sphere_electrons_out.push_back(out);
    table.sphere_secondary_yield.push_back(se);
    if (w.rank == 0)
      std::cout << fmt::format("E = {:.0f} keV: eta = {:.4f}, d_peak = {:.3g} m\n", E / 1e3,
                               f.backscatter_number, f.depth.depth_peak_m);
  }
  table.validate("transport table");
  if (w.rank == 0) {
    const std::filesystem::path p(file);
    if (p.has_parent_path()) ensure_dir(p.parent_path().string());
    write_response_table(file, table);
    std::ostringstream csv;
    csv << "energy_eV,eta_number,eta_energy,radiated_fraction,csda_range_m,depth_peak_m,"
           "zeta_peak_per_m,depth15_m\n";
    for (std::size_t i = 0; i < table.energies_eV.size(); ++i)
      csv << fmt::format("{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e},{:.6e}\n",
                         table.energies_eV[i], table.eta_number[i], table.eta_energy[i],
                         table.radiated_fraction[i], table.csda_range_m[i], table.depth_peak_m[i],
                         table.zeta_peak_per_m[i], table.depth15_m[i]);
    const std::string dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    write_text(dir + "/table_bulk.csv", csv.str());
    json j;
    j["table"] = file;
    j["energies"] = table.energies_eV.size();
    j["diameters"] = table.diameters_m.size();
    j["depth_bins"] = bins;
    j["histories_per_point"] = c.histories;
    write_text(dir + "/summary.json", j.dump(2) + "\n");
  }
  return 0;
}

}  // namespace

int run_transport_bulk(const TransportRunOptions& o) {
  return run_bulk(o);
}
int run_transport_threshold(const TransportRunOptions& o, const std::string& diameter,
                            double e_lo_keV, double e_hi_keV, bool monolayer) {
  return run_threshold(o, diameter, e_lo_keV, e_hi_keV, monolayer);
}

void register_transport_command(CLI::App& root, CommandList& out) {
  auto* app = root.add_subcommand("transport", "Electron-transport Monte Carlo in tungsten");
  app->require_subcommand(1);

  auto bulk = std::make_shared<Common>();
  auto* b = app->add_subcommand("bulk", "Semi-infinite target, normal pencil beam");
  add_common(b, *bulk, true);
  out.push_back({b, [bulk]() { return run_bulk(*bulk); }});

  auto sph = std::make_shared<Common>();
  auto dia = std::make_shared<std::string>("5um");
  sph->energy = "150keV";
  sph->histories = 20000;
  auto* s = app->add_subcommand("sphere", "Free sphere in a broad parallel beam");
  add_common(s, *sph, true);
  s->add_option("--diameter", *dia, "Sphere diameter (e.g. 5um)");
  out.push_back({s, [sph, dia]() { return run_sphere(*sph, *dia); }});

  auto thr = std::make_shared<Common>();
  auto tdia = std::make_shared<std::string>("5um");
  auto elo = std::make_shared<double>(20.0), ehi = std::make_shared<double>(300.0);
  thr->histories = 5000;
  auto* t = app->add_subcommand("threshold", "Energy where a free sphere's net charge crosses 0");
  add_common(t, *thr, false);
  t->add_option("--diameter", *tdia, "Sphere diameter (e.g. 5um)");
  t->add_option("--min-keV", *elo, "Lower end of the search (keV)");
  t->add_option("--max-keV", *ehi, "Upper end of the search (keV)");
  auto mono = std::make_shared<bool>(false);
  t->add_flag("--monolayer", *mono,
              "A hexagonal monolayer of touching spheres instead of a free sphere (per sphere)");
  out.push_back(
      {t, [thr, tdia, elo, ehi, mono]() { return run_threshold(*thr, *tdia, *elo, *ehi, *mono); }});

  auto tab = std::make_shared<Common>();
  auto energies = std::make_shared<std::string>("30:300:10keV");
  auto diameters = std::make_shared<std::string>("1,2,5,10um");
  auto file = std::make_shared<std::string>("table.h5");
  tab->histories = 4000;
  auto* tb = app->add_subcommand("table", "Response table (depth-dose, sphere yields) as HDF5");
  add_common(tb, *tab, false, false);
  tb->add_option("--energies", *energies, "FIRST:LAST:STEP with unit, e.g. 30:300:10keV");
  tb->add_option("--diameters", *diameters, "Comma list with unit, e.g. 1,2,5,10um");
  tb->add_option("--out", *file,
                 "HDF5 file to write (default table.h5); summary.json and table_bulk.csv go to its "
                 "folder");
  out.push_back({tb, [tab, energies, diameters, file]() {
                   return run_table(*tab, *energies, *diameters, *file);
                 }});
}

}  // namespace mps::cli
