#include "physics/charging/charging_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
constexpr double kEps0 = constants::vacuum_permittivity;
constexpr double kTiny = 1e-20;  // A/m^2: a current density that cannot matter (1e-8 e/s/um^2)
}  // namespace

ChargingModel::ChargingModel(const Material& material, const ChargingOptions& options)
    : m_(&material), o_(options) {
  if (!(o_.se_temperature_eV > 0)) throw InputError("charging: se_temperature must be positive");
  const double A = m_->richardson_constant(), W = m_->work_function_eV();
  // Highest temperature with J_th < kTiny even with the barrier lowered by 1 eV (any Schottky
  // lowering below the field-emission cut-off), and the field below which J_FN < kTiny.
  for (double T = 50.0; T < m_->max_temperature(); T += 10.0) {
    if (emission::richardson_dushman(A, W - 1.0, T) < kTiny)
      t_th_cut_ = T;
    else
      break;
  }
  for (double F = 1e7; F < 1e11; F *= 1.05) {
    if (emission::fowler_nordheim(F, W) < kTiny)
      f_fe_cut_ = F;
    else
      break;
  }
}

double ChargingModel::capacitance(double diameter) {
  return 2.0 * kPi * kEps0 * diameter;
}

Currents ChargingModel::currents(double phi, const ChargingInputs& in) const {
  Currents c;
  const double r = 0.5 * in.diameter;
  // slow secondaries: Maxwellian escape over a positive potential
  if (in.se_current > 0.0) {
    if (phi > 0.0) {
      const double x = phi / o_.se_temperature_eV;
      const double ex = std::exp(-x);
      c.se = in.se_current * (1.0 + x) * ex;
      c.dtotal_dphi -= in.se_current * x * ex / o_.se_temperature_eV;
    } else {
      c.se = in.se_current;
    }
  }
  if (o_.thermionic && in.temperature > t_th_cut_) {
    const auto th = emission::thermionic(m_->richardson_constant(), m_->work_function_eV(),
                                         in.temperature, r, phi, o_.schottky);
    c.thermionic = th.current;
    c.dtotal_dphi += th.dcurrent_dphi;
  }
  if (o_.field_emission && phi < 0.0) {
    const double F = -phi / r;
    if (F > f_fe_cut_) {
      const double W = m_->work_function_eV();
      const double area = 4.0 * kPi * r * r;
      c.field = area * emission::fowler_nordheim(F, W);
      // d ln J / dF ~ 2 / F + b v W^1.5 / F^2 (v held fixed: a slope for Newton only)
      const double v_b_w = 6.830890e9 * std::pow(W, 1.5) * 0.5;  // v ~ 0.5 near emission fields
      const double dlnj_dF = 2.0 / F + v_b_w / (F * F);
      c.dtotal_dphi -= c.field * dlnj_dF / r;  // dF/dphi = -1/r
    }
  }
  c.total = -in.absorbed_current + c.se + c.thermionic + c.field;
  return c;
}

bool ChargingModel::quiet(double phi, const ChargingInputs& in) const {
  return in.absorbed_current == 0.0 && in.se_current == 0.0 &&
         (!o_.thermionic || in.temperature <= t_th_cut_) &&
         (!o_.field_emission || phi >= 0.0 || -phi / (0.5 * in.diameter) <= f_fe_cut_);
}

double ChargingModel::rayleigh_charge(double diameter, double temperature) const {
  const double r = 0.5 * diameter;
  return 8.0 * kPi * std::sqrt(kEps0 * m_->surface_tension(temperature) * r * r * r);
}

void ChargingModel::check_limits(ChargingStepResult& res, double charge, double phi,
                                 const ChargingInputs& in) const {
  const double r = 0.5 * in.diameter;
  const double F = (phi - o_.external_potential) / r;  // the particle's own surface field
  if (F > o_.field_evaporation_field) res.field_evaporation = true;
  if (in.liquid_fraction > 0.0) {
    if (std::fabs(charge) > rayleigh_charge(in.diameter, in.temperature)) res.rayleigh = true;
  } else if (0.5 * kEps0 * F * F > o_.tensile_strength) {
    res.breakup = true;
  }
}

