#include "physics/charging/charging_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "physics/charging/implicit_step.hpp"
#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
constexpr double kEps0 = constants::vacuum_permittivity;
constexpr double kTiny = 1e-20;      // A/m^2: a current density that cannot matter
constexpr double kFnB = 6.830890e9;  // eV^-1.5 V m^-1 (Forbes & Deane 2007, emission.hpp)
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

namespace {
Currents from_lanes(const lanes::CurrentLanes<double>& c) {
  Currents r;
  r.se = c.se;
  r.thermionic = c.thermionic;
  r.field = c.field;
  r.total = c.total;
  r.dtotal_dphi = c.dtotal;
  r.dse_dphi = c.dse;
  r.dthermionic_dphi = c.dthermionic;
  r.dfield_dphi = c.dfield;
  r.curvature = c.curvature;
  return r;
}
}  // namespace

// The laws are written once, as templates over the lane type (linear_step.hpp and
// implicit_step.hpp); the scalar model is their one-lane instance.
Currents ChargingModel::currents(double phi, const ChargingInputs& in) const {
  return from_lanes(
      lanes::currents(*this, phi, in.absorbed_current, in.se_current, in.temperature, in.diameter));
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

ChargingStepResult ChargingModel::advance(double& charge, const ChargingInputs& in,
                                          double dt) const {
  const auto s = lanes::implicit_step(*this, charge, in.absorbed_current, in.se_current,
                                      in.temperature, in.diameter, in.liquid_fraction, dt);
  charge = s.charge;
  ChargingStepResult res;
  res.end = from_lanes(s.end);
  res.iterations = static_cast<int>(s.iterations);
  res.field_evaporation = s.field_evaporation;
  res.breakup = s.breakup;
  res.rayleigh = s.rayleigh;
  return res;
}

double ChargingModel::equilibrium_potential(const ChargingInputs& in) const {
  double q = 0.0;
  advance(q, in, 1e3);  // 1000 s: ~1e12 RC, the backward-Euler step lands on I = 0
  return potential(q, in.diameter);
}

}  // namespace mps
