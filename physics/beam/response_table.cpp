#include "physics/beam/response_table.hpp"

#include <algorithm>

#include "solver/base/errors.hpp"

namespace mps {

namespace {
// index k and weight t with x in [g[k], g[k+1]], clamped
void locate(const std::vector<double>& g, double x, std::size_t& k, double& t) {
  if (g.size() == 1 || x <= g.front()) {
    k = 0;
    t = 0.0;
    return;
  }
  if (x >= g.back()) {
    k = g.size() - 2;
    t = 1.0;
    return;
  }
  k = static_cast<std::size_t>(std::upper_bound(g.begin(), g.end(), x) - g.begin()) - 1;
  t = (x - g[k]) / (g[k + 1] - g[k]);
}
// The same, first trying the interval a uniform grid would give (the transport's depth tally is
// uniform: ~2000 depths, asked ~1e7 times per run by the beam unit). The guess is checked
// (g[k] <= x < g[k + 1], the interval upper_bound finds), so the answer is the same on any grid.
void locate_uniform_first(const std::vector<double>& g, double x, std::size_t& k, double& t) {
  const std::size_t n = g.size();
  if (n > 2 && x > g.front() && x < g.back()) {
    const double u = (x - g.front()) / (g[1] - g.front());
    const auto c = static_cast<std::size_t>(std::min(u, static_cast<double>(n - 2)));
    for (std::size_t j = c > 0 ? c - 1 : 0; j <= c + 1 && j + 1 < n; ++j)
      if (g[j] <= x && x < g[j + 1]) {
        k = j;
        t = (x - g[k]) / (g[k + 1] - g[k]);
        return;
      }
  }
  locate(g, x, k, t);
}
double at(const std::vector<double>& v, std::size_t k, double t) {
  return v.size() == 1 ? v[0] : (1 - t) * v[k] + t * v[k + 1];
}
// v at (a, b), with a located in ga already (row i, weight s)
double bilinear_at(std::size_t i, double s, const std::vector<double>& ga,
                   const std::vector<double>& gb, const std::vector<std::vector<double>>& v,
                   double b) {
  std::size_t j = 0;
  double t = 0;
  locate_uniform_first(gb, b, j, t);
  const double lo = at(v[i], j, t);
  const double hi = ga.size() == 1 ? lo : at(v[i + 1], j, t);
  return (1 - s) * lo + s * hi;
}
double bilinear(const std::vector<double>& ga, const std::vector<double>& gb,
                const std::vector<std::vector<double>>& v, double a, double b) {
  std::size_t i = 0;
  double s = 0;
  locate(ga, a, i, s);
  return bilinear_at(i, s, ga, gb, v, b);
}
}  // namespace

double ResponseTable::zeta(double e, double h) const {
  return zeta(at_energy(e), h);
}
double ResponseTable::transmitted_fraction(double e, double h) const {
  return transmitted_fraction(at_energy(e), h);
}
ResponseTable::AtEnergy ResponseTable::at_energy(double e) const {
  AtEnergy a;
  locate(energies_eV, e, a.row, a.weight);
  return a;
}
double ResponseTable::zeta(const AtEnergy& e, double h) const {
  if (h > depths_m.back()) return 0.0;  // beyond the tabulated range nothing is deposited
  return bilinear_at(e.row, e.weight, energies_eV, depths_m, zeta_per_m, h);
}
double ResponseTable::transmitted_fraction(const AtEnergy& e, double h) const {
  if (h > depths_m.back()) return 0.0;
  return bilinear_at(e.row, e.weight, energies_eV, depths_m, transmitted, h);
}
double ResponseTable::of_energy(const std::vector<double>& v, double e) const {
  std::size_t k = 0;
  double t = 0;
  locate(energies_eV, e, k, t);
  return at(v, k, t);
}
double ResponseTable::sphere(const std::vector<std::vector<double>>& v, double e, double d) const {
  return bilinear(energies_eV, diameters_m, v, e, d);
}

void ResponseTable::validate(const std::string& where) const {
  auto increasing = [&](const std::vector<double>& g, const char* name) {
    if (g.empty()) throw InputError(where + ": response table has no " + name);
    for (std::size_t k = 1; k < g.size(); ++k)
      if (!(g[k] > g[k - 1])) throw InputError(where + ": " + name + " must increase");
  };
  increasing(energies_eV, "energies");
  increasing(depths_m, "depths");
  auto rows = [&](const std::vector<std::vector<double>>& v, std::size_t n, const char* name) {
    if (v.size() != energies_eV.size())
      throw InputError(where + ": " + name + " needs one row per energy");
    for (const auto& r : v)
      if (r.size() != n)
        throw InputError(where + ": " + name + " row length does not match its grid");
  };
  rows(zeta_per_m, depths_m.size(), "zeta");
  rows(transmitted, depths_m.size(), "transmitted");
  for (const auto* v : {&eta_number, &eta_energy, &radiated_fraction, &zeta_peak_per_m})
    if (v->size() != energies_eV.size())
      throw InputError(where + ": per-energy array of wrong length");
  if (!diameters_m.empty()) {
    increasing(diameters_m, "diameters");
    rows(sphere_absorbed_fraction, diameters_m.size(), "sphere_absorbed_fraction");
    rows(sphere_electrons_out, diameters_m.size(), "sphere_electrons_out");
    rows(sphere_secondary_yield, diameters_m.size(), "sphere_secondary_yield");
  }
}

}  // namespace mps
