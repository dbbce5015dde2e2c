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
constexpr double kTiny = 1e-20;       // A/m^2: a current density that cannot matter
constexpr double kFnB = 6.830890e9;   // eV^-1.5 V m^-1 (Forbes & Deane 2007, emission.hpp)
constexpr double kFnC = 1.439964e-9;  // eV^2 m V^-1
constexpr double kFastPathFraction = ChargingModel::kFastPathFraction;
}  // namespace

ChargingModel::ChargingModel(const Material& material, const ChargingOptions& options)
    : m_(&material), o_(options) {
  if (!(o_.se_temperature_eV > 0)) throw InputError("charging: se_temperature must be positive");
  const double A = m_->richardson_constant(), W = m_->work_function_eV();
  fn_b_w15_ = kFnB * W * std::sqrt(W);
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
      c.dse_dphi = -in.se_current * x * ex / o_.se_temperature_eV;
    } else {
      c.se = in.se_current;
    }
  }
  if (o_.thermionic && in.temperature > t_th_cut_) {
    const auto th = emission::thermionic(m_->richardson_constant(), m_->work_function_eV(),
                                         in.temperature, r, phi, o_.schottky);
    c.thermionic = th.current;
    c.dthermionic_dphi = th.dcurrent_dphi;
  }
  if (o_.field_emission && phi < 0.0) {
    const double F = -phi / r;
    if (F > f_fe_cut_) {
      const double W = m_->work_function_eV();
      const double area = 4.0 * kPi * r * r;
      c.field = area * emission::fowler_nordheim(F, W);
      // exact slope of ln J = ln(a F^2 / W) - v(f) B / F, f = c F / W^2, B = b W^1.5:
      // d ln J / dF = 2 / F + (B / F^2) (v - f v'(f)), v'(f) = -1 + (ln f + 1) / 6; over the
      // barrier (f >= 1, v = 0 in emission.cpp) only 2 / F remains
      const double f = kFnC * F / (W * W);
      double dlnj_dF = 2.0 / F;
      if (f < 1.0) {
        const double lnf = std::log(f);
        const double v = 1.0 - f + f * lnf / 6.0, dv = -1.0 + (lnf + 1.0) / 6.0;
        dlnj_dF += fn_b_w15_ / (F * F) * (v - f * dv);
      }
      c.dfield_dphi = -c.field * dlnj_dF / r;  // dF/dphi = -1/r
    }
  }
  c.total = -in.absorbed_current + c.se + c.thermionic + c.field;
  c.dtotal_dphi = c.dse_dphi + c.dthermionic_dphi + c.dfield_dphi;
  // Bound on |d2I/dphi2| for the fast path of advance(). Each emission law is locally an
  // exponential in phi, |I''| ~ I'^2 / I, except the Maxwellian escape (1 + x) e^-x of slow SE
  // and retarded thermionic electrons, whose slope vanishes at x = 0 while the curvature does
  // not: |I''| <= I / kT^2 there. (The 1 / |phi| curvature of the sqrt-shaped Schottky and FN
  // exponents on a negative sphere is covered by the fast path's |dphi| << |phi| condition.)
  auto exp_like = [](double I, double dI) { return I > 0.0 ? dI * dI / I : 0.0; };
  if (phi > 0.0) {
    const double kT = constants::boltzmann_eV * in.temperature;
    c.curvature = c.se / (o_.se_temperature_eV * o_.se_temperature_eV) +
                  (c.thermionic > 0.0 ? c.thermionic / (kT * kT) : 0.0);
  } else {
    c.curvature = exp_like(c.thermionic, c.dthermionic_dphi) + exp_like(c.field, c.dfield_dphi);
  }
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
  // Fast path: accept the linearly implicit (Rosenbrock-Euler) step itself when it lies close
  // to the backward-Euler root. Both are L-stable first-order methods (Hairer & Wanner, Solving
  // ODEs II, IV.7). Expanding I about phi0, the root differs from the linear step by
  //   delta ~ dt |I''| dphi^2 / (2 (C + dt |I'|)),
  // while backward Euler's own local truncation error is ~ (dt |I'| / C) |dphi| / 2. The step is
  // accepted when delta <= 0.05 |dphi| min(1, dt |I'| / C): the switch adds at most 10 % to the
  // error backward Euler makes anyway (and at most 5 % of the change on stiff steps, where the
  // particle tracks its equilibrium). For a hot particle drifting by x = e phi / kT per step
  // this holds up to dx ~ 0.1, the common case, and saves the Newton iterations. On a negative
  // sphere |dphi| <= 1e-2 |phi0| is required as well (the Schottky and FN exponents curve like
  // 1 / |phi|). The tallied currents are the linearised ones, so C dphi = dt I holds exactly
  // for the accepted step.
  {
    const double dphi = phi - phi0, slope = -dt * c.dtotal_dphi;  // slope = dt |I'| >= 0
    const double delta = dt * c.curvature * dphi * dphi / (2.0 * (C + slope));
    const bool close = delta <= kFastPathFraction * std::fabs(dphi) * std::min(1.0, slope / C);
    if (close && (phi0 > 0.0 || std::fabs(dphi) <= 1e-2 * std::fabs(phi0))) {
      res.iterations = 1;
      charge = C * (phi - o_.external_potential);
      res.end = c;
      res.end.se += c.dse_dphi * dphi;
      res.end.thermionic += c.dthermionic_dphi * dphi;
      res.end.field += c.dfield_dphi * dphi;
      res.end.total += c.dtotal_dphi * dphi;
      check_limits(res, charge, phi, in);
      return res;
    }
  }
  if (!(phi > phi_a)) phi = phi_a + 1e-6 * (1.0 + std::fabs(phi_a));
  double width_prev = std::numeric_limits<double>::infinity(), width_before = width_prev;
  bool current_at_phi = false;
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
    // converged: the Newton correction is below the tolerance. Keep phi, where the currents
    // were just evaluated, so the step's charge and currents are consistent without another
    // evaluation (the root is within the tolerance of it).
    if (std::fabs(next - phi) <= o_.tolerance * (1.0 + std::fabs(phi))) {
      current_at_phi = true;
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
  if (!current_at_phi) c = currents(phi, in);
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
