#include "physics/materials/emission.hpp"

#include <cmath>

#include "solver/base/constants.hpp"

namespace mps::emission {

namespace {
constexpr double kE = constants::elementary_charge;
constexpr double kKeV = constants::boltzmann_eV;
// e / (4 pi eps0) in V m: Schottky lowering dW[eV] = sqrt(kSchottky * F)
constexpr double kSchottky = kE / (4.0 * constants::pi * constants::vacuum_permittivity);
// Fowler-Nordheim constants (Forbes & Deane 2007)
constexpr double kFnA = 1.541434e-6;  // A eV V^-2
constexpr double kFnB = 6.830890e9;   // eV^-1.5 V m^-1
constexpr double kFnC = 1.439964e-9;  // eV^2 m V^-1
}  // namespace

double richardson_dushman(double A, double W_eV, double T) {
  if (!(T > 0)) return 0.0;
  return A * T * T * std::exp(-W_eV / (kKeV * T));
}

double schottky_lowering_eV(double field) {
  return std::sqrt(kSchottky * std::fabs(field));
}

double escape_fraction(double phi, double kT_eV) {
  if (phi <= 0.0) return 1.0;
  const double x = phi / kT_eV;
  return (1.0 + x) * std::exp(-x);
}

double escaping_mean_energy_eV(double phi, double kT_eV) {
  if (phi <= 0.0) return 2.0 * kT_eV;
  const double x = phi / kT_eV;
  return kT_eV * (x * x + 2.0 * x + 2.0) / (x + 1.0);
}

ThermionicResult thermionic(double A, double W_eV, double T, double radius, double phi,
                            bool schottky, bool with_slope) {
  ThermionicResult r{0.0, 0.0, 0.0};
  if (!(T > 0) || A <= 0) return r;
  const double kT = kKeV * T;
  const double area = 4.0 * constants::pi * radius * radius;
  if (phi <= 0.0) {
    // Negative sphere: field -phi / r pulls electrons out and lowers the barrier.
    const double dW = schottky ? schottky_lowering_eV(-phi / radius) : 0.0;
    r.current = area * A * T * T * std::exp(-(W_eV - dW) / kT);
    r.heat = r.current * (W_eV - dW + 2.0 * kT);  // I/e electrons/s x energy in eV x e
    // d dW / d phi = -dW / (2 phi) (dW ~ sqrt(-phi)); at phi -> 0- the slope diverges, bounded
    // here by evaluating at |phi| >= 1e-6 V (the Newton iteration only needs a usable slope).
    if (with_slope) {
      const double p = std::min(phi, -1e-6);
      const double ddw = schottky ? -schottky_lowering_eV(-p / radius) / (2.0 * p) : 0.0;
      r.dcurrent_dphi = -r.current * ddw / kT;
    }
  } else {
    // I0 (1 + x) e^-x with I0 = area A T^2 e^(-W/kT): one exponential, e^(-(W + phi)/kT)
    const double x = phi / kT;
    const double Ie = area * A * T * T * std::exp(-(W_eV + phi) / kT);
    r.current = Ie * (1.0 + x);
    r.heat = r.current * (W_eV + escaping_mean_energy_eV(phi, kT));
    r.dcurrent_dphi = -Ie * x / kT;  // d/dphi of (1 + x) e^-x = -x e^-x / kT
  }
  return r;
}

double fowler_nordheim(double field, double W_eV) {
  const double F = std::fabs(field);
  if (F <= 0.0) return 0.0;
  // f >= 1: the Schottky-Nordheim barrier is gone (over-barrier emission): v = 0 is the limit.
  const double f = std::min(kFnC * F / (W_eV * W_eV), 1.0);
  const double v = 1.0 - f + (f / 6.0) * std::log(f);
  return kFnA * F * F / W_eV * std::exp(-v * kFnB * std::pow(W_eV, 1.5) / F);
}

}  // namespace mps::emission
