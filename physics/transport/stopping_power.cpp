#include "physics/transport/stopping_power.hpp"

#include <algorithm>
#include <cmath>

#include "solver/base/constants.hpp"

namespace mps::transport {

namespace {
constexpr double kMc2 = constants::electron_rest_energy_eV;
constexpr double kRe = constants::classical_electron_radius;
// 2 pi r_e^2 m c^2 in eV m^2
constexpr double kTwoPiRe2Mc2 = 2.0 * constants::pi * kRe * kRe * kMc2;
}  // namespace

double beta2_of(double E_eV) {
  const double g = 1.0 + E_eV / kMc2;
  return 1.0 - 1.0 / (g * g);
}

double density_effect(const Material& m, double E_eV) {
  const double tau = E_eV / kMc2;
  const double X = std::log10(std::sqrt(tau * (tau + 2.0)));  // log10(beta gamma)
  if (X >= m.X1) return 4.6052 * X - m.C_bar;
  if (X >= m.X0) return 4.6052 * X - m.C_bar + m.a * std::pow(m.X1 - X, m.m);
  return m.delta0 * std::pow(10.0, 2.0 * (X - m.X0));  // conductors (Sternheimer 1984)
}

double collision_stopping(const Material& m, double E_eV) {
  const double tau = E_eV / kMc2;
  const double b2 = beta2_of(E_eV);
  const double k = 0.734 * std::pow(m.Z, 0.037);  // Joy & Luo 1989
  const double I = m.I_eV / (1.0 + k * m.I_eV / E_eV);
  const double i = I / kMc2;
  const double F =
      1.0 - b2 +
      (tau * tau / 8.0 - (2.0 * tau + 1.0) * std::log(2.0)) / ((tau + 1.0) * (tau + 1.0));
  const double L = std::log(tau * tau * (tau + 2.0) / (2.0 * i * i)) + F - density_effect(m, E_eV);
  return kTwoPiRe2Mc2 * m.electrons_per_m3() / b2 * std::max(L, 0.0);
}

double radiative_stopping(const Material& m, double E_eV) {
  const double Et = E_eV + kMc2;
  return 4.0 * constants::fine_structure * kRe * kRe * m.atoms_per_m3() * m.Z * (m.Z + 1.0) * Et *
         (std::log(2.0 * Et / kMc2) - 1.0 / 3.0);
}

namespace {
// Moller bracket of d sigma / d kappa (kappa = W / E), ICRU 37 eq. 2.6
double moller_bracket(double kappa, double tau) {
  const double g = tau / (tau + 1.0);
  return 1.0 / (kappa * kappa) + 1.0 / ((1.0 - kappa) * (1.0 - kappa)) + g * g -
         (2.0 * tau + 1.0) / ((tau + 1.0) * (tau + 1.0)) / (kappa * (1.0 - kappa));
}
template <class F>
double simpson_log(F f, double a, double b, int n = 256) {  // integral of f(x) dx, x = e^u
  const double ua = std::log(a), ub = std::log(b), h = (ub - ua) / n;
  double s = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double x = std::exp(ua + i * h);
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    s += w * f(x) * x;
  }
  return s * h / 3.0;
}
}  // namespace

double moller_cross_section(const Material& m, double E_eV, double w_cut_eV) {
  const double kc = w_cut_eV / E_eV;
  if (kc >= 0.5) return 0.0;
  const double tau = E_eV / kMc2;
  const double pref = kTwoPiRe2Mc2 * m.electrons_per_m3() / (beta2_of(E_eV) * E_eV);
  return pref * simpson_log([&](double k) { return moller_bracket(k, tau); }, kc, 0.5);
}

double moller_hard_stopping(const Material& m, double E_eV, double w_cut_eV) {
  const double kc = w_cut_eV / E_eV;
  if (kc >= 0.5) return 0.0;
  const double tau = E_eV / kMc2;
  const double pref = kTwoPiRe2Mc2 * m.electrons_per_m3() / beta2_of(E_eV);
  return pref * simpson_log([&](double k) { return k * moller_bracket(k, tau); }, kc, 0.5);
}

double csda_range(const Material& m, double E_eV, double e_low_eV) {
  if (E_eV <= e_low_eV) return 0.0;
  return simpson_log(
      [&](double e) { return 1.0 / (collision_stopping(m, e) + radiative_stopping(m, e)); },
      e_low_eV, E_eV, 1024);
}

}  // namespace mps::transport