ChargingStepResult ChargingModel::advance(double& charge, const ChargingInputs& in,
                                          double dt) const {
  ChargingStepResult res;
  const double C = capacitance(in.diameter);
  const double phi0 = potential(charge, in.diameter);
  // Backward Euler: A(phi) = E(phi) with A = C (phi - phi0) + dt I_abs (increasing, linear) and
  // E = dt I_emit(phi) (emission, positive, decreasing): one root, above phi_A where A = 0.
  // Newton on G = ln E - ln A, which is nearly linear in phi (the emission laws are exponential
  // in phi or in a power of it), converges in a few iterations where Newton on A - E (flat,
  // then steep) would bounce; a bracket from the sign of A - E keeps every iterate safe.
  const double phi_a = phi0 - dt * in.absorbed_current / C;
  double lo = phi_a, hi = std::numeric_limits<double>::infinity();
  // start from the linearly implicit Euler step (one Newton step on A - E from phi0)
  Currents c = currents(phi0, in);
  double phi = phi0 + dt * c.total / (C - dt * c.dtotal_dphi);
  // Fast path: a change far below the scale on which the currents vary (kT of the thermionic
  // and slow-SE spectra; |phi| itself for the sqrt-shaped Schottky term) leaves the linearly
  // implicit step within (dphi / scale) dphi < 1e-12 scale (V) of the backward-Euler root.
  {
    const double scale = std::min(o_.se_temperature_eV, constants::boltzmann_eV * in.temperature);
    const double dphi = std::fabs(phi - phi0);
    if (dphi < 1e-6 * scale && (phi0 > 0.0 || dphi < 1e-6 * std::fabs(phi0))) {
      res.iterations = 1;
      charge = C * (phi - o_.external_potential);
      res.end = currents(phi, in);
      check_limits(res, charge, phi, in);
      return res;
    }
  }
  if (!(phi > phi_a)) phi = phi_a + 1e-6 * (1.0 + std::fabs(phi_a));
  double width_prev = std::numeric_limits<double>::infinity(), width_before = width_prev;
  for (int it = 1;; ++it) {
    res.iterations = it;
    c = currents(phi, in);
    const double A = C * (phi - phi0) + dt * in.absorbed_current;
    const double E = dt * (c.se + c.thermionic + c.field);
    (A - E < 0.0 ? lo : hi) = phi;
    double next;
    if (E > 0.0 && A > 0.0) {
      const double dG = dt * c.dtotal_dphi / E - C / A;  // < 0
      next = phi - (std::log(E) - std::log(A)) / dG;
    } else {
      next = std::numeric_limits<double>::quiet_NaN();  // no emission here: bracket step
    }
    // converged: the Newton correction is below the tolerance (it may graze the bracket ends,
    // which are themselves within round-off of the root by then)
    if (std::fabs(next - phi) <= o_.tolerance * (1.0 + std::fabs(phi))) {
      if (next > lo && next < hi) phi = next;
      break;
    }
    // Newton that does not halve the bracket every two iterations (the sqrt kink of Schottky
    // emission at phi = 0) gives way to bisection, which always converges
    const double width = hi - lo;
    const bool slow = it > 2 && std::isfinite(width) && width > 0.5 * width_before;
    width_before = width_prev;
    width_prev = width;
    if (!(next > lo && next < hi) || slow) {
      next = std::isfinite(hi) ? 0.5 * (lo + hi) : lo + std::max(1.0, 2.0 * std::fabs(lo - phi_a));
    }
    const double change = std::fabs(next - phi);
    phi = next;
    if (change <= o_.tolerance * (1.0 + std::fabs(phi)) ||
        hi - lo <= 1e-15 * (1.0 + std::fabs(phi)))
      break;
    if (it == 200)
      throw RuntimeError(
          "charging: the implicit charge update did not converge (phi0 = " + std::to_string(phi0) +
          " V, phi = " + std::to_string(phi) + " V, bracket [" + std::to_string(lo) + ", " +
          std::to_string(hi) + "] V, T = " + std::to_string(in.temperature) + " K, d = " +
          std::to_string(in.diameter) + " m, I_abs = " + std::to_string(in.absorbed_current) +
          " A, I_se = " + std::to_string(in.se_current) + " A, dt = " + std::to_string(dt) + " s)");
  }
  c = currents(phi, in);
  charge = C * (phi - o_.external_potential);
  res.end = c;
  check_limits(res, charge, phi, in);
  return res;
}

double ChargingModel::equilibrium_potential(const ChargingInputs& in) const {
  double q = 0.0;
  advance(q, in, 1e3);  // 1000 s: ~1e12 RC, the backward-Euler step lands on I = 0
  return potential(q, in.diameter);
}

}  // namespace mps
